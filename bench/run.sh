#!/usr/bin/env bash
# One command for the side-by-side benchmark (docs/BENCHMARKS.md, issue 9):
#   bench/run.sh
# 1. builds Release, installs the peers (npm ci in bench/peers), starts the provider sandbox as its own process;
# 2. checks the sandbox's HTTP/2 ceiling with h2load (Debian nghttp2-client; skipped if it cannot be installed);
# 3. runs alternately, RUNS times each, PushConsole's provider clients (`bench providers --json`) and the peers
#    (firebase-admin sendEach, @parse/node-apn, web-push), COUNT messages each, over TLS to the same sandbox;
# 4. seeds MILLION installations wired to that sandbox (60 % Android, 35 % iOS, 5 % web) and measures, through the real
#    app (/v4/push, GET /v4/messages/{id}): send-now → first provider request over LATENCY_RUNS small campaigns, the
#    MILLION-recipient campaign end to end, and a FAULTS_COUNT-recipient campaign with 5 % 429 + 1 % 503 injected;
# 5. writes bench/results/<UTC time>.md (and latest.md, raw.jsonl beside it) and prints it.
# Knobs (environment): COUNT=30000 RUNS=3 CONCURRENCY=256 MILLION=1000000 FAULTS_COUNT=100000 LATENCY_RUNS=50
#   PROVIDERS="fcm apns webpush" FCM_CONNECTIONS=2 APNS_CONNECTIONS=2 (PushConsole's pools; the app's defaults when unset)
#   SKIP_PROVIDERS=1 SKIP_MILLION=1 SANDBOX_PORT=9400 APP_PORT=5199 MILLION_TLS=0 (1: the app talks TLS to the sandbox)
#   APP_GC=app (what the app's runtimeconfig says: workstation since issue 20), server (DOTNET_gcServer=1) or workstation (DOTNET_gcServer=0), for the app process only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=${COUNT:-30000}
RUNS=${RUNS:-3}
CONCURRENCY=${CONCURRENCY:-256}
MILLION=${MILLION:-1000000}
FAULTS_COUNT=${FAULTS_COUNT:-100000}
LATENCY_RUNS=${LATENCY_RUNS:-50}
SANDBOX_PORT=${SANDBOX_PORT:-9400}
APP_PORT=${APP_PORT:-5199}
MILLION_TLS=${MILLION_TLS:-0}
APP_GC=${APP_GC:-app}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$ROOT/bench/results
WORK=$(mktemp -d /tmp/pushconsole-bench-XXXXXX)
RAW=$WORK/raw.jsonl
LOG=$WORK/log.txt
SANDBOX=http://127.0.0.1:$SANDBOX_PORT
APP=http://127.0.0.1:$APP_PORT
DLL=$ROOT/PushConsole/bin/Release/net10.0/PushConsole.dll
CAMPAIGN=$ROOT/bench/CampaignBench/bin/Release/net10.0/CampaignBench.dll
mkdir -p "$RESULTS"
: > "$RAW"
say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_of() { awk '{ print ($14 + $15) / 100 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# record LINE EXTRA: one JSON object into raw.jsonl (an empty LINE, a failed step, is recorded as such)
record() { python3 -c 'import json,sys; d=json.loads(sys.argv[1] or "{\"failed\": true}"); d.update(json.loads(sys.argv[2])); print(json.dumps(d))' "$1" "$2" >> "$RAW"; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

say "building (Release) and installing the peers"
dotnet build PushConsole -c Release -nologo -v q >>"$LOG" 2>&1
dotnet build bench/CampaignBench -c Release -nologo -v q >>"$LOG" 2>&1
(cd bench/peers && npm ci --no-audit --no-fund >>"$LOG" 2>&1)

# a leftover sandbox on the port would answer in place of this run's (its CPU unmeasured, its counters mixed in)
if curl -s -o /dev/null "$SANDBOX/" 2>/dev/null; then
  say "something already answers on $SANDBOX (a leftover sandbox?): stop it or set SANDBOX_PORT"; exit 1
fi
say "starting the sandbox on $SANDBOX"
dotnet "$DLL" sandbox --urls "$SANDBOX" >"$WORK/sandbox.log" 2>&1 &
SB_PID=$!
PIDS+=("$SB_PID")
for _ in $(seq 1 240); do curl -fs "$SANDBOX/sandbox/" >/dev/null 2>&1 && break; sleep 0.5; done
kill -0 "$SB_PID" 2>/dev/null || { say "the sandbox did not start: $WORK/sandbox.log"; exit 1; }
curl -fs "$SANDBOX/sandbox/" >"$WORK/describe.json"
port_of() { python3 -c 'import json,sys,urllib.parse as u; print(u.urlparse(json.load(open(sys.argv[1]))["endpoints"][sys.argv[2]]).port)' "$WORK/describe.json" "$1"; }
FCM_TLS_PORT=$(port_of fcmTls)
echo | openssl s_client -connect "127.0.0.1:$FCM_TLS_PORT" -alpn h2 2>/dev/null | openssl x509 >"$WORK/sandbox.pem"

# ---- the sandbox's own ceiling ---------------------------------------------------------------------------------
if ! command -v h2load >/dev/null 2>&1; then
  say "h2load missing: trying apt-get install nghttp2-client"
  (timeout 180 apt-get install -y -q nghttp2-client >>"$LOG" 2>&1 || { timeout 120 apt-get update -q >>"$LOG" 2>&1 && timeout 180 apt-get install -y -q nghttp2-client >>"$LOG" 2>&1; }) || true
fi
if command -v h2load >/dev/null 2>&1; then
  say "h2load: the sandbox's HTTP/2 ceiling (FCM over TLS, 4 connections x 100 streams, requests refused 401 before any work)"
  echo '{"message":{"token":"t","data":{"deliveryId":"1"}}}' >"$WORK/fcm.json"
  H2=$(h2load -n 60000 -c 4 -m 100 -d "$WORK/fcm.json" -H 'content-type: application/json' -H 'authorization: Bearer not-a-token' \
    "https://127.0.0.1:$FCM_TLS_PORT/v1/projects/bench/messages:send" 2>&1 | tee -a "$LOG" | grep -E '^finished in' || true)
  record '{"kind":"h2load"}' "$(python3 -c 'import json,sys,re; m=re.search(r"([0-9.]+) req/s", sys.argv[1]); print(json.dumps({"reqPerSecond": float(m.group(1)) if m else None, "load": sys.argv[2]}))' "$H2" "$(load)")"
else
  say "h2load unavailable: ceiling check skipped"
  record '{"kind":"h2load"}' '{"reqPerSecond": null}'
fi
curl -fs -X POST "$SANDBOX/sandbox/reset" >/dev/null

# ---- provider clients side by side -----------------------------------------------------------------------------
if [ "${SKIP_PROVIDERS:-0}" != 1 ]; then
  for run in $(seq 1 "$RUNS"); do
    for provider in ${PROVIDERS:-fcm apns webpush}; do
      for side in pushconsole peer; do
        before_load=$(load); sb0=$(cpu_of "$SB_PID")
        if [ "$side" = pushconsole ]; then
          line=$(dotnet "$DLL" bench providers --provider "$provider" --tls --sandbox "$SANDBOX" --count "$COUNT" --concurrency "$CONCURRENCY" \
            ${FCM_CONNECTIONS:+--fcm-connections "$FCM_CONNECTIONS"} ${APNS_CONNECTIONS:+--apns-connections "$APNS_CONNECTIONS"} --json 2>>"$LOG" | tail -1 || true)
        else
          line=$(node bench/peers/peers.js --peer "$provider" --control "$SANDBOX" --ca "$WORK/sandbox.pem" --count "$COUNT" --concurrency "$CONCURRENCY" 2>>"$LOG" | tail -1 || true)
        fi
        sb1=$(cpu_of "$SB_PID")
        record "$line" "{\"kind\":\"providers\",\"role\":\"$side\",\"provider\":\"$provider\",\"run\":$run,\"load\":\"$before_load\",\"sandboxCpuSecondsWholeRun\":$(python3 -c "print($sb1-$sb0)")}"
        say "run $run $provider $side: $(python3 bench/report.py --line "$RAW") (load $before_load)"
      done
    done
  done
fi

# ---- the million -----------------------------------------------------------------------------------------------
if [ "${SKIP_MILLION:-0}" != 1 ]; then
  DATA=$WORK/data
  TLS_FLAG=(); [ "$MILLION_TLS" = 1 ] && TLS_FLAG=(--tls)
  say "seeding $MILLION installations (and $FAULTS_COUNT for the fault-injected campaign) wired to the sandbox"
  t0=$(date +%s.%N); l0=$(load)
  dotnet "$CAMPAIGN" seed --data "$DATA" --sandbox "$SANDBOX" --count "$MILLION" "${TLS_FLAG[@]}" 2>>"$LOG" | tail -1 >"$WORK/seed.json"
  record "$(cat "$WORK/seed.json")" "{\"kind\":\"seed\",\"load\":\"$l0\",\"wallSeconds\":$(python3 -c "print($(date +%s.%N)-$t0)")}"
  dotnet "$CAMPAIGN" seed --data "$DATA" --sandbox "$SANDBOX" --count "$FAULTS_COUNT" --app-file bench-faults.json "${TLS_FLAG[@]}" 2>>"$LOG" | tail -1 >/dev/null
  SETTINGS_KEY=settings; [ "$MILLION_TLS" = 1 ] && SETTINGS_KEY=tlsSettings
  mapfile -t PROVIDER_ARGS < <(python3 -c 'import json,sys; [print(f"--{k}={v}") for k,v in json.load(open(sys.argv[1]))[sys.argv[2]].items()]' "$WORK/describe.json" "$SETTINGS_KEY")
  start_app() {
    env $(case "$APP_GC" in server) echo DOTNET_gcServer=1 ;; workstation) echo DOTNET_gcServer=0 ;; esac) dotnet "$DLL" --urls "$APP" "--Data:Directory=$DATA" "--Logging:LogLevel:Default=Warning" "${PROVIDER_ARGS[@]}" >>"$WORK/app.log" 2>&1 &
    APP_PID=$!
    PIDS+=("$APP_PID")
    for _ in $(seq 1 240); do curl -fs "$APP/health" >/dev/null 2>&1 && break; sleep 0.5; done
  }
  stop_app() { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }

  start_app
  say "send now → first provider request: $LATENCY_RUNS campaigns of 100 recipients"
  l0=$(load)
  line=$(dotnet "$CAMPAIGN" latency --data "$DATA" --sandbox "$SANDBOX" --app "$APP" --runs "$LATENCY_RUNS" --size 100 2>>"$LOG" | tail -1 || true)
  record "$line" "{\"kind\":\"latency\",\"load\":\"$l0\"}"
  stop_app

  start_app
  say "the $MILLION-recipient campaign end to end (app pid $APP_PID)"
  l0=$(load); sb0=$(cpu_of "$SB_PID")
  line=$(dotnet "$CAMPAIGN" campaign --data "$DATA" --sandbox "$SANDBOX" --app "$APP" --app-pid "$APP_PID" --name million 2>>"$LOG" | tail -1 || true)
  record "$line" "{\"kind\":\"campaign\",\"load\":\"$l0\",\"loadAfter\":\"$(load)\",\"sandboxCpuSeconds\":$(python3 -c "print($(cpu_of "$SB_PID")-$sb0)")}"
  say "$line"
  stop_app

  start_app
  say "the $FAULTS_COUNT-recipient campaign with 5 % 429 + 1 % 503 injected"
  l0=$(load)
  line=$(dotnet "$CAMPAIGN" campaign --data "$DATA" --sandbox "$SANDBOX" --app "$APP" --app-pid "$APP_PID" --app-file bench-faults.json --faults --name faults 2>>"$LOG" | tail -1 || true)
  record "$line" "{\"kind\":\"campaign-faults\",\"load\":\"$l0\",\"loadAfter\":\"$(load)\"}"
  say "$line"
  stop_app
  rm -rf "$DATA"
fi

SKIP_PROVIDERS=${SKIP_PROVIDERS:-0} SKIP_MILLION=${SKIP_MILLION:-0} APP_GC=$APP_GC MILLION_TLS=$MILLION_TLS python3 bench/report.py "$RAW" "$STAMP" "$COUNT" "$RUNS" "$CONCURRENCY" "$MILLION" "$FAULTS_COUNT" >"$RESULTS/$STAMP.md"
cp "$RAW" "$RESULTS/$STAMP.jsonl"
cp "$RESULTS/$STAMP.md" "$RESULTS/latest.md"
cat "$RESULTS/$STAMP.md"
say "written: bench/results/$STAMP.md (raw: bench/results/$STAMP.jsonl; log: $LOG)"
