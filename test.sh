#!/usr/bin/env bash
# Runs every test from a fresh machine of this kind: installs what the tests need
# (Debian's Chromium for the browser tests, PostgreSQL 15 binaries for the scale-out tests,
# the npm packages of wwwroot-assets), builds the solution and runs all tests.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian's packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

(cd wwwroot-assets && npm ci --no-audit --no-fund --loglevel=error)
dotnet build PushConsole.sln -c Release -nologo
dotnet test PushConsole.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --blame-hang-timeout 15m "$@"
