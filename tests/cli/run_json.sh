# run --format json: exact lines for every kind of value, and text that JSON parsers read back.
source "$(dirname "$0")/lib.sh"

run_tool run --format json tests/cli/specs/json_values.yaml
expect_eq "json lines" "$(cat tests/cli/expected/json_values.jsonl)" "$OUT"
expect_eq "status" 0 "$STATUS"
expect_contains "warnings stay on stderr" "WARNING:tensorflow:The dtype of the source tensor" "$ERR"

# Python's json reads every line back (no numpy needed), with the keys in the documented order.
if [ -x /usr/bin/python3 ]; then
  checked=$(printf '%s\n' "$OUT" | /usr/bin/python3 -c '
import json, sys
lines = [json.loads(line) for line in sys.stdin]
assert all(list(obj) == ["spec", "name", "dtype", "shape", "value"] for obj in lines)
print(len(lines))')
  expect_eq "python json reads every line" "11" "$checked"
fi
if command -v jq >/dev/null; then
  expect_eq "jq reads the values" "[[6,0.6],[-15,6e-05]]" "$(printf '%s\n' "$OUT" | jq -c 'select(.name == "g[0]") | .value')"
fi

# Several specs: one stream of objects, each naming its spec; no text headers.
run_tool run --format json tests/cli/specs/json_values.yaml specs/notebook/first_derivative.yaml
expect_eq "several specs" 12 "$(printf '%s\n' "$OUT" | wc -l)"
expect_contains "spec field" '{"spec": "specs/notebook/first_derivative.yaml", "name": "dy_dx"' "$OUT"

# A failing spec prints nothing on stdout.
run_tool run --format json specs/errors/shape_mismatch.yaml
expect_eq "failed spec prints nothing" "" "$OUT"
expect_eq "failed spec status" 3 "$STATUS"

# Standard input is named <stdin>.
OUT=$(printf 'output:\n  - range(3)\n' | "$TOOL" run --format json -)
expect_eq "stdin" '{"spec": "<stdin>", "name": "range(3)", "dtype": "int32", "shape": [3], "value": [0, 1, 2]}' "$OUT"

run_tool run --format yaml tests/cli/specs/json_values.yaml
expect_eq "unknown format is a usage error" 2 "$STATUS"
finish
