# Helpers for the end-to-end tests of the command line. Each test script is run by CTest as
#   bash tests/cli/NAME.sh PATH/TO/autograd-cli
# from the source directory; it exits 0 on success, 77 to be skipped, anything else on failure.
set -uo pipefail

TOOL=$(realpath "$1")
SOURCE=$(pwd)
SCRATCH=$(mktemp -d)
trap 'chmod -R u+w "$SCRATCH" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
FAILURES=0

fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" != "$3" ]; then
    fail "$1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") >&2
  fi
}

# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
  case "$3" in
    *"$2"*) ;;
    *) fail "$1: no '$2' in:"; printf '%s\n' "$3" >&2 ;;
  esac
}

# run_tool ARGS...: sets OUT, ERR and STATUS.
run_tool() {
  OUT=$("$TOOL" "$@" 2>"$SCRATCH/.stderr")
  STATUS=$?
  ERR=$(cat "$SCRATCH/.stderr")
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES failure(s)" >&2
    exit 1
  fi
  exit 0
}
