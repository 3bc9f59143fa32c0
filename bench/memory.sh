#!/usr/bin/env bash
# The million's memory, one setting at a time (docs/BENCHMARKS.md, "Where the memory of the million went"):
#   bench/memory.sh setup                       # sandbox on :9400 in its own process, MILLION installations seeded
#   bench/memory.sh run LABEL [VAR=value …]     # the app with those environment variables, one 1 M campaign,
#                                               # its RSS split (anonymous / file-mapped / shared) every 5 s
#   bench/memory.sh stop                        # stops the sandbox
# Each run adds a campaign's rows to the same database, so later runs read and write a larger outbox.
# Example: bench/memory.sh run workstation DOTNET_gcServer=0;  bench/memory.sh run cap DOTNET_GCHeapHardLimit=0x10000000
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-/tmp/pushconsole-memory}
MILLION=${MILLION:-1000000}
DLL=$ROOT/PushConsole/bin/Release/net10.0/PushConsole.dll
CAMPAIGN=$ROOT/bench/CampaignBench/bin/Release/net10.0/CampaignBench.dll
SANDBOX=http://127.0.0.1:9400
APP=http://127.0.0.1:5199
case "${1:-}" in
  setup)
    dotnet build PushConsole -c Release -nologo -v q >/dev/null
    dotnet build bench/CampaignBench -c Release -nologo -v q >/dev/null
    rm -rf "$WORK"; mkdir -p "$WORK"
    dotnet "$DLL" sandbox --urls "$SANDBOX" >"$WORK/sandbox.log" 2>&1 &
    echo $! >"$WORK/sandbox.pid"
    for _ in $(seq 1 240); do curl -fs "$SANDBOX/sandbox/" >/dev/null 2>&1 && break; sleep 0.5; done
    curl -fs "$SANDBOX/sandbox/" >"$WORK/describe.json"
    dotnet "$CAMPAIGN" seed --data "$WORK/data" --sandbox "$SANDBOX" --count "$MILLION" | tail -1
    ;;
  run)
    label=${2:?usage: bench/memory.sh run LABEL [VAR=value …]}; shift 2
    mapfile -t provider_args < <(python3 -c 'import json,sys; [print(f"--{k}={v}") for k,v in json.load(open(sys.argv[1]))["settings"].items()]' "$WORK/describe.json")
    env "$@" dotnet "$DLL" --urls "$APP" "--Data:Directory=$WORK/data" "--Logging:LogLevel:Default=Warning" "${provider_args[@]}" >>"$WORK/app.log" 2>&1 &
    app=$!
    for _ in $(seq 1 240); do curl -fs "$APP/health" >/dev/null 2>&1 && break; sleep 0.5; done
    (while kill -0 "$app" 2>/dev/null; do
       echo "$(date +%s) $(grep -E 'VmRSS|RssAnon|RssFile|RssShmem' "/proc/$app/status" 2>/dev/null | awk '{printf "%s%s ", $1, $2}')"; sleep 5
     done) >"$WORK/rss-$label.txt" &
    line=$(dotnet "$CAMPAIGN" campaign --data "$WORK/data" --sandbox "$SANDBOX" --app "$APP" --app-pid "$app" --name "memory-$label" 2>>"$WORK/bench.log" | tail -1 || true)
    kill "$app"; wait "$app" 2>/dev/null || true
    echo "$label $line"
    echo "highest sample (kB): $(sort -t: -k2 -n "$WORK/rss-$label.txt" | tail -1 | cut -d' ' -f2-)"
    ;;
  stop)
    kill "$(cat "$WORK/sandbox.pid")" 2>/dev/null || true
    ;;
  *) sed -n 2,9p "$0"; exit 1 ;;
esac
