#!/usr/bin/env bash
# check_settings.sh: every setting is written once, in shared/fgconfig.def; this test fails
# when a place that derives from it or names a setting drifts:
#   - the table as the C programs compiled it (tests/settings_dump) and as ./fragent reads it
#     (./fragent settings) are the same;
#   - README.md's settings table is what ./fragent settings --markdown makes of it;
#   - ./fragent help lists every setting ./fragent reads;
#   - every FRAGENT_* name the code, configurations and documents mention is a setting of the
#     table or a variable of the test and bench harnesses (listed below);
#   - the environment file template (deploy/fragent.env.in) gives the programs only settings
#     they read.
# Run by `make check` (srcdir: the source folder; the current folder: the build folder).
set -uo pipefail

SRC=${srcdir:-.}
FRAGENT=$SRC/fragent
failed=0

fail() {
	printf 'check_settings: %s\n' "$*" >&2
	failed=1
}

# Variables of the harnesses (tests/integration.sh, the suites, tests/e2e, bench/), not settings.
harness_name() {
	case $1 in
	FRAGENT_IT_* | FRAGENT_TEST_* | FRAGENT_BUILD_DIR | FRAGENT_SANITIZER_LOGS | \
		FRAGENT_KEEP_STATE | FRAGENT_SOAK_SECONDS | FRAGENT_SCREENSHOT_DIR | \
		FRAGENT_HOSTILE_CORPUS) return 0 ;;
	esac
	return 1
}

table=$("$FRAGENT" settings) || { echo "check_settings: ./fragent settings failed" >&2; exit 1; }
declare -A readers=()
while IFS=$'\t' read -r name r _; do
	readers[$name]=$r
done <<<"$table"
((${#readers[@]} > 0)) || fail "./fragent settings printed no setting"

# The C view and the shell view of the table.
if ! diff -u <(tests/settings_dump) <(printf '%s\n' "$table") >&2; then
	fail "tests/settings_dump (the programs) and ./fragent settings read shared/fgconfig.def differently"
fi

# README.md's table.
start='<!-- settings table: made from shared/fgconfig.def by ./fragent settings --readme -->'
end='<!-- end of the settings table -->'
readme=$(awk -v s="$start" -v e="$end" '$0 == e { on = 0 } on { print } $0 == s { on = 1 }' \
	"$SRC/README.md")
if [[ -z $readme ]]; then
	fail "README.md has no settings table between the lines $start and $end"
elif ! diff -u <(printf '%s\n' "$readme") <("$FRAGENT" settings --markdown) >&2; then
	fail "README.md's settings table is stale: run ./fragent settings --readme"
fi

# ./fragent help.
help=$("$FRAGENT" help)
for name in "${!readers[@]}"; do
	case ${readers[$name]} in
	BOTH | STACK | COMMAND)
		[[ $help == *"  $name "* ]] || fail "./fragent help does not list $name"
		;;
	esac
done

# Every FRAGENT_* name mentioned (header guards and configure's macros aside).
files=("$SRC/fragent" "$SRC/README.md" "$SRC"/docs/*.md "$SRC"/deploy/*.in "$SRC"/deploy/systemd/* \
	"$SRC"/nginx/* \
	"$SRC"/shared/*.[ch] "$SRC"/fcgi/*.[ch] "$SRC"/bench/*.sh "$SRC"/bench/*.lua \
	"$SRC/tests/integration.sh" "$SRC/tests/fuzz/campaign.sh" "$SRC/frontend/README.md")
while IFS= read -r f; do
	files+=("$f")
done < <(find "$SRC/jobd" -name '*.[ch]')
while IFS=: read -r file name; do
	[[ $name == *_H || $name == *_ ]] && continue
	[[ -v readers[$name] ]] || harness_name "$name" ||
		fail "${file#"$SRC"/} names $name, which is no setting of shared/fgconfig.def"
done < <(grep -oE 'FRAGENT_[A-Z0-9_]+' "${files[@]}" 2>/dev/null | sort -u)

# A document that gives a setting's default in numbers ("FRAGENT_X ... (default 5)") gives
# the table's.
declare -A defaults=()
while IFS=$'\t' read -r name _ def _; do
	defaults[$name]=$def
done <<<"$table"
while IFS=: read -r file text; do
	name=${text%%[!A-Z0-9_]*}
	def=${text##*default }
	def=${def//,/}
	[[ -v defaults[$name] && ${defaults[$name]} != "$def" ]] &&
		fail "${file#"$SRC"/} gives $name the default $def; shared/fgconfig.def says ${defaults[$name]:-empty}"
done < <(grep -oE 'FRAGENT_[A-Z0-9_]+[^A-Z_][^.;|]{0,60}\bdefault [0-9][0-9,]*[0-9]?' \
	"$SRC/README.md" "$SRC"/docs/*.md "$SRC"/deploy/*.in "$SRC"/deploy/systemd/* "$SRC"/nginx/* |
	grep -v 'FRAGENT_[A-Z0-9_]*[^A-Z_].*FRAGENT_')

# The environment file template sets (or shows commented out) only what the programs read.
while IFS= read -r name; do
	case ${readers[$name]:-} in
	PROGRAMS | COMPUTED | BOTH) ;;
	*) fail "deploy/fragent.env.in sets $name, which the programs do not read" ;;
	esac
done < <(grep -oE '^#?FRAGENT_[A-Z0-9_]+=' "$SRC/deploy/fragent.env.in" | grep -oE 'FRAGENT_[A-Z0-9_]+')

if ((failed)); then
	exit 1
fi
echo "check_settings: ${#readers[@]} settings; the programs, ./fragent, README.md and the documents agree"
