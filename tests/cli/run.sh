# autograd-cli run and the conventions of the tool: headers for several specs, standard input,
# --quiet, --help with examples, --version, and the exit status of each kind of failure.
source "$(dirname "$0")/lib.sh"

run_tool run specs/notebook/first_derivative.yaml specs/notebook/nested_tapes.yaml
expect_eq "status" 0 "$STATUS"
expect_eq "headers" "==> specs/notebook/first_derivative.yaml <==|==> specs/notebook/nested_tapes.yaml <==" \
  "$(printf '%s\n' "$OUT" | grep '^==>' | tr '\n' '|' | sed 's/|$//')"
expect_eq "a blank line between specs" "" "$(printf '%s\n' "$OUT" | grep -B1 '^==> specs/notebook/nested' | head -1)"

run_tool run specs/notebook/first_derivative.yaml
expect_eq "one spec: no header" "$(cat specs/notebook/first_derivative.out)" "$OUT"

OUT=$(printf 'output:\n  - range(3)\n' | "$TOOL" run -)
expect_eq "standard input" "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 1, 2], dtype=int32)>" "$OUT"
ERR=$(printf 'output:\n  - rangee(3)\n' | "$TOOL" run - 2>&1 >/dev/null)
expect_eq "standard input in errors" "<stdin>:2:5: error: unknown function 'rangee' (did you mean 'range'?)" "$ERR"

# Each spec is its own program: TF's random state starts afresh for every spec of one run.
printf 'output:\n  - random.uniform([3], seed=3)\n' > "$SCRATCH/random.yaml"
run_tool run "$SCRATCH/random.yaml" "$SCRATCH/random.yaml"
expect_eq "random state is reset between specs" "$(printf '%s\n' "$OUT" | sed -n 2p)" "$(printf '%s\n' "$OUT" | sed -n 5p)"
expect_contains "random output" "tf.Tensor" "$(printf '%s\n' "$OUT" | sed -n 2p)"

# Warnings go to stderr; --quiet drops them but never the results or errors.
printf 'inputs:\n  n: [1, 2]\noperations:\n  - y = n * n\nderivatives:\n  - g = gradient(y, n)\n' > "$SCRATCH/int.yaml"
run_tool run "$SCRATCH/int.yaml"
expect_contains "warning on stderr" "WARNING:tensorflow:" "$ERR"
expect_eq "result on stdout" "None" "$OUT"
run_tool run --quiet "$SCRATCH/int.yaml"
expect_eq "--quiet drops warnings" "" "$ERR"
expect_eq "--quiet keeps results" "None" "$OUT"

# Exit statuses: 2 for a spec that cannot be read or resolved, 3 for an evaluation error; the first
# failure's status wins, later specs still run, and a failed spec prints nothing on stdout.
run_tool run "$SCRATCH/missing.yaml"
expect_eq "missing file status" 2 "$STATUS"
expect_eq "missing file message" "$SCRATCH/missing.yaml: error: cannot read spec file: No such file or directory" "$ERR"
run_tool run specs/errors/shape_mismatch.yaml specs/errors/unknown_function.yaml specs/notebook/first_derivative.yaml
expect_eq "first failure's status" 3 "$STATUS"
expect_eq "the good spec still prints" "$(cat specs/notebook/first_derivative.out)" "$(printf '%s\n' "$OUT" | sed 1d)"
expect_eq "two errors" 2 "$(printf '%s\n' "$ERR" | wc -l)"
run_tool run
expect_eq "no spec is a usage error" 2 "$STATUS"
run_tool frobnicate
expect_eq "unknown subcommand" 2 "$STATUS"

# Each error class of specs/errors has its exit status: 3 for evaluation errors, 2 for the rest.
for spec in specs/errors/*.yaml; do
  case $(basename "$spec" .yaml) in
    broadcast_mismatch | dtype_mix | input_shape_wrong_size | nonpersistent_tape_reuse | reshape_wrong_size | \
      shape_mismatch | resource_limit | float_meets_int_tensor_again) want=3 ;;
    *) want=2 ;;
  esac
  run_tool run "$spec"
  expect_eq "exit status of $spec" "$want" "$STATUS"
  expect_eq "nothing on stdout for $spec" "" "$OUT"
done

# --help for the tool and each subcommand, with examples; --version.
for sub in "" run check list; do
  help=$("$TOOL" $sub --help)
  expect_eq "--help $sub status" 0 "$?"
  expect_contains "--help $sub has examples" "Examples:" "$help"
done
expect_contains "check --help lists its options" "--shard I/N" "$("$TOOL" check --help)"
expect_eq "--version" "autograd-cli 0.1.0" "$("$TOOL" --version)"
finish
