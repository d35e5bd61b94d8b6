#!/usr/bin/env bash
# The demo behind `./quickstart.sh demo`: what crmsync makes of the shipped example configuration.
# Usage: packaging/demo.sh BUILD_DIR
set -euo pipefail
build="${1:?usage: $0 BUILD_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crmsync="$build/daemon/crmsync"

echo "== crmsync $("$crmsync" --version | cut -d' ' -f2): checking the shipped configuration"
echo "   $here/config/crmsync.yaml and its mappings"
"$crmsync" -c "$here/config/crmsync.yaml" validate
