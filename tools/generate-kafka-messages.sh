#!/usr/bin/env bash
# Regenerates src/Cairn.Kafka.Protocol/Messages/*.g.cs (message codecs, ApiKey table) and the test sample
# fillers from Kafka's JSON message schemas (Kafka 3.9): the directory given as $1, else ../shared/spec/kafka/message
# next to the repository (../../shared from a worktree under /work/wt). The generated files are committed:
# building the project never needs the schemas.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
schemas=${1:-}
if [ -z "$schemas" ]; then
  for candidate in "$here/../shared/spec/kafka/message" "$here/../../shared/spec/kafka/message"; do
    if [ -d "$candidate" ]; then schemas=$candidate; break; fi
  done
fi
if [ -z "$schemas" ] || [ ! -d "$schemas" ]; then
  echo "Kafka message schemas not found; pass their directory: $0 /path/to/spec/kafka/message" >&2
  exit 2
fi
dotnet run --project "$here/tools/Cairn.CodeGen" -c Release -- \
  "$schemas" \
  "$here/src/Cairn.Kafka.Protocol/Messages" \
  "$here/tests/Cairn.Kafka.Protocol.Tests/Generated/MessageSamples.g.cs"
