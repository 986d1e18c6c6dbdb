#!/usr/bin/env bash
# The hostile-input suite: runs `autograd-cli run [ARGS] cases/NAME.yaml` for every spec in cases/
# and checks the exit status (`# exit: N` on the spec's first line), that standard error is exactly
# cases/NAME.err, and that standard output is empty (or exactly cases/NAME.out when there is one:
# numerics that must print, not crash). `# args: ...` gives extra options. Also the spec file size
# limit, with a spec generated here (too large to keep in the repository), and the specs of
# runtime/, which need files git cannot store (a FIFO, a socket) made here beside them.
# Usage: run.sh AUTOGRAD_CLI [--update]   (run from tests/hostile; --update rewrites the .err files)
set -uo pipefail
tool=$1
update=${2:-}
cd "$(dirname "$0")"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
count=0

check_case() {  # name spec expected_status args...
  local name=$1 spec=$2 expected=$3
  shift 3
  count=$((count + 1))
  local status=0
  timeout 60 "$tool" run "$@" "$spec" >"$scratch/out" 2>"$scratch/err" || status=$?
  local problems=""
  [ "$status" = "$expected" ] || problems+=" exit status $status (expected $expected);"
  if [ -f "cases/$name.out" ]; then
    cmp -s "$scratch/out" "cases/$name.out" || problems+=" stdout differs from cases/$name.out;"
  else
    [ ! -s "$scratch/out" ] || problems+=" stdout not empty;"
  fi
  if [ "$update" = "--update" ] && [ -f "$spec" ] && [ "${spec#cases/}" != "$spec" ]; then
    cp "$scratch/err" "cases/$name.err"
    rm -f "cases/$name.out"
    if [ "$status" = 0 ] && [ -s "$scratch/out" ]; then cp "$scratch/out" "cases/$name.out"; fi
  fi
  if ! cmp -s "$scratch/err" "cases/$name.err"; then
    problems+=" stderr differs:"$'\n'"$(diff "cases/$name.err" "$scratch/err" | head -20)"
  fi
  grep -q "internal error\|Sanitizer\|runtime error:" "$scratch/err" && problems+=" internal error or sanitizer report;"
  if [ -n "$problems" ]; then
    echo "FAIL $name:$problems"
    failed=$((failed + 1))
  fi
}

for spec in cases/*.yaml; do
  name=$(basename "$spec" .yaml)
  expected=$(sed -n '1s/^# exit: \([0-9]*\)$/\1/p' "$spec")
  args=$(sed -n '2s/^# args: //p' "$spec")
  # shellcheck disable=SC2086
  check_case "$name" "$spec" "${expected:-missing}" $args
done

# The spec file size limit (16 MiB): one byte over, from a file and from standard input.
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$scratch/too_large.yaml"
count=$((count + 1))
status=0
"$tool" run "$scratch/too_large.yaml" >"$scratch/out" 2>"$scratch/err" || status=$?
if [ "$status" != 2 ] || [ -s "$scratch/out" ] ||
   ! grep -qx ".*too_large.yaml: error: spec is too large (16777217 bytes; the limit is 16 MiB)" "$scratch/err"; then
  echo "FAIL spec_too_large (file): status $status, stderr: $(head -c 300 "$scratch/err")"
  failed=$((failed + 1))
fi
count=$((count + 1))
status=0
"$tool" run - <"$scratch/too_large.yaml" >"$scratch/out" 2>"$scratch/err" || status=$?
if [ "$status" != 2 ] || [ -s "$scratch/out" ] ||
   ! grep -qx "<stdin>: error: spec is too large (16777217 bytes; the limit is 16 MiB)" "$scratch/err"; then
  echo "FAIL spec_too_large (stdin): status $status, stderr: $(head -c 300 "$scratch/err")"
  failed=$((failed + 1))
fi
# Exactly at the limit is read (and is only a comment).
count=$((count + 1))
head -c $((16 * 1024 * 1024)) "$scratch/too_large.yaml" >"$scratch/at_limit.yaml"
status=0
"$tool" run "$scratch/at_limit.yaml" >"$scratch/out" 2>"$scratch/err" || status=$?
if [ "$status" != 0 ] || [ -s "$scratch/out" ] || [ -s "$scratch/err" ]; then
  echo "FAIL spec_at_size_limit: status $status, stderr: $(head -c 300 "$scratch/err")"
  failed=$((failed + 1))
fi

# Files git cannot store, made here: load() of a FIFO (no writer: opening it must not wait) and of
# a socket, beside a spec (tests/hostile/runtime/) run from a scratch copy.
mkdir -p "$scratch/runtime/cases/data"
cp runtime/*.yaml runtime/*.err "$scratch/runtime/cases/"
mkfifo "$scratch/runtime/cases/data/fifo.npy"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$scratch/runtime/cases/data/socket.npy" 2>/dev/null ||
  rm -f "$scratch/runtime/cases/load_socket.yaml"  # no python3: that case is skipped
pushd "$scratch/runtime" >/dev/null
for spec in cases/*.yaml; do
  check_case "$(basename "$spec" .yaml)" "$spec" 2
done
popd >/dev/null

# check of a directory holding a FIFO named like a spec: refused at once, not waited on.
mkdir -p "$scratch/fifo_specs"
mkfifo "$scratch/fifo_specs/waits.yaml"
count=$((count + 1))
status=0
timeout 60 "$tool" check "$scratch/fifo_specs" >"$scratch/out" 2>"$scratch/err" || status=$?
if [ "$status" != 2 ] || [ -s "$scratch/out" ] ||
   ! grep -qx "$scratch/fifo_specs/waits.yaml: error: not a regular file (a FIFO, device or socket), so not a spec" "$scratch/err"; then
  echo "FAIL check_fifo_spec: status $status, stderr: $(head -c 300 "$scratch/err")"
  failed=$((failed + 1))
fi

# A spec that is an endless device is read up to the size limit, not until memory runs out.
count=$((count + 1))
status=0
timeout 60 "$tool" run /dev/zero >"$scratch/out" 2>"$scratch/err" || status=$?
if [ "$status" != 2 ] || [ -s "$scratch/out" ] ||
   ! grep -qx "/dev/zero: error: spec is too large (16777217 bytes; the limit is 16 MiB)" "$scratch/err"; then
  echo "FAIL spec_dev_zero: status $status, stderr: $(head -c 300 "$scratch/err")"
  failed=$((failed + 1))
fi

echo "$((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
