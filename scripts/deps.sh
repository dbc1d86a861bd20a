#!/usr/bin/env bash
# Installs what Cordon needs on Debian 12: the Debian packages it builds and
# tests with, and the npm packages of the browser app and its tests. Run by
# `make deps` (and so by `make run` and `make check`) and by .ci/run. As root it
# installs what is missing; otherwise it prints the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev postgresql
      libsodium-dev libqrencode-dev libcsv-dev libxlsxwriter-dev zlib1g-dev libcmocka-dev
      chromium fonts-noto-cjk wrk sqlite3 curl tzdata zbar-tools librsvg2-bin)
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "cordon: missing Debian packages. Run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "cordon: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Every library the Makefile links must be found by pkg-config and actually
# link: Debian's libxlsxwriter-dev asks for -lz without depending on
# zlib1g-dev, so a package list alone let a fresh machine fail at the link
# step. A tiny program is linked against each library on its own, so the one
# missing is named before the build starts.
declare -A DEV_OF=([z]=zlib1g-dev [csv]=libcsv-dev [cmocka]=libcmocka-dev [m]=libc6-dev
                   [pthread]=libc6-dev [xlsxwriter]=libxlsxwriter-dev [microhttpd]=libmicrohttpd-dev
                   [jansson]=libjansson-dev [sqlite3]=libsqlite3-dev [pq]=libpq-dev
                   [sodium]=libsodium-dev [qrencode]=libqrencode-dev)
read -r -a LINK_PKGS <<<"$(make -s --no-print-directory print-pkgs)"
read -r -a LINK_EXTRA <<<"$(make -s --no-print-directory print-extra-libs)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int main(void) { return 0; }' >"$probe/t.c"
bad=()
for pc in "${LINK_PKGS[@]}"; do
  if ! libs=$(pkg-config --libs "$pc" 2>"$probe/err"); then
    echo "cordon: pkg-config does not know $pc: $(head -1 "$probe/err")" >&2
    bad+=("$pc"); continue
  fi
  if ! ${CC:-cc} -o "$probe/t" "$probe/t.c" $libs 2>"$probe/err"; then
    lib=$(sed -n 's/.*cannot find -l\([A-Za-z0-9_+.-]*\).*/\1/p' "$probe/err" | head -1)
    echo "cordon: $pc does not link: $(grep -m1 'cannot find\|error' "$probe/err")" >&2
    [ -n "$lib" ] && echo "  install ${DEV_OF[$lib]:-the package with lib$lib.so}" >&2
    bad+=("$pc")
  fi
done
for l in "${LINK_EXTRA[@]}" -lcmocka; do
  if ! ${CC:-cc} -o "$probe/t" "$probe/t.c" "$l" 2>"$probe/err"; then
    lib=${l#-l}
    echo "cordon: $l does not link: install ${DEV_OF[$lib]:-the package with lib$lib.so}" >&2
    bad+=("$l")
  fi
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "cordon: libraries missing: ${bad[*]} (see above); the build would fail at the link" >&2
  exit 1
fi

# Node: Debian 12 ships 18 (18.19 and later), which is what a district's server
# runs; the tests and tools avoid what only later versions have (see README).
NODE_MIN=18
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$NODE_MIN" ]; then
  echo "cordon: Node.js $NODE_MIN or later is needed; this is $(node --version 2>/dev/null || echo 'no node')." >&2
  echo "  On Debian 12: apt-get install nodejs (18.19)" >&2
  exit 1
fi

# npm packages: echarts and jsqr are embedded in the binary; playwright-core
# drives Debian's chromium in the browser tests. package-lock.json pins them.
if [ ! -f node_modules/.cordon-installed ] || [ package-lock.json -nt node_modules/.cordon-installed ]; then
  echo "cordon: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
  else npm install --no-audit --no-fund --loglevel=error; fi
  touch node_modules/.cordon-installed
fi
