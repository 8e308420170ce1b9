#!/usr/bin/env bash
# campaign.sh: a fuzzing campaign over every harness tests/fuzz/fuzz_<name>.c: builds the
# libFuzzer binaries (clang, ASan + UBSan + LeakSanitizer) in their own build folder, and
# every program of the product there too (clang's warnings), runs each harness for SECONDS,
# several at once, keeps the reproducers of what they find, merges the new coverage into
# the checked-in corpora (minimised) and prints one line per harness and a summary table.
# See docs/FUZZING.md.
#
# Usage: tests/fuzz/campaign.sh [options] SECONDS
#   SECONDS          fuzzing time of each harness (libFuzzer -max_total_time)
#   --check          leave tests/fuzz/corpus/ as it is (CI); default: merge into it
#   --jobs N         harnesses fuzzed at once [number of cores]
#   --only "A B"     only these harnesses (names without fuzz_, e.g. "json wf")
#   --total S        cap the fuzzing wall time: each harness gets at most S*jobs/harnesses s
#   --build-dir DIR  the fuzzer build folder, configured when missing [build-fuzz]
#   --out DIR        logs, new inputs and reproducers [BUILD-DIR/campaign/<UTC time>]
# Environment: FUZZ_UNIT_TIMEOUT (seconds one input may take, else a finding) [10],
#   FUZZ_RSS_LIMIT_MB (memory of one harness, else a finding) [2048].
#
# A harness's dictionaries are tests/fuzz/<d>.dict for each <d> its source names on a line
# "fuzz-dict: <d> ...", joined into one -dict file; without such a line, tests/fuzz/<name>.dict
# when it exists.
# The merge runs libFuzzer -merge=1 into a fresh folder (the smallest inputs that keep every
# feature of the old corpus and of the new inputs), keeps the hand-named seeds and
# regression inputs (any file whose name is not libFuzzer's 40 hex digits), then replaces
# the corpus. A harness with a finding is not merged.
#
# Exit status: 0 nothing found; 1 a crash, leak, timeout, out-of-memory or sanitizer report
# (reproducers in OUT/<harness>/); 2 a usage, build or harness error.
set -uo pipefail
shopt -s nullglob

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
FUZZ_SRC=$REPO/tests/fuzz
CORPORA=$FUZZ_SRC/corpus
UNIT_TIMEOUT=${FUZZ_UNIT_TIMEOUT:-10}
RSS_LIMIT=${FUZZ_RSS_LIMIT_MB:-2048}

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

die() {
	printf 'campaign: %s\n' "$*" >&2
	exit 2
}

SECONDS_EACH=
CHECK=0
JOBS=$(nproc 2>/dev/null || echo 1)
ONLY=
TOTAL=
BUILD=$REPO/build-fuzz
OUT=
while (($# > 0)); do
	case $1 in
	--check) CHECK=1 ;;
	--jobs) JOBS=${2:?}; shift ;;
	--only) ONLY=${2:?}; shift ;;
	--total) TOTAL=${2:?}; shift ;;
	--build-dir) BUILD=$(readlink -f "${2:?}"); shift ;;
	--out) OUT=${2:?}; shift ;;
	-h | --help) usage ;;
	-*) die "unknown option $1" ;;
	*)
		[[ -z $SECONDS_EACH ]] || die "one SECONDS only"
		SECONDS_EACH=$1
		;;
	esac
	shift
done
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || usage
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number"
[[ -z $TOTAL || $TOTAL =~ ^[1-9][0-9]*$ ]] || die "--total wants a positive number"
KEEP_RUNS=10	# campaign folders kept under BUILD/campaign (the newest)
EXPLAIN_MAX_BYTES=4096	# reproducers up to this size are printed (base64) with the report
OUT=${OUT:-$BUILD/campaign/$(date -u +%Y%m%dT%H%M%SZ)}

# ---------------------------------------------------------------- harnesses

# The harness names: every tests/fuzz/fuzz_<name>.c, or those of --only.
HARNESSES=()
for f in "$FUZZ_SRC"/fuzz_*.c; do
	n=${f##*/fuzz_}
	HARNESSES+=("${n%.c}")
done
if [[ -n $ONLY ]]; then
	for n in $ONLY; do
		[[ -f $FUZZ_SRC/fuzz_$n.c ]] || die "no harness tests/fuzz/fuzz_$n.c"
	done
	read -r -a HARNESSES <<<"$ONLY"
fi
((${#HARNESSES[@]} > 0)) || die "no harness in tests/fuzz/"

# Per-harness fuzzing time: SECONDS, or less when --total caps the wall time.
EACH=$SECONDS_EACH
if [[ -n $TOTAL ]]; then
	slots=$((TOTAL * JOBS / ${#HARNESSES[@]}))
	((slots >= 1)) || slots=1
	((slots < EACH)) && EACH=$slots
fi

# ---------------------------------------------------------------- build

# Configures (when needed) and builds the fuzzer binaries of every harness.
build() {
	local targets=() n
	if [[ ! -x $REPO/configure || $REPO/configure.ac -nt $REPO/configure ]]; then
		(cd "$REPO" && autoreconf -fi) || return 1
	fi
	mkdir -p "$BUILD"
	if [[ ! -f $BUILD/Makefile ]]; then
		echo "campaign: configuring ${BUILD#"$REPO"/} (CC=clang --enable-fuzzers)"
		(cd "$BUILD" && "$REPO/configure" -q CC=clang --enable-fuzzers --disable-frontend) || return 1
	fi
	for n in "${HARNESSES[@]}"; do
		if ! make -C "$BUILD" -n "tests/fuzz/fuzz_$n" >/dev/null 2>&1; then
			echo "campaign: tests/fuzz/fuzz_$n.c has no fuzzer target: register it in Makefile.am (see docs/FUZZING.md)" >&2
			return 1
		fi
		targets+=("tests/fuzz/fuzz_$n")
	done
	echo "campaign: building ${#targets[@]} harnesses in ${BUILD#"$REPO"/}"
	# Then the daemons and helpers, so that every program also compiles with clang's
	# warnings (some differ from gcc's; -Werror makes them errors): seconds, once the
	# harnesses' libraries are built. "all" is a recursive make, hence the second step.
	{ make -C "$BUILD" -s -j"$JOBS" "${targets[@]}" && make -C "$BUILD" -s -j"$JOBS" all; } \
		>"$OUT/build.log" 2>&1 || {
		tail -n 40 "$OUT/build.log" >&2
		return 1
	}
}

# ---------------------------------------------------------------- one harness

# The -dict option of harness "$1" (the dictionaries its source names, else
# tests/fuzz/<name>.dict when there is one), or nothing.
dict_args() {
	local n=$1 line d out=$OUT/$1/dict
	line=$(grep -m1 -o 'fuzz-dict:.*' "$FUZZ_SRC/fuzz_$n.c" | sed 's/^fuzz-dict://; s/\*\/.*//')
	[[ -n $line || ! -f $FUZZ_SRC/$n.dict ]] || line=$n
	[[ -n $line ]] || return 0
	: >"$out"
	for d in $line; do
		[[ -f $FUZZ_SRC/$d.dict ]] || {
			echo "campaign: fuzz_$n.c names the missing dictionary tests/fuzz/$d.dict" >&2
			return 1
		}
		cat "$FUZZ_SRC/$d.dict" >>"$out"
	done
	printf -- '-dict=%s\n' "$out"
}

# Fuzzes harness "$1" for $EACH seconds: new inputs go to OUT/<n>/new (the checked-in corpus
# is only read), reproducers to OUT/<n>/, the log to OUT/<n>/log; writes OUT/<n>/rc.
fuzz_one() {
	local n=$1 dir=$OUT/$1 dict rc
	mkdir -p "$dir/new" "$CORPORA/$n"
	if ! dict=$(dict_args "$n" 2>"$dir/log"); then
		echo 2 >"$dir/rc"
		return
	fi
	# A harness stuck outside libFuzzer's own clock is stopped a minute after its time.
	# shellcheck disable=SC2086 # $dict is one option or nothing
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		timeout --foreground -k 10 $((EACH + 60)) "$BUILD/tests/fuzz/fuzz_$n" \
		-max_total_time="$EACH" -timeout="$UNIT_TIMEOUT" -rss_limit_mb="$RSS_LIMIT" \
		-print_final_stats=1 -artifact_prefix="$dir/" $dict \
		"$dir/new" "$CORPORA/$n" >"$dir/log" 2>&1
	rc=$?
	echo "$rc" >"$dir/rc"
}

# Reproducers libFuzzer left for harness "$1", one a line.
findings_of() {
	local dir=$OUT/$1 f
	for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
		printf '%s\n' "$f"
	done
}

# Prints the result line of harness "$1" and records its outcome in OUT/<n>/status
# (ok, finding or error).
report_one() {
	local n=$1 dir=$OUT/$1 rc runs eps cov ft corp nfind status what
	rc=$(cat "$dir/rc" 2>/dev/null || echo 2)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n1)
	read -r cov ft corp < <(grep -aE '^#[0-9]+[[:space:]].*cov: [0-9]+ ft: [0-9]+' "$dir/log" |
		tail -n1 | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3/')
	nfind=$(findings_of "$n" | grep -c . || true)
	if ((nfind > 0)); then
		status=finding
		what=$(findings_of "$n" | sed 's|.*/||; s/-.*//' | sort | uniq -c | awk '{printf "%s%s %s", s, $1, $2; s=", "}')
	elif ((rc != 0)); then
		# libFuzzer exits non-zero only on a finding; anything else is a broken harness or
		# a report it wrote no reproducer for (e.g. a deadly signal during start-up).
		status=error
		what="exit $rc, see ${dir#"$REPO"/}/log"
	else
		status=ok
		what=none
	fi
	echo "$status" >"$dir/status"
	printf '%-18s runs %10s  exec/s %7s  cov %5s  ft %6s  corpus %5s  findings: %s\n' \
		"$n" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$what"
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "${runs:-?}" "${eps:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$what" >"$dir/row"
}

# Prints what went wrong in harness "$1" so that a CI log alone tells it: the sanitizer's or
# libFuzzer's report with the first frames of its stack, and each small reproducer in base64
# (recreate it with `base64 -d`). For a harness that failed to run, the end of its log.
explain_one() {
	local n=$1 dir=$OUT/$1 f
	printf -- '--- %s (%s)\n' "$n" "$(cat "$dir/status")"
	if [[ $(cat "$dir/status") == error ]]; then
		tail -n 15 "$dir/log"
		return
	fi
	grep -aE -m 40 -A 14 '^==[0-9]+==ERROR|ERROR: libFuzzer|runtime error:|^SUMMARY:' "$dir/log" |
		grep -avE '^(MS:|base unit:|0x)' | head -n 40
	for f in $(findings_of "$n"); do
		if (($(stat -c %s "$f") <= EXPLAIN_MAX_BYTES)); then
			printf '%s (base64): %s\n' "${f##*/}" "$(base64 -w0 "$f")"
		else
			printf '%s: %s bytes, too long to print\n' "${f##*/}" "$(stat -c %s "$f")"
		fi
	done
}

# Merges the corpus of harness "$1" with its new inputs, minimised, into the checked-in
# corpus; keeps hand-named files. Prints "<before> -> <after>".
merge_one() {
	local n=$1 dir=$OUT/$1 corpus=$CORPORA/$1 fresh=$OUT/$1/merged f before after
	rm -rf "$fresh"
	mkdir -p "$fresh"
	before=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
		"$BUILD/tests/fuzz/fuzz_$n" -merge=1 -timeout="$UNIT_TIMEOUT" \
		-rss_limit_mb="$RSS_LIMIT" "$fresh" "$corpus" "$dir/new" >"$dir/merge.log" 2>&1 || {
		echo "merge failed, see ${dir#"$REPO"/}/merge.log"
		return 1
	}
	for f in "$corpus"/*; do
		[[ ${f##*/} =~ ^[0-9a-f]{40}$ ]] || cp -p "$f" "$fresh/"
	done
	find "$corpus" -maxdepth 1 -type f -delete
	cp -p "$fresh"/* "$corpus/"
	after=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	echo "$before -> $after files"
}

# ---------------------------------------------------------------- main

mkdir -p "$OUT" || die "cannot create $OUT"
# Older campaigns' logs and inputs go, the newest KEEP_RUNS stay.
find "$BUILD/campaign" -mindepth 1 -maxdepth 1 -type d -name '2*Z' 2>/dev/null | sort |
	head -n -"$KEEP_RUNS" | while read -r old; do rm -rf -- "$old"; done
build || die "the build failed (log: ${OUT#"$REPO"/}/build.log)"

echo "campaign: ${#HARNESSES[@]} harnesses, ${EACH} s each, ${JOBS} at once," \
	"$( ((CHECK)) && echo "corpora left as they are" || echo "merging into tests/fuzz/corpus")"
start=$(date +%s)
running=0
for n in "${HARNESSES[@]}"; do
	if ((running >= JOBS)); then
		wait -n
		running=$((running - 1))
	fi
	fuzz_one "$n" &
	running=$((running + 1))
done
wait
elapsed=$(($(date +%s) - start))

echo
found=0
errors=0
for n in "${HARNESSES[@]}"; do
	report_one "$n"
	case $(cat "$OUT/$n/status") in
	finding) found=$((found + 1)) ;;
	error) errors=$((errors + 1)) ;;
	esac
done

if ((!CHECK)); then
	echo
	for n in "${HARNESSES[@]}"; do
		if [[ $(cat "$OUT/$n/status") != ok ]]; then
			printf 'merge %-18s skipped (%s)\n' "$n" "$(cat "$OUT/$n/status")"
			continue
		fi
		if result=$(merge_one "$n"); then
			printf 'merge %-18s %s\n' "$n" "$result"
		else
			printf 'merge %-18s %s\n' "$n" "$result"
			errors=$((errors + 1))
		fi
	done
fi

echo
echo "Summary ($(date -u +%Y-%m-%d), \`tests/fuzz/campaign.sh $( ((CHECK)) && printf -- '--check ')$EACH\`," \
	"${JOBS} at once, ${elapsed} s wall time, clang $(clang -dumpversion 2>/dev/null || echo '?')," \
	"ASan + UBSan + LeakSanitizer):"
echo
echo "| harness | runs | exec/s | cov | ft | corpus | findings |"
echo "|---|---:|---:|---:|---:|---:|---|"
for n in "${HARNESSES[@]}"; do
	cat "$OUT/$n/row"
done
echo
if ((found > 0)); then
	echo "campaign: $found harness(es) found something; reproducers:"
	for n in "${HARNESSES[@]}"; do
		findings_of "$n" | sed "s|^|  |; s|\$| (replay: ${BUILD#"$REPO"/}/tests/fuzz/fuzz_$n <file>)|"
	done
fi
if ((errors > 0)); then
	echo "campaign: $errors harness(es) failed to run; logs in ${OUT#"$REPO"/}"
fi
if ((found + errors > 0)); then
	echo
	for n in "${HARNESSES[@]}"; do
		[[ $(cat "$OUT/$n/status") == ok ]] || explain_one "$n"
	done
	((found > 0)) && exit 1
	exit 2
fi
echo "campaign: nothing found; logs in ${OUT#"$REPO"/}"
exit 0
