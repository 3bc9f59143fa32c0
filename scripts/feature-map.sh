#!/usr/bin/env bash
# Which feature folders use which, from `using PushConsole.X` / `@using PushConsole.X` lines, `PushConsole.X.` names and
# `X.Type` names relative to PushConsole (Type declared in folder X) in each folder's .cs and .razor files. Prints a markdown table, then any chain of uses from Sending back to Sending (exit 1 if so).
#   scripts/feature-map.sh            the table and the cycle check (paste the table into docs/ARCHITECTURE.md)
set -euo pipefail
cd "$(dirname "$0")/../PushConsole"
features=$(find . -mindepth 1 -maxdepth 1 -type d ! -name bin ! -name obj ! -name wwwroot ! -name Properties -printf '%f\n' | sort)
edges=$(for f in $features; do
  grep -rhoE --include='*.cs' --include='*.razor' --exclude-dir=Migrations '(@?using |global::|[^A-Za-z0-9_.])PushConsole\.[A-Z][A-Za-z]*' "$f" 2>/dev/null \
    | sed -E 's/.*PushConsole\.//' | sort -u | while read -r g; do
      if [ "$g" != "$f" ] && [ -d "$g" ]; then echo "$f $g"; fi
    done
  # names relative to PushConsole (`Operations.PushMetrics.X` inside namespace PushConsole.Sending): a folder's name followed by a type it declares
  for g in $features; do
    [ "$g" = "$f" ] && continue
    types=$(grep -rhoE --include='*.cs' --exclude-dir=Migrations '(class|record|interface|enum|struct) [A-Z][A-Za-z0-9]*' "$g" 2>/dev/null | awk '{print $2}' | sort -u | paste -sd'|')
    [ -z "$types" ] && continue
    if grep -rqE --include='*.cs' --include='*.razor' --exclude-dir=Migrations "(^|[^A-Za-z0-9_.])$g\.($types)([^A-Za-z0-9_]|$)" "$f" 2>/dev/null; then echo "$f $g"; fi
  done
done | sort -u)
echo "| Feature | Uses |"
echo "|---|---|"
for f in $features; do
  uses=$(echo "$edges" | awk -v f="$f" '$1 == f { printf "%s%s", sep, $2; sep = ", " }')
  echo "| $f | ${uses:-—} |"
done
echo
# the rule: no chain of uses leads from Sending back to Sending (exit 1 otherwise, printing the shortest such loop per first step)
echo "$edges" | awk '
  { adj[$1] = adj[$1] " " $2 }
  END {
    n = split(adj["Sending"], direct, " "); bad = 0
    for (i = 1; i <= n; i++) {
      delete seen; delete parent; head = 0; tail = 0; queue[tail++] = direct[i]; seen[direct[i]] = 1; found = 0
      while (head < tail && !found) {
        x = queue[head++]; m = split(adj[x], next_, " ")
        for (j = 1; j <= m; j++) {
          y = next_[j]
          if (y == "Sending") { found = 1; last = x; break }
          if (!(y in seen)) { seen[y] = 1; parent[y] = x; queue[tail++] = y }
        }
      }
      if (!found) continue
      path = last " -> Sending"; for (x = last; x in parent; x = parent[x]) path = parent[x] " -> " path
      print "loop: Sending -> " path; bad = 1
    }
    if (!bad) print "No loop: nothing Sending uses leads back to Sending."
    exit bad
  }'
