#!/usr/bin/env bash
# Prints each failed test of a .trx file with the first lines of its message and stack: the end of a CI log.
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
PY
