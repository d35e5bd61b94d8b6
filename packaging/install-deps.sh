#!/usr/bin/env bash
# Installs everything crmsync needs to build, test and run on Debian 12, by apt package name.
# Idempotent: a machine that already has every package makes no apt call at all.
# Works as root or through sudo. Usage: packaging/install-deps.sh [--runtime-only]
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config ccache git clang-format
  libcurl4-openssl-dev libsimdjson-dev libboost-dev libboost-system-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libsqlite3-dev libsystemd-dev
  libzip-dev zipcmp zipmerge ziptool libexpat1-dev libphonenumber-dev libprotobuf-dev libicu-dev
  libre2-dev libcli11-dev libfreexl-dev libssl-dev libjemalloc-dev libisal-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev llvm-14
  sqlite3 python3 python3-openpyxl zip unzip
  dpkg-dev debhelper fakeroot lintian
)

missing=()
for pkg in "${build_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done
# Node and npm drive the jsforce fidelity test of the sandbox; Debian 12 ships Node 18 as nodejs.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

# jsforce, pinned by tests/sandbox/package-lock.json, proves the sandbox against a real client
# (ctest reports it skipped without node_modules). From the npm registry, once.
install_jsforce() {
  local sandbox
  sandbox="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/sandbox" && pwd)"
  if command -v npm >/dev/null 2>&1 && [ ! -d "$sandbox/node_modules/jsforce" ]; then
    echo "install-deps: npm ci in tests/sandbox (jsforce for the sandbox fidelity check)" >&2
    npm ci --prefix "$sandbox" --no-audit --no-fund --loglevel=error >/dev/null \
      || echo "install-deps: npm ci failed; the jsforce check will be skipped" >&2
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  install_jsforce
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_jsforce
