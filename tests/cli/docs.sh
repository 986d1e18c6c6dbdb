# The documentation keeps up with the tool: every option of every subcommand (read from --help)
# is in the man page, every exit status is documented, and the README shows a CI step using check.
source "$(dirname "$0")/lib.sh"

man_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' man/autograd-cli.1)
for sub in run check list verify; do
  for option in $("$TOOL" $sub --help | grep -E '^  -' | awk '{print $1}' | tr ',' '\n' | sort -u); do
    [ "$option" = "-h" ] || [ "$option" = "--help" ] && continue
    expect_contains "man page documents '$sub $option'" "$option" "$man_text"
  done
done
for status in 0 1 2 3; do
  expect_contains "man page documents exit status $status" $'.B '"$status" "$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' man/autograd-cli.1)"
done
expect_contains "README has a GitHub Actions step running check" "run: build/autograd-cli check" "$(cat README.md)"
finish
