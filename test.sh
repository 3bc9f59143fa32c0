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
# The console shows each test as it ends; the summary after it repeats every failure with its message,
# so a CI log cut to its last lines still says what failed.
results="$(mktemp -d)"
status=0
dotnet test PushConsole.sln -c Release --no-build -nologo --results-directory "$results" \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" --blame-hang-timeout 15m "$@" || status=$?
if [ "$status" -ne 0 ]; then scripts/failed-tests.sh "$results"/tests.trx || true; fi
exit "$status"
