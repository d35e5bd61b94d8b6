#!/usr/bin/env bash
# Builds crmsync_<version>_amd64.deb with dpkg-buildpackage from packaging/debian/.
# Usage: packaging/build-deb.sh [--lintian] [OUTPUT_DIR]      (default OUTPUT_DIR: build/deb)
# The source tree (without build outputs) is staged as a native source package with debian/ at
# its root, so the repository itself is never written. ccache is used when installed.
# Needs: dpkg-dev debhelper (lintian for --lintian) and the build dependencies of
# packaging/install-deps.sh; dpkg-buildpackage names any that are missing.
set -euo pipefail

run_lintian=0
if [ "${1:-}" = "--lintian" ]; then
  run_lintian=1
  shift
fi
for tool in dpkg-buildpackage dh; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-deb: $tool is missing: apt-get install dpkg-dev debhelper" >&2
    exit 1
  fi
done
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$repo/build/deb}" && cd "${1:-$repo/build/deb}" && pwd)

version=$(sed -n 's/^project(crmsync VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
package_version=$(dpkg-parsechangelog -l "$repo/packaging/debian/changelog" -S Version)
if [ "$version" != "$package_version" ]; then
  echo "build-deb: CMakeLists.txt says $version, packaging/debian/changelog says $package_version;" \
    "add a changelog entry (dch -v $version)" >&2
  exit 1
fi

stage="$out/crmsync-$version"
rm -rf "$stage"
mkdir -p "$stage"
tar -C "$repo" --exclude=./build --exclude=./.git --exclude='./build-*' -cf - . | tar -C "$stage" -xf -
cp -r "$repo/packaging/debian" "$stage/debian"
# packaging/systemd/ is the one copy of the unit, sysusers and tmpfiles entries; debhelper finds
# them under debian/ by its naming convention.
cp "$repo/packaging/systemd/crmsync.service" "$stage/debian/crmsync.service"
cp "$repo/packaging/systemd/crmsync.sysusers" "$stage/debian/crmsync.sysusers"
cp "$repo/packaging/systemd/crmsync.tmpfiles" "$stage/debian/crmsync.tmpfiles"

if command -v ccache >/dev/null 2>&1; then
  export CRMSYNC_CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
  export CCACHE_BASEDIR="$stage" CCACHE_NOHASHDIR=true
  # debhelper points HOME at a fresh directory inside the stage, which would give ccache an empty
  # cache on every build: name the user's cache explicitly.
  CCACHE_DIR="${CCACHE_DIR:-$(ccache -k cache_dir)}"
  export CCACHE_DIR
fi
jobs=${JOBS:-$(nproc)}
(cd "$stage" && dpkg-buildpackage --build=binary --no-sign -j"$jobs")

deb="$out/crmsync_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"
if [ $run_lintian -eq 1 ]; then
  lintian --info --display-info --fail-on error,warning "$out/crmsync_${version}_"*.changes
fi
echo "$deb"
