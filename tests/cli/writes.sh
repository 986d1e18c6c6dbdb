# Nothing is ever written except by `run --save DIR` (inside DIR only), `check --update` (only the
# golden files of the specs checked, atomically) and `check --format junit FILE` (FILE only). Every
# command runs in a fresh copy of specs/, with that copy as the working directory and TMPDIR set to
# an empty directory; a snapshot of both (every path, its type, size, mode, inode and checksum) is
# compared before and after. Snapshots rather than read-only directories: the tests may run as
# root, which ignores permissions.
source "$(dirname "$0")/lib.sh"

COPY="$SCRATCH/copy"
export TMPDIR="$SCRATCH/tmp"
mkdir -p "$TMPDIR"
cp -a "$SOURCE/specs" "$COPY"
cd "$COPY" || exit 1

snapshot() {  # every path below the copy and TMPDIR, with what a write would change
  find "$COPY" "$TMPDIR" -printf '%p %y %s %m %i %T@\n' | LC_ALL=C sort
  find "$COPY" "$TMPDIR" -type f -print0 | xargs -0 md5sum | awk '{print $2 " md5 " $1}' | LC_ALL=C sort
}

# expect_unchanged WHAT: the copy and TMPDIR are exactly as in $SCRATCH/before.
expect_unchanged() {
  snapshot >"$SCRATCH/after"
  if ! cmp -s "$SCRATCH/before" "$SCRATCH/after"; then
    fail "$1 wrote or changed files:"
    diff "$SCRATCH/before" "$SCRATCH/after" | head -20 >&2
  fi
}

specs=$(find . -name '*.yaml' | LC_ALL=C sort)
snapshot >"$SCRATCH/before"

# Reading commands, on every spec (failing ones included): nothing written anywhere.
for spec in $specs; do
  "$TOOL" run "$spec" >/dev/null 2>&1
  "$TOOL" run --format json "$spec" >/dev/null 2>&1
done
# shellcheck disable=SC2086
"$TOOL" run $specs >/dev/null 2>&1
"$TOOL" run - <notebook/first_derivative.yaml >/dev/null 2>&1
"$TOOL" check . >/dev/null 2>&1
"$TOOL" check -j 2 --format json . >/dev/null 2>&1
"$TOOL" verify derivatives/*.yaml notebook/*.yaml >/dev/null 2>&1
"$TOOL" list >/dev/null 2>&1
"$TOOL" list math >/dev/null 2>&1
"$TOOL" doc sin >/dev/null 2>&1
"$TOOL" doc --json tf.matmul >/dev/null 2>&1
"$TOOL" doc math >/dev/null 2>&1
expect_unchanged "run/check/verify/list/doc"

# --save writes only inside the directory it names (and creates it), never beside the spec.
run_tool run --save "$SCRATCH/saved" notebook/first_derivative.yaml
expect_eq "--save status" 0 "$STATUS"
expect_unchanged "run --save"
[ -n "$(find "$SCRATCH/saved" -name '*.npy')" ] || fail "--save wrote no .npy file"
expect_eq "--save writes only .npy files" "" "$(find "$SCRATCH/saved" -type f ! -name '*.npy')"
# Several specs: a subdirectory each, still inside DIR.
run_tool run --save "$SCRATCH/saved2" notebook/first_derivative.yaml derivatives/hessian_quadratic.yaml
expect_eq "--save (several) status" 0 "$STATUS"
expect_unchanged "run --save (several specs)"
expect_eq "--save (several) subdirectories" "$SCRATCH/saved2/first_derivative
$SCRATCH/saved2/hessian_quadratic" "$(find "$SCRATCH/saved2" -mindepth 1 -maxdepth 1 | LC_ALL=C sort)"

# --format junit FILE writes FILE and nothing else.
run_tool check --format junit "$SCRATCH/report.xml" notebook/
expect_unchanged "check --format junit"
[ -s "$SCRATCH/report.xml" ] || fail "no JUnit report written"

# check --update: only the .out files of the specs checked change, each replaced whole by a rename
# (a new inode), no temporary file is left, and a failing spec's golden file is never touched.
a=notebook/first_derivative
b=derivatives/hessian_quadratic
inode_a=$(stat -c %i "$a.out")
printf 'stale\n' >"$a.out"        # in place: same inode
rm "$b.out"                        # missing: created
snapshot >"$SCRATCH/before"
run_tool check --update "$a.yaml" "$b.yaml"
expect_eq "check --update status" 0 "$STATUS"
snapshot >"$SCRATCH/after"
changed=$(diff "$SCRATCH/before" "$SCRATCH/after" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | LC_ALL=C sort -u)
# (and their directories, whose entries a rename changes)
expect_eq "check --update touches only the two golden files" "$COPY/derivatives
$COPY/$b.out
$COPY/notebook
$COPY/$a.out" "$changed"
cmp -s "$a.out" "$SOURCE/specs/$a.out" || fail "check --update did not restore $a.out"
cmp -s "$b.out" "$SOURCE/specs/$b.out" || fail "check --update did not recreate $b.out"
[ "$(stat -c %i "$a.out")" != "$inode_a" ] || fail "check --update rewrote $a.out in place, not by a rename"
expect_eq "no temporary file left" "" "$(find "$COPY" "$TMPDIR" -name '.*tmp*')"

# A spec that fails is never written, even with --update.
printf 'output:\n  - undefined_name\n' >"$SCRATCH/broken.yaml"
cp "$SCRATCH/broken.yaml" notebook/broken.yaml
printf 'keep\n' >notebook/broken.out
snapshot >"$SCRATCH/before"
run_tool check --update notebook/broken.yaml
expect_eq "failing spec status" 1 "$STATUS"
expect_unchanged "check --update of a failing spec"

finish
