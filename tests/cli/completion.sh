# Bash completion generated from the CLI definition and the catalog: valid bash, subcommands,
# options and their values, module names for `list`, spec files for run and check.
source "$(dirname "$0")/lib.sh"

"$TOOL" completion bash > "$SCRATCH/completion.bash" || fail "completion bash failed"
bash -n "$SCRATCH/completion.bash" || fail "the completion script is not valid bash"

# complete WORDS...: the completions bash offers for the last word.
complete_words() {
  (cd "$SCRATCH/tree" && bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _autograd_cli
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' _ "$SCRATCH/completion.bash" "$@")
}
mkdir -p "$SCRATCH/tree/specs"
touch "$SCRATCH/tree/specs/a.yaml" "$SCRATCH/tree/specs/a.out" "$SCRATCH/tree/spec.yaml"

expect_eq "subcommands" "check doc list run verify" "$(complete_words autograd-cli '')"
expect_eq "a subcommand prefix" "check" "$(complete_words autograd-cli ch)"
expect_eq "run options" "--allow-read --format --help --max-memory --max-order --profile --quiet --save --timeout" "$(complete_words autograd-cli run --)"
expect_eq "run --format values" "json text" "$(complete_words autograd-cli run --format '')"
expect_eq "check --color values" "always auto never" "$(complete_words autograd-cli check --color '')"
expect_contains "check options" "--shard" "$(complete_words autograd-cli check --)"
expect_contains "list: modules from the catalog" "linalg math" "$(complete_words autograd-cli list '')"
expect_eq "list: a module prefix" "dtypes" "$(complete_words autograd-cli list dt)"
expect_eq "run: specs and directories" "spec.yaml specs" "$(complete_words autograd-cli run spe)"
expect_eq "run: only *.yaml files" "specs/a.yaml" "$(complete_words autograd-cli run specs/a)"
expect_eq "the completion subcommand itself stays hidden" "" "$(complete_words autograd-cli comp)"

# The script installed by `cmake --install` is the generated one.
if [ -n "${AUTOGRAD_COMPLETION_FILE:-}" ]; then
  expect_eq "installed script is generated" "$(cat "$SCRATCH/completion.bash")" "$(cat "$AUTOGRAD_COMPLETION_FILE")"
fi
finish
