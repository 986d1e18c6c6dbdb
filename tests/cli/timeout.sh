# --timeout holds even inside one long op: the deadline is checked between ops, and a watchdog ends
# the process shortly after it (1 s of grace) when a single kernel (here a large matmul) runs on.
# The error names the spec; standard output carries nothing of the spec that ran out of time.
source "$(dirname "$0")/lib.sh"

cat >"$SCRATCH/slow.yaml" <<'SPEC'
operations:
  - a = ones([8000, 8000])
  - b = matmul(a, a)
  - c = matmul(b, a)
output: [reduce_sum(c)]
SPEC
printf 'output: [1 + 1]\n' >"$SCRATCH/fast.yaml"

# elapsed COMMAND...: runs it like run_tool, and sets MS_TAKEN (milliseconds).
elapsed() {
  local start
  start=$(date +%s%N)
  run_tool "$@"
  MS_TAKEN=$((($(date +%s%N) - start) / 1000000))
}

pattern="^$SCRATCH/slow.yaml(:[0-9]+:[0-9]+)?: error: time limit exceeded \(0.5 s; raise it with --timeout\)$"
elapsed run --timeout 0.5 "$SCRATCH/slow.yaml"
expect_eq "status" 3 "$STATUS"
expect_eq "nothing on stdout" "" "$OUT"
[[ $ERR =~ $pattern ]] || fail "stderr: $ERR"
[ "$MS_TAKEN" -lt 4000 ] || fail "took $MS_TAKEN ms for --timeout 0.5"

# Several specs: the ones that finished are printed (and flushed) before the process ends.
elapsed run --timeout 0.5 "$SCRATCH/fast.yaml" "$SCRATCH/slow.yaml"
expect_eq "several: status" 3 "$STATUS"
expect_eq "several: only the finished spec's output" "==> $SCRATCH/fast.yaml <==
2" "$OUT"
[[ $ERR =~ $pattern ]] || fail "several: stderr: $ERR"
[ "$MS_TAKEN" -lt 4000 ] || fail "several: took $MS_TAKEN ms for --timeout 0.5"

# check stops the same way (or, on a machine fast enough to finish the matmul within the grace,
# reports the spec as failed with the same message).
elapsed check --timeout 0.5 "$SCRATCH/slow.yaml"
[ "$STATUS" = 3 ] || [ "$STATUS" = 1 ] || fail "check: status $STATUS"
[[ $OUT$'\n'$ERR =~ time\ limit\ exceeded\ \(0.5\ s ]] || fail "check: no time limit error in: $OUT $ERR"
[ "$MS_TAKEN" -lt 4000 ] || fail "check: took $MS_TAKEN ms for --timeout 0.5"

# verify takes the same limits: the time limit covers the spec's re-runs.
cat >"$SCRATCH/slow_derivative.yaml" <<'SPEC'
inputs:
  x: {value: "ones([8000, 8000])"}
operations:
  - y = reduce_sum(matmul(matmul(x, x), x))
derivatives:
  - dy = gradient(y, x)
SPEC
elapsed verify --timeout 0.5 "$SCRATCH/slow_derivative.yaml"
expect_eq "verify: status" 3 "$STATUS"
[[ $ERR =~ time\ limit\ exceeded\ \(0.5\ s ]] || fail "verify: no time limit error in: $ERR"
[ "$MS_TAKEN" -lt 4000 ] || fail "verify: took $MS_TAKEN ms for --timeout 0.5"

# A spec within its time is not affected by the watchdog.
run_tool run --timeout 30 "$SCRATCH/fast.yaml"
expect_eq "fast: status" 0 "$STATUS"
expect_eq "fast: output" "2" "$OUT"

finish
