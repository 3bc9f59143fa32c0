#!/usr/bin/env python3
"""Turns bench/run.sh's raw.jsonl into the Markdown table of docs/BENCHMARKS.md.

report.py RAW STAMP COUNT RUNS CONCURRENCY MILLION FAULTS_COUNT   the whole report
report.py --line RAW                                              a one-line summary of RAW's last record
"""
import json
import os
import statistics
import subprocess
import sys

GC_NAMES = {"app": "workstation (the app’s runtimeconfig)", "server": "server", "workstation": "workstation"}
TARGETS = {"fcm": 2.5, "apns": 2.0, "webpush": 3.0}
NAMES = {"fcm": "FCM v1", "apns": "APNs", "webpush": "Web Push"}
PEERS = {"fcm": "firebase-admin 14.5.1 `sendEach`", "apns": "@parse/node-apn 8.1.0", "webpush": "web-push 3.6.7"}


def rate(d):
    return d["sandbox"]["accepted"] / d["elapsedSeconds"]


def line(path):
    with open(path) as f:
        d = json.loads(f.read().splitlines()[-1])
    if "sandbox" not in d:
        return "FAILED"
    s = d["sandbox"]
    return f"{rate(d):,.0f} msg/s, {s['accepted']} accepted, {s['duplicates']} duplicates, {s['connections']} connection(s)"


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return "?"


def machine():
    model, mem = "?", "?"
    with open("/proc/cpuinfo") as f:
        for l in f:
            if l.startswith("model name"):
                model = l.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        for l in f:
            if l.startswith("MemTotal"):
                mem = f"{int(l.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    return f"{os.cpu_count()} cores ({model}), {mem} RAM, .NET {sh('dotnet', '--version')}, Node {sh('node', '--version')}"


def fmt(x, digits=0):
    return f"{x:,.{digits}f}"


def report(raw, stamp, count, runs, concurrency, million, faults_count):
    with open(raw) as f:
        rows = [json.loads(l) for l in f if l.strip()]
    commit = sh("git", "rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if sh("git", "status", "--porcelain", "--untracked-files=no") else ""
    out = []
    p = out.append
    p(f"# Benchmark run {stamp}")
    p("")
    env = " ".join(f"{k}={os.environ[k]}" for k in ["SKIP_PROVIDERS", "SKIP_MILLION", "APP_GC", "MILLION_TLS"] if os.environ.get(k) not in (None, "", "0", "app"))
    p(f"- Command: `{env + ' ' if env else ''}bench/run.sh` (COUNT={count} RUNS={runs} CONCURRENCY={concurrency} MILLION={million} FAULTS_COUNT={faults_count})")
    p(f"- Commit: {commit}{dirty}")
    p(f"- Machine: {machine()}; shared with other work: the load average (1, 5, 15 min) is given beside every measurement")
    p("")

    h2 = [r for r in rows if r.get("kind") == "h2load"]
    if h2:
        v = h2[0].get("reqPerSecond")
        p(f"Sandbox ceiling (h2load, FCM TLS listener, 4 connections × 100 streams, every request refused 401 before any work): "
          + (f"**{fmt(v)} requests/s** (load {h2[0].get('load')})" if v else "not measured (h2load unavailable)"))
        p("")

    prov = [r for r in rows if r.get("kind") == "providers"]
    if prov:
        p(f"## Provider clients side by side ({count:,} messages per run, {concurrency} in flight, TLS, sandbox in its own process)")
        p("")
        p("msg/s = messages the sandbox accepted in the measured window ÷ the window's wall time (after a 2,000-message warm-up). "
          "CPU = the client process's CPU time in the window. Sandbox CPU = the sandbox process's CPU over the whole client run "
          "(warm-up included), per 1,000 messages. Peak RSS = the client process's high-water mark.")
        p("")
        p("| provider | client | msg/s, run by run | median msg/s | spread (max−min)/median | client CPU-s / 1k msgs | sandbox CPU-s / 1k msgs | client peak RSS | connections | accepted / duplicates (all runs) | load avg at start |")
        p("|---|---|---|---|---|---|---|---|---|---|---|")
        summary = []
        for provider in ["fcm", "apns", "webpush"]:
            if not any(r.get("provider") == provider for r in prov): continue  # left out with PROVIDERS=…
            medians = {}
            for role in ["pushconsole", "peer"]:
                rs = [r for r in prov if r.get("provider") == provider and r.get("role") == role]
                # a run the sandbox accepted nothing of (every send refused on our side) is a failed run, not a figure
                ok = [r for r in rs if "sandbox" in r and r["sandbox"].get("accepted", 0) > 0]
                failed = len(rs) - len(ok)
                if not ok:
                    p(f"| {NAMES[provider]} | {'PushConsole' if role == 'pushconsole' else PEERS[provider]} | failed ({failed} runs) | | | | | | | | |")
                    continue
                rates = [rate(r) for r in ok]
                med = statistics.median(rates)
                medians[role] = med
                medians[role + "-cpu"] = statistics.median(r["cpuSeconds"] / r["sandbox"]["accepted"] * 1000 for r in ok)
                cpu = statistics.median(r["cpuSeconds"] / r["sandbox"]["accepted"] * 1000 for r in ok)
                sbcpu = statistics.median(r["sandboxCpuSecondsWholeRun"] / (r["count"] + 2000) * 1000 for r in ok)
                rss = max(r["peakRssBytes"] for r in ok) / 1024 / 1024
                conns = "/".join(str(r["sandbox"]["connections"]) for r in ok)
                acc = sum(r["sandbox"]["accepted"] for r in ok)
                dup = sum(r["sandbox"]["duplicates"] for r in ok)
                loads = "; ".join(r["load"].split()[0] for r in ok)
                name = "**PushConsole**" if role == "pushconsole" else PEERS[provider]
                p(f"| {NAMES[provider]} | {name} | {' / '.join(fmt(x) for x in rates)}{f' ({failed} failed)' if failed else ''} | **{fmt(med)}** | "
                  f"{(max(rates) - min(rates)) / med * 100:.0f} % | {cpu:.3f} | {sbcpu:.3f} | {rss:.0f} MB | {conns} | {acc:,} / {dup} | {loads} |")
            if "pushconsole" in medians and "peer" in medians:
                summary.append((provider, medians["pushconsole"] / medians["peer"], medians["peer-cpu"] / medians["pushconsole-cpu"]))
        p("")
        p("| provider | msg/s, PushConsole ÷ peer (medians) | target | | client CPU per message, peer ÷ PushConsole (medians) |")
        p("|---|---|---|---|---|")
        for provider, ratio, cpu_ratio in summary:
            met = "met" if ratio >= TARGETS[provider] else "**missed**"
            p(f"| {NAMES[provider]} vs {PEERS[provider]} | **{ratio:.2f}×** | ≥ {TARGETS[provider]}× | {met} | {cpu_ratio:.2f}× |")
        p("")

    seed = [r for r in rows if r.get("kind") == "seed"]
    lat = [r for r in rows if r.get("kind") == "latency"]
    camp = [r for r in rows if r.get("kind") == "campaign"]
    faults = [r for r in rows if r.get("kind") == "campaign-faults"]
    if seed or camp or lat or faults:
        p(f"## A {million:,}-recipient campaign through the app (its own process, SQLite, {GC_NAMES.get(os.environ.get('APP_GC', 'app'), os.environ.get('APP_GC'))} GC; providers = the sandbox process over {'TLS' if os.environ.get('MILLION_TLS') == '1' else 'h2c'})")
        p("")
        if seed and "seeded" in seed[0]:
            s = seed[0]
            p(f"Seeded {s['seeded']:,} subscribed installations (60 % Android, 35 % iOS, {s['web']:,} web subscriptions made by the sandbox) in "
              f"{s['wallSeconds']:.0f} s (load {s['load']}); seeding is not what is measured.")
            p("")
        p("| measure | figure | target | | load avg at start |")
        p("|---|---|---|---|---|")
        for c in camp:
            if "seconds" not in c:
                p(f"| {million:,}-recipient campaign | failed | ≤ 60 s, ≤ 250 MB | **missed** | {c.get('load')} |")
                continue
            rss = c["appPeakRssKb"] / 1024
            p(f"| {c['audience']:,}-recipient campaign, POST /v4/push → GET /v4/messages/{{id}} `completed` | **{c['seconds']:.1f} s** "
              f"({c['sandboxAccepted'] / c['seconds']:,.0f} msg/s; status {c['status']}, sent {c['sent']:,}, failed {c['failed']:,}) | ≤ 60 s | "
              f"{'met' if c['seconds'] <= 60 else '**missed**'} | {c['load']} → {c.get('loadAfter')} |")
            per = c['appCpuSeconds'] * 1e6 / max(1, c['targets'])
            p(f"| app CPU per message | **{per:.0f} µs** ({c['appCpuSeconds']:.0f} CPU-s) | ≤ 70 µs | {'met' if per <= 70 else '**missed**'} | |")
            if c.get("sandboxCpuSeconds"):
                # both processes share the box's cores: the wall time is bounded by their CPU together
                p(f"| sandbox CPU during it (same box) | {c['sandboxCpuSeconds']:.0f} CPU-s; app + sandbox {c['appCpuSeconds'] + c['sandboxCpuSeconds']:.0f} CPU-s "
                  f"in {c['seconds']:.0f} s on {os.cpu_count()} cores | | | |")
            p(f"| app peak RSS during it | **{rss:.0f} MB** | ≤ 250 MB | {'met' if rss <= 250 else '**missed**'} | |")
            p(f"| sandbox-confirmed unique deliveries | **{c['sandboxUnique']:,}** of {c['targets']:,} targets; {c['sandboxDuplicates']} duplicates; "
              f"{c['lost']} lost | all, 0 duplicates | {'met' if c['lost'] == 0 and c['sandboxDuplicates'] == 0 else '**missed**'} | |")
        for l in lat:
            if "p99Ms" not in l:
                p("| send now → first provider request | failed | p99 ≤ 100 ms | **missed** | |")
                continue
            cold = f"; the app's first push after its start, not counted: {l['coldMs']:.0f} ms" if l.get("coldMs") is not None else ""
            p(f"| send now → first provider request ({l['runs']} campaigns of {l['size']}) | p50 **{l['p50Ms']:.0f} ms**, p99 **{l['p99Ms']:.0f} ms** "
              f"(max {l['maxMs']:.0f} ms{cold}) | p99 ≤ 100 ms | {'met' if l['p99Ms'] <= 100 else '**missed**'} | {l['load']} |")
        for c in faults:
            if "seconds" not in c:
                p(f"| {faults_count:,}-recipient campaign, 5 % 429 + 1 % 503 injected | failed | 0 lost, 0 duplicates | **missed** | {c.get('load')} |")
                continue
            refused = sum(c["refused"].values())
            p(f"| {c['audience']:,}-recipient campaign, 5 % 429 + 1 % 503 injected | {c['seconds']:.1f} s; {c['sandboxRequests']:,} requests, "
              f"{refused:,} refused 429/503 and retried (lanes paused by Retry-After); app CPU {c['appCpuSeconds']:.0f} s; **{c['sandboxUnique']:,}** unique of {c['targets']:,}, **{c['lost']} lost**, "
              f"**{c['sandboxDuplicates']} duplicates** | 0 lost, 0 duplicates | "
              f"{'met' if c['lost'] == 0 and c['sandboxDuplicates'] == 0 and c['sandboxUnique'] == c['targets'] else '**missed**'} | {c['load']} → {c.get('loadAfter')} |")
        p("")
        for c in camp:
            stages = c.get("appCpuMicrosPerMessageByStage")
            if not stages:
                continue
            p("App CPU per message by stage (µs; thread CPU time around each batch's synchronous work, from the app's "
              "`pushconsole.dispatch.stage.cpu` counter; \"rest\" is everything not measured apart: the provider clients "
              "(render, JSON, HTTP/2), the GC, the API and the JIT):")
            p("")
            p("| " + " | ".join(stages) + " | total |")
            p("|" + "---|" * (len(stages) + 1))
            p("| " + " | ".join(f"{v:.1f}" for v in stages.values()) + f" | {sum(stages.values()):.1f} |")
            p("")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1] == "--line":
        print(line(sys.argv[2]))
    else:
        raw, stamp, count, runs, conc, million, faults_count = sys.argv[1:8]
        print(report(raw, stamp, int(count), int(runs), int(conc), int(million), int(faults_count)))
