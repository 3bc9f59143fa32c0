#!/usr/bin/env bash
# Which feature folders use which, from `using PushConsole.X` / `@using PushConsole.X` lines and `PushConsole.X.` names
# in each folder's .cs and .razor files. Prints a markdown table, then any feature both used by Sending and using it (exit 1 if so).
#   scripts/feature-map.sh            the table and the cycle check (paste the table into docs/ARCHITECTURE.md)
set -euo pipefail
cd "$(dirname "$0")/../PushConsole"
features=$(find . -mindepth 1 -maxdepth 1 -type d ! -name bin ! -name obj ! -name wwwroot ! -name Properties -printf '%f\n' | sort)
edges=$(for f in $features; do
  grep -rhoE --include='*.cs' --include='*.razor' --exclude-dir=Migrations '(@?using |global::|[^A-Za-z0-9_.])PushConsole\.[A-Z][A-Za-z]*' "$f" 2>/dev/null \
    | sed -E 's/.*PushConsole\.//' | sort -u | while read -r g; do
      if [ "$g" != "$f" ] && [ -d "$g" ]; then echo "$f $g"; fi
    done
done | sort -u)
echo "| Feature | Uses |"
echo "|---|---|"
for f in $features; do
  uses=$(echo "$edges" | awk -v f="$f" '$1 == f { printf "%s%s", sep, $2; sep = ", " }')
  echo "| $f | ${uses:-—} |"
done
echo
# the rule: nothing Sending uses directly may use Sending (exit 1 otherwise); longer loops are listed for the record
echo "$edges" | awk '
  { adj[$1] = adj[$1] " " $2; if ($2 == "Sending") user[$1] = 1 }
  function reach(start,   queue, head, tail, n, parts, i, x) {
    delete R; head = 0; tail = 0; queue[tail++] = start
    while (head < tail) { x = queue[head++]; n = split(adj[x], parts, " ")
      for (i = 1; i <= n; i++) if (!(parts[i] in R)) { R[parts[i]] = 1; queue[tail++] = parts[i] } }
  }
  END {
    n = split(adj["Sending"], direct, " "); bad = 0
    for (i = 1; i <= n; i++) if (direct[i] in user) { print "two-way: Sending <-> " direct[i]; bad = 1 }
    if (!bad) print "No two-way edge: no feature Sending uses uses Sending."
    for (i = 1; i <= n; i++) { reach(direct[i]); if (("Sending" in R) && !(direct[i] in user)) print "longer loop: Sending -> " direct[i] " -> ... -> Sending" }
    exit bad
  }'
