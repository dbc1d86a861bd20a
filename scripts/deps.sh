#!/usr/bin/env bash
# Installs what Cordon needs on Debian 12: the Debian packages it builds and
# tests with, and the npm packages of the browser app and its tests. Run by
# `make deps` (and so by `make run` and `make check`) and by .ci/run. As root it
# installs what is missing; otherwise it prints the exact command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev postgresql
      libsodium-dev libqrencode-dev libcsv-dev libxlsxwriter-dev libcmocka-dev
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

# npm packages: echarts and jsqr are embedded in the binary; playwright-core
# drives Debian's chromium in the browser tests. package-lock.json pins them.
if [ ! -f node_modules/.cordon-installed ] || [ package-lock.json -nt node_modules/.cordon-installed ]; then
  echo "cordon: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
  else npm install --no-audit --no-fund --loglevel=error; fi
  touch node_modules/.cordon-installed
fi
