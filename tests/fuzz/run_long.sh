#!/usr/bin/env bash
# Runs each fuzz target for a long time (default 30 minutes each), from the seed corpora, keeping
# what it finds in $FUZZ_CORPUS_ROOT/TARGET (default tests/fuzz/corpus-long, git-ignored) and
# crash artifacts in tests/fuzz/crashes/ (git-ignored). Each target's full libFuzzer output goes to
# $FUZZ_LOG_DIR/TARGET.log (default /tmp/fuzz-logs); a summary line per target is printed.
# Usage: tests/fuzz/run_long.sh [-p N] [SECONDS] [TARGET...]   (builds build-fuzz/ with clang first)
#   -p N   run N targets at once (default 1); every fuzzer runs under `nice -n 19` so that the
#          machine stays usable.
# A crash found becomes a regression test: a spec in tests/hostile/cases/ (or a unit test).
set -euo pipefail
cd "$(dirname "$0")/../.."
parallel=1
if [ "${1:-}" = "-p" ]; then parallel=$2; shift 2; fi
seconds=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml_loader expression npy run)
corpus_root=${FUZZ_CORPUS_ROOT:-tests/fuzz/corpus-long}
log_dir=${FUZZ_LOG_DIR:-/tmp/fuzz-logs}
command -v clang++ >/dev/null || { echo "error: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
      -DAUTOGRAD_FUZZ=ON >/dev/null
nice -n 10 cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")
declare -A seeds=([yaml_loader]=specs [run]=specs [expression]=tests/fuzz/seeds/expression [npy]=specs/scripting/data)
mkdir -p tests/fuzz/crashes "$log_dir"
root=$PWD

fuzz_one() {  # target: runs it to completion, then prints its summary
  local target=$1 corpus
  case $corpus_root in /*) corpus=$corpus_root/$target ;; *) corpus=$root/$corpus_root/$target ;; esac
  mkdir -p "$corpus"
  local status=0
  (cd build-fuzz && nice -n 19 ./fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -dict="$root"/tests/fuzz/autograd.dict -print_final_stats=1 \
      -artifact_prefix="$root"/tests/fuzz/crashes/"$target"- "$corpus" "$root/${seeds[$target]}") \
      >"$log_dir/$target.log" 2>&1 || status=$?
  local last units
  last=$(grep -E '^#[0-9]+' "$log_dir/$target.log" | tail -1)
  units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log_dir/$target.log")
  echo "== fuzz_$target: exit $status, ${seconds} s, ${units:-?} executions, corpus $(ls "$corpus" | wc -l) files;" \
       "last: ${last:-none}"
  grep -E "ERROR|SUMMARY|Test unit written" "$log_dir/$target.log" || true
}

running=0
for target in "${targets[@]}"; do
  echo "== fuzz_$target for $seconds s (log: $log_dir/$target.log)"
  fuzz_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
