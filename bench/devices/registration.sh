#!/usr/bin/env bash
# Registration throughput and latency with SQLite on this machine: builds Release, makes a fresh data folder and
# an app, runs the product on loopback, warms up, then runs wrk with registration.lua. Prints wrk's report and the
# row counts afterwards. Settings: DURATION (30s), CONNECTIONS (32), THREADS (1), PORT (5099), KEEP=1 keeps the data folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-30s}; CONNECTIONS=${CONNECTIONS:-32}; THREADS=${THREADS:-1}; PORT=${PORT:-5099}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
OUT=$(mktemp -d /tmp/pushconsole-bench-XXXXXX)
dotnet publish PushConsole -c Release -o "$OUT/app" -nologo -v q >/dev/null
DATA="$OUT/data"
APP_KEY=$(dotnet "$OUT/app/PushConsole.dll" apps create --name Bench --json "--Data:Directory=$DATA" | python3 -c 'import json,sys; print(json.load(sys.stdin)["appKey"])')
export APP_KEY
dotnet "$OUT/app/PushConsole.dll" --urls "http://127.0.0.1:$PORT" "--Data:Directory=$DATA" \
  --ClientApi:RequestsPerSecondPerAddress=1000000 --Logging:LogLevel:Default=Warning > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; [ "${KEEP:-}" = 1 ] || rm -rf "$OUT"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
echo "== warm-up (10s)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s bench/devices/registration.lua "http://127.0.0.1:$PORT" -- warm | grep -E "Requests/sec|Non-2xx" || true
echo "== measured: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/devices/registration.lua "http://127.0.0.1:$PORT" -- run
python3 - "$DATA/pushconsole.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for table in ("installations", "token_changes", "installation_tags", "app_users"):
    print(f"{table}: {db.execute(f'select count(*) from {table}').fetchone()[0]}")
print("changelog kinds:", dict(db.execute("select kind, count(*) from token_changes group by kind").fetchall()))
PY
grep -iE "fail|error" "$OUT/server.log" | head -5 || true
