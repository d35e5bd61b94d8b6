#!/usr/bin/env bash
# The demo behind `./quickstart.sh demo`: the bundled sandbox CRM seeded with the demo org
# (config/demo/crm) and the demo inbox (config/demo/inbox), a configuration written for them,
# then what crmsync makes of every rep's file. Usage: packaging/demo.sh BUILD_DIR
set -euo pipefail
build="$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crmsync="$build/daemon/crmsync"
sandbox="$build/tests/sandbox/crmsync-sandbox"
work="$here/build/demo"

rm -rf "$work"
mkdir -p "$work"
cp -r "$here/config/demo/inbox" "$work/inbox"
# Freshly copied files look like uploads still being written; reps' real files are settled.
find "$work/inbox" -type f -exec touch -d '1 hour ago' {} +

"$sandbox" --listen 127.0.0.1:0 --state "$work/sandbox-state" --seed "$here/config/demo/crm" \
  --write-config "$work/crmsync.yaml" --inbox "$work/inbox" \
  --mappings-dir "$here/config/mappings" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  grep -q '^listening on ' "$work/sandbox.log" 2>/dev/null && [ -s "$work/crmsync.yaml" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/sandbox.log")"
[ -n "$url" ] || { echo "demo: the sandbox did not start" >&2; cat "$work/sandbox.log" >&2; exit 1; }

echo "== crmsync $("$crmsync" --version | cut -d' ' -f2) demo"
echo "   sandbox Salesforce org: $url (seeded from config/demo/crm)"
echo "   configuration:          $work/crmsync.yaml"
echo "   inbox:                  $work/inbox"
echo
echo "== crmsync validate --online: the configuration and mappings, checked against the org"
"$crmsync" -c "$work/crmsync.yaml" validate --online
echo
echo "== crmsync preview: what one rep's file becomes, before any CRM is involved"
"$crmsync" -c "$work/crmsync.yaml" preview "$work/inbox/bob.smith@acme.example/leads_export.csv" \
  | sed -n '1,/^rows:/p' | grep -v '(ignored)$' | sed 's/^/    /'
echo
echo "== crmsync plan: a dry run against the org — what would change, and why (first lines)"
"$crmsync" -c "$work/crmsync.yaml" plan >"$work/plan.txt"
head -n 20 "$work/plan.txt" | sed 's/^/    /'
echo "    ..."
tail -n 1 "$work/plan.txt" | sed 's/^/    /'
echo
echo "== crmsync sync --once: the same cycle, written to the org"
"$crmsync" -c "$work/crmsync.yaml" sync --once >"$work/sync.txt"
tail -n 2 "$work/sync.txt" | sed 's/^/    /'
echo
echo "== crmsync sync --once again: nothing changed, so nothing is written"
"$crmsync" -c "$work/crmsync.yaml" sync --once | tail -n 2 | sed 's/^/    /'
echo
report="$work/inbox/bob.smith@acme.example/reports/leads_export.csv.report.csv"
echo "== what Bob gets back: $report (first rows)"
head -n 8 "$report" | sed 's/^/    /'
echo
echo "Full plan: $work/plan.txt; everything the sync did: $work/sync.txt"
echo "Try: $crmsync -c $work/crmsync.yaml review list"
