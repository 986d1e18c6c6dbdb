# autograd-cli check end to end: exit statuses, the summary line, --update, -j, shards, JSON and
# JUnit reports, colour, --quiet, the progress line, and bad golden files and directories.
source "$(dirname "$0")/lib.sh"

S="$SCRATCH/specs"
mkdir -p "$S/sub"
spec() {  # spec PATH VALUE: a spec printing VALUE * 2
  printf 'description: "doubles %s"\ninputs:\n  x: {value: %s, dtype: float32}\noutput:\n  - print(x * 2)\n' "$2" "$2" > "$1"
}
spec "$S/a.yaml" 1.0
spec "$S/b.yaml" 2.0
spec "$S/sub/c.yaml" 3.0
printf 'tf.Tensor(2.0, shape=(), dtype=float32)\n' > "$S/a.out"
printf 'tf.Tensor(4.0, shape=(), dtype=float32)\r\n' > "$S/b.out"   # CRLF is normalised
printf 'tf.Tensor(6.000001, shape=(), dtype=float32)\n' > "$S/sub/c.out"  # within rtol 1e-5

run_tool check "$S"
expect_eq "all pass" "3 passed, 0 failed" "$OUT"
expect_eq "all pass status" 0 "$STATUS"

# A mismatch: a unified diff, exit 1; --update fixes it (atomically: no temporary file left).
printf 'tf.Tensor(5.0, shape=(), dtype=float32)\n' > "$S/b.out"
run_tool check --color=never "$S"
expect_eq "mismatch status" 1 "$STATUS"
expect_eq "mismatch report" "FAIL $S/b.yaml (doubles 2.0)
--- $S/b.out
+++ output
@@ -1 +1 @@
-tf.Tensor(5.0, shape=(), dtype=float32)
+tf.Tensor(4.0, shape=(), dtype=float32)
2 passed, 1 failed" "$OUT"
run_tool check --update "$S"
expect_eq "update" "UPDATED $S/b.yaml
3 passed, 0 failed, 1 updated" "$OUT"
expect_eq "updated golden" "tf.Tensor(4.0, shape=(), dtype=float32)" "$(cat "$S/b.out")"
expect_eq "no temporary files" "" "$(find "$S" -name '.*tmp*')"

# --update on a spec that fails leaves its golden alone.
cp "$S/a.out" "$SCRATCH/a.out.before"
printf 'inputs:\n  x: 1.0\noutput:\n  - print(reshape(x, [2]))\n' > "$S/a.yaml"
run_tool check --update "$S"
expect_eq "failed spec status with --update" 1 "$STATUS"
expect_eq "failed spec keeps its golden" "$(cat "$SCRATCH/a.out.before")" "$(cat "$S/a.out")"
expect_contains "failed spec message" "Input to reshape is a tensor with 1 values" "$OUT"
spec "$S/a.yaml" 1.0

# Colour: always, never, auto (off when not a terminal), NO_COLOR.
printf 'tf.Tensor(5.0, shape=(), dtype=float32)\n' > "$S/b.out"
run_tool check --color=always "$S"
expect_contains "--color=always" $'\033[31m-tf.Tensor(5.0' "$OUT"
NO_COLOR=1 run_tool check --color=always "$S"
expect_contains "--color=always beats NO_COLOR" $'\033[' "$OUT"
run_tool check "$S"
expect_eq "auto is plain when not a terminal" "0" "$(printf '%s' "$OUT" | grep -c $'\033')"
if command -v script >/dev/null; then
  tty_out=$(script -qec "$TOOL check $S" /dev/null)
  expect_contains "auto colours a terminal" $'\033[31m' "$tty_out"
  tty_out=$(NO_COLOR=1 script -qec "$TOOL check $S" /dev/null)
  expect_eq "NO_COLOR turns auto off" "0" "$(printf '%s' "$tty_out" | grep -c $'\033\\[3')"
fi
spec "$S/b.yaml" 2.0
printf 'tf.Tensor(4.0, shape=(), dtype=float32)\n' > "$S/b.out"

# Many specs: -j gives the same output in the same order; a progress line only on a terminal.
mkdir -p "$SCRATCH/many"
for i in $(seq -w 1 30); do
  spec "$SCRATCH/many/s$i.yaml" "$i.0"
  [ $((10#$i % 7)) -ne 0 ] && printf 'tf.Tensor(%s.0, shape=(), dtype=float32)\n' $((10#$i * 2)) > "$SCRATCH/many/s$i.out"
done
run_tool check -j 1 "$SCRATCH/many"
serial="$OUT"
expect_eq "serial summary" "26 passed, 4 failed" "$(printf '%s\n' "$serial" | tail -1)"
run_tool check -j 4 "$SCRATCH/many"
expect_eq "-j 4 prints exactly what -j 1 prints" "$serial" "$OUT"
expect_eq "no progress line off a terminal" "" "$ERR"
if command -v script >/dev/null; then
  tty_out=$(script -qec "$TOOL check -j 2 $SCRATCH/many" /dev/null)
  expect_contains "progress line on a terminal" "/30] " "$tty_out"
  tty_out=$(script -qec "$TOOL check --quiet $SCRATCH/many" /dev/null)
  expect_eq "--quiet: no progress line" "0" "$(printf '%s' "$tty_out" | grep -c '/30] ')"
fi

# Shards: every spec exactly once across the shards; Bazel's variables do the same.
all=""
for i in 1 2 3; do
  run_tool check --format json --shard "$i/3" "$SCRATCH/many"
  all+="$OUT"$'\n'
  expect_contains "shard $i summary" "skipped" "$ERR"
done
expect_eq "shards cover every spec once" "$(seq -w 1 30 | sed 's/^/s/')" \
  "$(printf '%s' "$all" | grep -o '"path": "[^"]*"' | sed 's|.*/||; s|\.yaml"||' | sort)"
TEST_SHARD_INDEX=1 TEST_TOTAL_SHARDS=3 TEST_SHARD_STATUS_FILE="$SCRATCH/shard-status" run_tool check --format json "$SCRATCH/many"
run_tool2="$OUT"
run_tool check --format json --shard 2/3 "$SCRATCH/many"
expect_eq "TEST_SHARD_INDEX=1 is --shard 2/3" "$(printf '%s' "$OUT" | sed 's/"seconds": [0-9.]*//')" \
  "$(printf '%s' "$run_tool2" | sed 's/"seconds": [0-9.]*//')"
expect_eq "Bazel's shard status file is touched" "yes" "$([ -e "$SCRATCH/shard-status" ] && echo yes)"
run_tool check --shard 0/3 "$SCRATCH/many"
expect_eq "bad --shard status" 2 "$STATUS"

# JSON: one object per spec on stdout, the summary on stderr.
run_tool check --format json "$SCRATCH/many"
expect_eq "json lines" 30 "$(printf '%s\n' "$OUT" | wc -l)"
expect_eq "json summary on stderr" "26 passed, 4 failed" "$ERR"
if command -v jq >/dev/null; then
  expect_eq "json statuses" "s07 s14 s21 s28" "$(printf '%s\n' "$OUT" | jq -r 'select(.status == "failed") | .path' | sed 's|.*/||; s|\.yaml||' | tr '\n' ' ' | sed 's/ $//')"
fi

# JUnit: `--format junit FILE` writes well-formed XML and keeps the text report on stdout.
run_tool check --format junit "$SCRATCH/report.xml" "$SCRATCH/many"
expect_eq "junit status" 1 "$STATUS"
expect_eq "junit keeps the summary" "26 passed, 4 failed" "$(printf '%s\n' "$OUT" | tail -1)"
expect_contains "junit counts" 'tests="30" failures="4"' "$(cat "$SCRATCH/report.xml")"
if command -v xmllint >/dev/null; then
  xmllint --noout "$SCRATCH/report.xml" || fail "junit XML is not well-formed"
fi
run_tool check --format junit
expect_eq "junit without a file" 2 "$STATUS"
run_tool check --format junit "$SCRATCH/many"
expect_eq "junit FILE forgotten: a directory is never overwritten" 2 "$STATUS"
expect_contains "junit FILE forgotten: message" "--format junit needs a report FILE" "$ERR"
expect_eq "junit FILE forgotten: directory intact" 30 "$(ls "$SCRATCH/many"/*.yaml | wc -l)"

# --quiet: nothing at all when everything passes.
run_tool check --quiet "$S"
expect_eq "--quiet on success" "" "$OUT$ERR"

# Paths: no spec, no such path, a symlink loop, a golden that is not UTF-8.
mkdir -p "$SCRATCH/empty"
run_tool check "$SCRATCH/empty"
expect_eq "no spec status" 2 "$STATUS"
expect_eq "no spec message" "autograd-cli: error: no specs (*.yaml) found under the given paths" "$ERR"
run_tool check "$SCRATCH/nowhere"
expect_eq "missing path status" 2 "$STATUS"
expect_eq "missing path message" "$SCRATCH/nowhere: error: no such spec file or directory" "$ERR"
mkdir -p "$SCRATCH/loop/inner"
spec "$SCRATCH/loop/inner/x.yaml" 1.0
ln -s .. "$SCRATCH/loop/inner/up"
run_tool check "$SCRATCH/loop"
expect_eq "symlink loop status" 2 "$STATUS"
expect_contains "symlink loop message" "error: symlink loop" "$ERR"
printf 'tf.Tensor(\xff)\n' > "$S/a.out"
run_tool check "$S"
expect_eq "non-UTF-8 golden status" 1 "$STATUS"
expect_contains "non-UTF-8 golden message" "golden file $S/a.out is not valid UTF-8 (byte 0xff at line 1, column 11)" "$OUT"
printf 'tf.Tensor(2.0, shape=(), dtype=float32)\n' > "$S/a.out"

# An unwritable golden directory (only meaningful when not root): a clear failure, golden kept.
if [ "$(id -u)" -ne 0 ]; then
  printf 'tf.Tensor(5.0, shape=(), dtype=float32)\n' > "$S/sub/c.out"
  chmod a-w "$S/sub"
  run_tool check --update "$S"
  chmod u+w "$S/sub"
  expect_eq "unwritable status" 1 "$STATUS"
  expect_contains "unwritable message" "Permission denied (golden file not updated)" "$OUT"
  expect_eq "unwritable golden kept" "tf.Tensor(5.0, shape=(), dtype=float32)" "$(cat "$S/sub/c.out")"
fi
finish
