#!/usr/bin/env bash
# Regenerates the migration set of each provider from the current model.
#   scripts/migrations.sh add <Name>     add a migration to both providers
#   scripts/migrations.sh reset          squash everything into one Initial migration per provider (pre-release only)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
cmd=${1:-add}
name=${2:-Initial}
if [ "$cmd" = reset ]; then
  rm -rf PushConsole/Data/Migrations
  name=Initial
fi
dotnet build PushConsole/PushConsole.csproj -v q -nologo >/dev/null
cd PushConsole
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --context "${provider}AppDbContext" --output-dir "Data/Migrations/$provider"

done
