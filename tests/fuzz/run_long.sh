#!/usr/bin/env bash
# Runs each fuzz target for a long time (default 30 minutes each), from the seed corpora, keeping
# what it finds in tests/fuzz/corpus-long/TARGET (not committed) and crashes in tests/fuzz/crashes/.
# Usage: tests/fuzz/run_long.sh [SECONDS] [TARGET...]   (builds build-fuzz/ with clang first)
# A crash found becomes a regression test: a spec in tests/hostile/cases/ (or a unit test).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml_loader expression npy run)
command -v clang++ >/dev/null || { echo "error: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
      -DAUTOGRAD_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")
declare -A seeds=([yaml_loader]=specs [run]=specs [expression]=tests/fuzz/seeds/expression [npy]=specs/scripting/data)
mkdir -p tests/fuzz/crashes
for target in "${targets[@]}"; do
  corpus=tests/fuzz/corpus-long/$target
  mkdir -p "$corpus"
  echo "== fuzz_$target for $seconds s"
  (cd build-fuzz && ./fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -dict=../tests/fuzz/autograd.dict -print_final_stats=1 -artifact_prefix=../tests/fuzz/crashes/"$target"- \
      ../"$corpus" ../"${seeds[$target]}") 2>&1 | grep -E "^#[0-9]+ +DONE|stat::|ERROR|SUMMARY|Done" || true
done
