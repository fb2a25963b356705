#!/usr/bin/env bash
# Measures the broker beside this machine's physical limits, in one run:
#   loopback TCP (iperf3), sequential disk writes (dd conv=fdatasync), then Cairn.Bench.KafkaLoad against a
#   fresh `cairn kafka broker --standalone` (data in a temp dir on the same disk as the dd test).
#   usage: bench/Cairn.Bench.KafkaLoad/run.sh [load-program options, e.g. --seconds 10 --connections 2]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
broker_pid=""
cleanup() { [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "## machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -r)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "## build"
./cairn version >/dev/null
dotnet build bench/Cairn.Bench.KafkaLoad -c Release -o artifacts/bench-kafkaload -nologo -v quiet -clp:ErrorsOnly >/dev/null

echo "## loopback TCP (iperf3, 1 stream, 5 s)"
port=$((30000 + RANDOM % 20000))
iperf3 -s -B 127.0.0.1 -p "$port" -1 >/dev/null 2>&1 &
iperf_pid=$!
for _ in $(seq 1 50); do iperf3 -c 127.0.0.1 -p "$port" -t 5 2>/dev/null | grep -E 'sender|receiver' && break; sleep 0.1; done
wait "$iperf_pid" 2>/dev/null || true

echo "## sequential disk write (dd 1 GiB, conv=fdatasync) in $(df --output=source "$work" | tail -n 1)"
dd if=/dev/zero of="$work/dd.bin" bs=1M count=1024 conv=fdatasync 2>&1 | tail -n 1
rm -f "$work/dd.bin"

echo "## broker"
dotnet artifacts/cairn/cairn.dll kafka broker --standalone --port 0 --data "$work/data" >"$work/broker.log" 2>&1 &
broker_pid=$!
bootstrap=""
for _ in $(seq 1 600); do
  bootstrap=$(sed -nE 's/.*listening on PLAINTEXT:\/\/([0-9.]+:[0-9]+).*/\1/p' "$work/broker.log" | head -n 1)
  [ -n "$bootstrap" ] && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$work/broker.log"; exit 1; }
  sleep 0.1
done
[ -n "$bootstrap" ] || { echo "broker did not start"; cat "$work/broker.log"; exit 1; }
echo "broker at $bootstrap (pid $broker_pid)"

echo "## load"
dotnet artifacts/bench-kafkaload/Cairn.Bench.KafkaLoad.dll --bootstrap "$bootstrap" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
