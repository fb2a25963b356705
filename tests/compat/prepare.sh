#!/usr/bin/env bash
# Prepares the client compatibility checks (idempotent; fast when already done):
#   - KafkaJS 2.2.4 from package-lock.json into tests/compat/node_modules (npm ci)
#   - the empty librdkafka.redist stand-in package into tests/compat/dotnet/feed (dotnet pack)
#   - the Confluent.Kafka 1.9.3 check program into tests/compat/dotnet/bin/ConfluentCompat
# Debian packages (kcat, python3-kafka, python3-confluent-kafka, codecs) are installed by ./test.sh.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say() { echo "prepare.sh: $*"; }

# newer_than STAMP PATH...: true when STAMP is missing or any file under PATH is newer
newer_than() {
  local stamp=$1; shift
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$@" -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]
}

if [ "$(node -p "require('./node_modules/kafkajs/package.json').version" 2>/dev/null)" != "2.2.4" ] \
   || newer_than node_modules/.cairn-stamp package-lock.json; then
  say "npm ci (kafkajs 2.2.4)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.cairn-stamp
fi

feed=dotnet/feed
if [ ! -f "$feed/librdkafka.redist.1.9.2.nupkg" ] || newer_than "$feed/librdkafka.redist.1.9.2.nupkg" dotnet/LibrdkafkaStandIn; then
  say "dotnet pack librdkafka.redist stand-in -> $feed"
  dotnet pack dotnet/LibrdkafkaStandIn/librdkafka.redist.csproj -c Release -o "$feed" -nologo -v quiet -clp:ErrorsOnly
  touch "$feed/librdkafka.redist.1.9.2.nupkg"
fi

out=dotnet/bin/ConfluentCompat
if [ ! -f "$out/ConfluentCompat.dll" ] || newer_than "$out/ConfluentCompat.dll" dotnet/ConfluentCompat dotnet/Directory.Build.props "$feed"; then
  say "dotnet build ConfluentCompat (Confluent.Kafka 1.9.3) -> $out"
  dotnet build dotnet/ConfluentCompat/ConfluentCompat.csproj -c Release -o "$out" -nologo -v quiet -clp:ErrorsOnly
  touch "$out/ConfluentCompat.dll"
fi
say "ready"
