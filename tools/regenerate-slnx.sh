#!/usr/bin/env bash
# Rewrites Cairn.slnx from the projects under src/, tests/, tools/ and bench/.
# tests/compat/dotnet/* are built by their own tests (they need the librdkafka stand-in feed), so they stay out.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo '<Solution>'
  for dir in src tests tools bench; do
    mapfile -t projs < <(find "$dir" -mindepth 2 -maxdepth 2 -name '*.csproj' | sort)
    [ ${#projs[@]} -gt 0 ] || continue
    echo "  <Folder Name=\"/$dir/\">"
    for p in "${projs[@]}"; do echo "    <Project Path=\"$p\" />"; done
    echo '  </Folder>'
  done
  echo '</Solution>'
} > Cairn.slnx
echo "Cairn.slnx: $(grep -c '<Project ' Cairn.slnx) projects"
