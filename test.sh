#!/usr/bin/env bash
# Installs what the tests need (apt-get, npm), builds everything, and runs every test tier.
#   ./test.sh                 all tiers
#   ./test.sh '<filter>'      only tests matching a `dotnet test --filter` expression
# A test that fails is run once more on its own; it counts as failed only if it fails again.
# Tests that needed the second run are listed as "flaky" in the summary, so they get fixed.
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")"
root=$(pwd)
filter=${1:-}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { echo "test.sh: $*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# --- prerequisites -----------------------------------------------------------------------------
apt_packages=(kcat librdkafka-dev python3-kafka python3-confluent-kafka python3-snappy python3-lz4
  python3-zstandard netcat-openbsd zookeeper iperf3 liblz4-1 libzstd1 prometheus strace procps)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { say "apt-get install failed"; exit 1; }
fi
if [ -x tests/compat/prepare.sh ]; then
  say "preparing client compatibility tools (tests/compat/prepare.sh)"
  tests/compat/prepare.sh || { say "tests/compat/prepare.sh failed"; exit 1; }
fi

# --- build ---------------------------------------------------------------------------------------
say "building Cairn.slnx (Release)"
if ! dotnet build Cairn.slnx -c Release -nologo -v quiet -clp:ErrorsOnly; then
  say "build failed"; exit 1
fi
mkdir -p artifacts
if ! dotnet build src/Cairn.Cli/Cairn.Cli.csproj -c Release -o artifacts/cairn -nologo -v quiet -clp:ErrorsOnly; then
  say "CLI build failed"; exit 1
fi
touch artifacts/cairn/.built
export CAIRN_DLL="$root/artifacts/cairn/cairn.dll"

# --- run -----------------------------------------------------------------------------------------
total_pass=0; total_fail=0; total_skip=0; flaky=(); failed_names=()
logdir=$(mktemp -d)
count() { grep -E "^\s*$1:" "$2" | tail -1 | sed -E "s/.*$1:\s*([0-9]+).*/\1/"; }
run_tests() { # project, log, filter
  local args=(test "$1" -c Release --no-build --logger "console;verbosity=normal")
  [ -n "$3" ] && args+=(--filter "$3")
  timeout --kill-after=30 1500 dotnet "${args[@]}" >"$2" 2>&1
}
for proj in $(find tests -mindepth 2 -maxdepth 2 -name '*Tests.csproj' | sort); do
  name=$(basename "$proj" .csproj)
  say "---- $name"
  log="$logdir/$name.log"
  run_tests "$proj" "$log" "$filter"
  grep -E "^\s+(Failed|Skipped) |^\s*(Total tests|Passed|Failed|Skipped):|^(Passed|Failed)!|error" "$log" | grep -v "^\s*Passed " | head -200
  p=$(count Passed "$log"); f=$(count Failed "$log"); s=$(count Skipped "$log")
  p=${p:-0}; f=${f:-0}; s=${s:-0}
  if ! grep -qE "Total tests:" "$log"; then
    if grep -q "No test matches the given testcase filter" "$log"; then continue; fi
    say "$name did not report results; last lines of its output:"; tail -40 "$log"; f=$((f + 1))
  elif [ "$f" -gt 0 ]; then
    mapfile -t names < <(grep -E "^\s+Failed [A-Za-z_]" "$log" | sed -E 's/^\s+Failed ([^ (\[]+).*/\1/' | sort -u)
    retry_filter=$(printf 'FullyQualifiedName~%s|' "${names[@]}"); retry_filter=${retry_filter%|}
    sed -n '/^\s*Failed /,/^\s*$/p' "$log" | head -150
    say "$name: ${#names[@]} failed test(s); running them once more: ${names[*]}"
    run_tests "$proj" "$log.retry" "$retry_filter"
    grep -E "^\s+Failed |^\s*(Total tests|Passed|Failed):" "$log.retry" | head -100
    mapfile -t still < <(grep -E "^\s+Failed [A-Za-z_]" "$log.retry" | sed -E 's/^\s+Failed ([^ (\[]+).*/\1/' | sort -u)
    if ! grep -qE "Total tests:" "$log.retry"; then still=("${names[@]}"); fi
    for n in "${names[@]}"; do
      if printf '%s\n' "${still[@]}" | grep -qxF "$n"; then failed_names+=("$n"); else flaky+=("$n"); fi
    done
    if [ ${#still[@]} -gt 0 ]; then
      sed -n '/^\s*Failed /,/^\s*$/p' "$log.retry" | head -150
    fi
    p=$((p + f - ${#still[@]})); f=${#still[@]}
  fi
  say "$name — $p passed, $f failed, $s skipped"
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
done
echo
for t in "${flaky[@]}"; do say "flaky (failed, then passed alone): $t"; done
for t in "${failed_names[@]}"; do say "FAILED: $t"; done
echo "tests: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
