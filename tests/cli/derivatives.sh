# The derivative calls' command-line side: run's nan-trap warning on stderr, doc, and verify's
# report and exit statuses.
source "$(dirname "$0")/lib.sh"

run_tool run specs/derivatives/nan_trap.yaml
expect_eq "run of the nan trap succeeds" 0 "$STATUS"
expect_contains "run names the where and its line on stderr" \
  "specs/derivatives/nan_trap.yaml:5:9: warning: gradient() is nan at 1 element(s) because of 'where'" "$ERR"
run_tool run -q specs/derivatives/nan_trap.yaml
expect_eq "run -q drops the warning" "" "$ERR"

run_tool doc tf.math.sin
expect_eq "doc exits 0" 0 "$STATUS"
expect_contains "doc prints the traced rule" "    dx = mul(g, cos(x))" "$OUT"
expect_contains "doc prints the live example" ">>> tf.sin([0.0, 1.0])" "$OUT"
run_tool doc --json sin
expect_contains "doc --json is an object" '{"name": "tf.math.sin", ' "$OUT"
run_tool doc matmull
expect_eq "doc of an unknown name is a usage error" 2 "$STATUS"
expect_contains "doc suggests a name" "unknown name 'matmull' (did you mean 'matmul'?)" "$ERR"

run_tool verify specs/derivatives/hessian_quadratic.yaml specs/derivatives/jvp_forward_accumulator.yaml
expect_eq "verify of correct derivatives exits 0" 0 "$STATUS"
expect_contains "verify prints one line per derivative" "  H     hessian            max abs error" "$OUT"
expect_contains "verify sums up" "6 derivatives: 6 passed, 0 failed, 0 skipped" "$OUT"
run_tool verify specs/derivatives/nan_trap.yaml
expect_eq "verify exits 1 beyond tolerance" 1 "$STATUS"
expect_contains "verify says why" "FAIL  (the tape gives nan or inf at 1 element(s) where finite differences are finite)" "$OUT"
run_tool verify "$SCRATCH/missing.yaml"
expect_eq "verify of a missing file is a usage error" 2 "$STATUS"
finish
