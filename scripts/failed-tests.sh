#!/usr/bin/env bash
# Prints each failed test of a .trx file with the first lines of its message and stack and the end of its output: the end of a CI log.
set -euo pipefail
trx="${1:?usage: scripts/failed-tests.sh results.trx}"
[ -f "$trx" ] || { echo "no test results at $trx"; exit 0; }
python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
failed = [r for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns) if r.get("outcome") == "Failed"]
print(f"\n===== {len(failed)} failed test(s) =====")
for r in failed:
    print(f"\n--- {r.get('testName')} ({r.get('duration')})")
    for part in ("Message", "StackTrace"):
        node = r.find(f"t:Output/t:ErrorInfo/t:{part}", ns)
        if node is not None and node.text:
            print("\n".join(node.text.strip().splitlines()[:25]))
    # browser tests write what their page showed and what the host logged at warning or worse
    out = r.find("t:Output/t:StdOut", ns)
    if out is not None and out.text:
        lines = out.text.strip().splitlines()
        print(f"-- its output, the last {min(len(lines), 120)} of {len(lines)} lines:")
        print("\n".join(lines[-120:]))
PY
