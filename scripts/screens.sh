#!/usr/bin/env bash
# Screenshots of every console page (seeded demo event) at 1440×900 and 390×844, light and dark, into docs/screens/.
#   scripts/screens.sh                 all pages
#   scripts/screens.sh agenda,apps     only these (names as in PushConsole.Tests/Browser/ConsoleTour.cs)
# PNGs are shrunk with pngquant/optipng when installed (keeps the repository small).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/docs/screens"
mkdir -p "$out"
dotnet build PushConsole.Tests -c Release -nologo -v q
PUSHCONSOLE_SCREENS="$out" PUSHCONSOLE_SCREENS_ONLY="${1:-}" \
  dotnet test PushConsole.Tests -c Release --no-build --filter "FullyQualifiedName~ConsoleScreens" --logger "console;verbosity=minimal"
if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --ext .png --quality 60-85 "$out"/*.png || true; fi
ls -la "$out" | tail -n +2 | wc -l | xargs echo "screenshots in docs/screens:"
