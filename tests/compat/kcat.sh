#!/usr/bin/env bash
# kcat 1.7.1 (librdkafka 2.0.2) against a broker.
#   usage: tests/compat/kcat.sh BOOTSTRAP TOPIC_PREFIX
# Prints `ok <what>` or `FAIL <what>: detail` per check; exits 1 if any failed.
# Every check uses its own topic; order is asserted only for one producer writing one partition.
set -uo pipefail
if [ $# -ne 2 ]; then echo "usage: $0 BOOTSTRAP TOPIC_PREFIX" >&2; exit 2; fi
B=$1 P=$2
work=$(mktemp -d)
bg_pids=()
cleanup() { for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
failures=()
kcat -V | head -n 4 | tail -n 1

# run_check NAME FUNCTION: the function fails by returning non-zero after printing a reason on stdout.
run_check() {
  local name=$1 fn=$2 out started=$SECONDS
  if out=$("$fn" 2>&1); then
    echo "ok $name ($((SECONDS - started)) s)"
  else
    echo "FAIL $name: $(echo "$out" | tail -n 1)"
    echo "$out" | tail -n 40 | sed 's/^/    /'
    failures+=("$name")
  fi
}
# checks run in a command-substitution subshell, so `fail` ends just that check
fail() { echo "$*"; exit 1; }

# kcat with a 30 s metadata timeout; -q keeps librdkafka's informational lines out of the output.
k() { timeout 120 kcat -b "$B" -m 30 "$@"; }

# end_offset TOPIC PARTITION: ListOffsets latest (timestamp -1) through kcat's query mode.
end_offset() { k -Q -t "$1:$2:-1" 2>/dev/null | sed -nE 's/.* offset (-?[0-9]+)$/\1/p'; }

# wait_end TOPIC PARTITION COUNT: acks=0 records may still be in flight after kcat exits.
wait_end() {
  local deadline=$((SECONDS + 60)) end
  while :; do
    end=$(end_offset "$1" "$2")
    [ -n "$end" ] && [ "$end" -ge "$3" ] && return 0
    [ $SECONDS -gt $deadline ] && { echo "end offset of $1 is ${end:-unknown}, want $3"; return 1; }
    sleep 0.2
  done
}

# consume TOPIC PARTITION START FORMAT: everything from START to the end, then exit.
consume() { k -C -t "$1" -p "$2" -o "$3" -e -Z -q -f "$4"; }

check_metadata() {
  local out; out=$(k -L) || fail "kcat -L failed"
  echo "$out" | head -n 5
  echo "$out" | grep -qE "broker [0-9]+ at ${B}( |$)" || fail "broker $B not listed"
}

# produce_acks ACKS: keys and headers, one producer, one partition.
produce_acks() {
  local acks=$1 t="$P-acks-$1" n=200
  seq 1 $n | sed 's/.*/k&:v&/' >"$work/in-$acks"
  k -P -t "$t" -p 0 -K : -H "h1=one" -H "h2=two" -X acks="$acks" -X max.in.flight=1 -l "$work/in-$acks" \
    || fail "produce failed"
  wait_end "$t" 0 $n || return 1
  consume "$t" 0 beginning '%o|%k|%s|%h\n' >"$work/out-$acks" || fail "consume failed"
  [ "$(wc -l <"$work/out-$acks")" -eq $n ] || fail "consumed $(wc -l <"$work/out-$acks") records, want $n"
  cut -d'|' -f1 "$work/out-$acks" | diff -q - <(seq 0 $((n - 1))) >/dev/null || fail "offsets not contiguous from 0"
  if grep -qv '|h1=one,h2=two$' "$work/out-$acks"; then fail "headers missing: $(grep -v '|h1=one,h2=two$' "$work/out-$acks" | head -n 1)"; fi
  if [ "$acks" = 0 ]; then  # no order promise checked for acks=0: compare sets
    diff <(cut -d'|' -f2,3 "$work/out-$acks" | tr '|' ':' | sort) <(sort "$work/in-$acks") >/dev/null || fail "records differ"
  else
    diff <(cut -d'|' -f2,3 "$work/out-$acks" | tr '|' ':') "$work/in-$acks" >/dev/null || fail "records differ or out of order"
  fi
}
check_acks_0() { produce_acks 0; }
check_acks_1() { produce_acks 1; }
check_acks_all() { produce_acks all; }

check_nulls() {
  local t="$P-nulls"
  # -Z: an empty key or value is sent as NULL
  printf 'tombstone:\n:no-key\n' | k -P -t "$t" -p 0 -K : -Z -X acks=all || fail "produce failed"
  local out; out=$(consume "$t" 0 beginning '%K|%k|%S|%s\n') || fail "consume failed"
  [ "$out" = $'9|tombstone|-1|NULL\n-1|NULL|6|no-key' ] || fail "got: $(echo "$out" | tr '\n' ' ')"
}

check_batch() {
  local t="$P-batch" n=10000
  seq -f 'r%05g' 1 $n >"$work/batch"
  k -P -t "$t" -p 0 -X acks=1 -X linger.ms=50 -l "$work/batch" || fail "produce failed"
  consume "$t" 0 beginning '%o %s\n' >"$work/batch-out" || fail "consume failed"
  cut -d' ' -f1 "$work/batch-out" | diff -q - <(seq 0 $((n - 1))) >/dev/null || fail "offsets not 0..$((n - 1)) ($(wc -l <"$work/batch-out") records)"
  diff <(cut -d' ' -f2 "$work/batch-out" | sort) <(sort "$work/batch") >/dev/null || fail "records differ"
}

check_big() {
  local t="$P-big"
  head -c $((900 * 1024)) /dev/urandom >"$work/big"
  # a file argument (without -l) is sent as one record
  k -P -t "$t" -p 0 -X acks=all "$work/big" || fail "produce failed"
  consume "$t" 0 beginning '%s' >"$work/big-out" || fail "consume failed"
  cmp -s "$work/big" "$work/big-out" || fail "value differs: $(stat -c %s "$work/big-out") bytes back"
}

positions="$P-positions"
check_positions_setup() {
  local i
  # separate runs, so that timestamps (CreateTime, set by librdkafka) advance between some records
  for i in 0 1 2 3 4; do
    printf 't%s-a\nt%s-b\n' $i $i | k -P -t "$positions" -p 0 -X acks=all || fail "produce $i failed"
  done
  consume "$positions" 0 beginning '%o %T %s\n' >"$work/positions" || fail "consume failed"
  [ "$(wc -l <"$work/positions")" -eq 10 ] || fail "$(wc -l <"$work/positions") records, want 10"
}

check_offsets_for_times() {
  # pick the first record whose timestamp is above its predecessor's; the answer for that timestamp
  # is the first offset with a timestamp >= it (computed from what was consumed, not assumed)
  local ts want got
  ts=$(awk 'NR > 1 && $2 > prev { print $2; exit } { prev = $2 }' "$work/positions")
  [ -n "$ts" ] || fail "all 10 records share one timestamp"
  want=$(awk -v ts="$ts" '$2 >= ts { print $1; exit }' "$work/positions")
  got=$(k -Q -t "$positions:0:$ts" | sed -nE 's/.* offset (-?[0-9]+)$/\1/p')
  [ "$got" = "$want" ] || fail "offset for timestamp $ts: got '$got', want $want"
  got=$(k -Q -t "$positions:0:$(($(awk 'END { print $2 }' "$work/positions") + 1))" | sed -nE 's/.* offset (-?[0-9]+)$/\1/p')
  [ "$got" = "-1" ] || [ "$got" = 10 ] || fail "offset after the last timestamp: got '$got', want end"
  got=$(k -C -t "$positions" -p 0 -o "s@$ts" -c 1 -e -q -f '%o\n')
  [ "$got" = "$want" ] || fail "consume from s@$ts started at '$got', want $want"
}

check_offsets() {
  local got
  got=$(end_offset "$positions" 0); [ "$got" = 10 ] || fail "latest offset $got, want 10"
  got=$(k -Q -t "$positions:0:-2" | sed -nE 's/.* offset (-?[0-9]+)$/\1/p'); [ "$got" = 0 ] || fail "earliest offset $got, want 0"
  got=$(consume "$positions" 0 7 '%o %s\n' | head -n 1); [ "$got" = "7 t3-b" ] || fail "from offset 7: '$got'"
  got=$(consume "$positions" 0 -3 '%o\n' | tr '\n' ' '); [ "$got" = "7 8 9 " ] || fail "last 3 (-o -3): '$got'"
}

check_latest() {
  local t="$positions" deadline=$((SECONDS + 60)) i=0
  k -C -t "$t" -p 0 -o end -c 1 -q -f '%o %s\n' >"$work/latest" 2>"$work/latest.err" &
  bg_pids+=($!)
  # kcat resolves "end" asynchronously: keep producing until one new record arrives
  while [ ! -s "$work/latest" ]; do
    [ $SECONDS -gt $deadline ] && fail "nothing consumed from end within 60 s: $(cat "$work/latest.err")"
    echo "late-$i" | k -P -t "$t" -p 0 -X acks=all || fail "produce failed"
    i=$((i + 1))
    sleep 0.3
  done
  wait "${bg_pids[-1]}" || true
  grep -qE '^[0-9]+ late-[0-9]+$' "$work/latest" || fail "consumed from end: $(cat "$work/latest")"
  [ "$(cut -d' ' -f1 "$work/latest")" -ge 10 ] || fail "an old record came from end: $(cat "$work/latest")"
}

compression() {
  local codec=$1 t="$P-$1" n=1000
  seq -f "$codec record %g $codec $codec $codec $codec $codec" 1 $n >"$work/$codec"
  # debug=msg makes librdkafka say "not compressing batch" when the broker lacks a codec's versions
  k -P -t "$t" -p 0 -z "$codec" -X acks=1 -X linger.ms=20 -d msg -l "$work/$codec" 2>"$work/$codec.log" \
    || fail "produce failed: $(tail -n 3 "$work/$codec.log")"
  if grep -qE 'not compressing|does not support compression' "$work/$codec.log"; then
    fail "librdkafka did not compress: $(grep -m1 -E 'not compressing|does not support compression' "$work/$codec.log")"
  fi
  grep -qE "Produce MessageSet with .*, $codec\)\$" "$work/$codec.log" \
    || fail "no $codec-compressed MessageSet in librdkafka's log: $(grep -m1 'Produce MessageSet' "$work/$codec.log")"
  consume "$t" 0 beginning '%s\n' >"$work/$codec.out" || fail "consume failed"
  diff -q "$work/$codec.out" "$work/$codec" >/dev/null || fail "records differ ($(wc -l <"$work/$codec.out") lines back)"
}
check_gzip() { compression gzip; }
check_snappy() { compression snappy; }
check_lz4() { compression lz4; }
check_zstd() { compression zstd; }

check_idempotent() {
  local t="$P-idempotent" n=500
  seq 1 $n >"$work/idem"
  k -P -t "$t" -p 0 -X enable.idempotence=true -l "$work/idem" || fail "produce failed"
  consume "$t" 0 beginning '%s\n' | diff -q - "$work/idem" >/dev/null || fail "records differ or out of order"
}

run_check "metadata lists the broker" check_metadata
run_check "produce acks=0 with keys and headers, consume from beginning" check_acks_0
run_check "produce acks=1 with keys and headers, consume from beginning" check_acks_1
run_check "produce acks=all with keys and headers, consume from beginning" check_acks_all
run_check "null values and null keys" check_nulls
run_check "large batch: 10,000 records" check_batch
run_check "a ~900 KB record" check_big
run_check "produce records for position checks" check_positions_setup
run_check "offsets for times (-Q) and consume from a timestamp (-o s@)" check_offsets_for_times
run_check "earliest/latest offsets, consume from an absolute and a relative offset" check_offsets
run_check "consume from end sees only new records" check_latest
run_check "compression gzip: produce and consume" check_gzip
run_check "compression snappy: produce and consume" check_snappy
run_check "compression lz4: produce and consume" check_lz4
run_check "compression zstd: produce and consume" check_zstd
run_check "idempotent producer (enable.idempotence=true)" check_idempotent

if [ ${#failures[@]} -gt 0 ]; then
  echo "kcat: ${#failures[@]} check(s) FAILED: ${failures[*]}"
  exit 1
fi
echo "kcat: all checks passed"
