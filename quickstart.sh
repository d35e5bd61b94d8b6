#!/usr/bin/env bash
# The two commands of README's Quick start. Each installs what is missing (apt, by name),
# builds, and then either runs the demo or the whole test suite. Idempotent; any directory.
#   ./quickstart.sh demo    build, then run crmsync on the bundled example
#   ./quickstart.sh test    build, then run every test (ctest)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

usage() { echo "usage: $0 demo|test" >&2; exit 64; }
[ $# -eq 1 ] || usage

packaging/install-deps.sh

# ccache makes rebuilds of unchanged code near-free; CI keeps its cache between runs.
# Paths are hashed relative to the checkout, so a fresh clone (as CI makes) reuses the cache.
if command -v ccache >/dev/null 2>&1; then
  export CRMSYNC_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=true
fi
# Warnings are errors in CI (CI=true there).
if [ "${CI:-}" = "true" ]; then export CRMSYNC_WERROR=ON; fi
jobs="$(nproc 2>/dev/null || echo 2)"

case "$1" in
  demo)
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs" --target crmsync crmsync-sandbox
    exec packaging/demo.sh "$here/build/release"
    ;;
  test)
    cmake --preset dev >/dev/null
    cmake --build --preset dev -j "$jobs"
    ctest --preset dev -j "$jobs"
    ;;
  *) usage ;;
esac
