#!/usr/bin/env bash
# Regenerates src/Cairn.Kafka.Protocol/Messages/*.g.cs (message codecs, ApiKey table) and the test sample
# fillers from Kafka's JSON message schemas (default: ../shared/spec/kafka/message, Kafka 3.9).
# The generated files are committed: building the project never needs the schemas.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
schemas=${1:-$here/../shared/spec/kafka/message}
dotnet run --project "$here/tools/Cairn.CodeGen" -c Release -- \
  "$schemas" \
  "$here/src/Cairn.Kafka.Protocol/Messages" \
  "$here/tests/Cairn.Kafka.Protocol.Tests/Generated/MessageSamples.g.cs"
