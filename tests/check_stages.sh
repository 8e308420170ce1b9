#!/usr/bin/env bash
# check_stages.sh: the test stages ./fragent test runs (its TEST_STAGES, as ./fragent help
# lists them) are make targets of this build (check-<stage>, Makefile.am; build excepted,
# which ./fragent does itself) and README.md names each. Run by `make check` (srcdir: the
# source folder; the current folder: the build folder).
set -uo pipefail

SRC=${srcdir:-.}
failed=0
stages=$("$SRC/fragent" help | awk '/^Test stages/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[[ -n $stages ]] || { echo "check_stages: ./fragent help lists no test stage" >&2; exit 1; }
for key in $stages; do
	[[ $key == build ]] && continue
	grep -q "^check-$key:" Makefile ||
		{ echo "check_stages: ./fragent test runs make check-$key, which Makefile.am lacks" >&2; failed=1; }
	grep -q "\`make check-$key\`" "$SRC/README.md" ||
		{ echo "check_stages: README.md does not name the stage $key (\`make check-$key\`)" >&2; failed=1; }
done
grep -q '^exec ./fragent test$' "$SRC/.ci/run" ||
	{ echo "check_stages: .ci/run no longer runs ./fragent test, README.md's test command" >&2; failed=1; }
((failed == 0)) && echo "check_stages:" $stages
exit "$failed"
