#!/usr/bin/env bash
# run_bounded.sh — runs one hostile input against the CLI and checks that it is refused well:
# the exit code, a message naming the culprit, no message it must not print, within a time and a
# memory limit, and that no file appeared where none should be written.
#   run_bounded.sh --rc N [--stdout REGEX] [--stderr REGEX] [--not-stderr REGEX] [--seconds S] [--mem-mb M]
#                  [--no-file PATH] [--stdout-to PATH] -- COMMAND [ARGS...]
# --mem-mb caps the address space (ulimit -v; under ASan its hard_rss_limit_mb), so a parser that
# allocates from a hostile header fails here instead of taking the machine's memory.
set -u
rc_expected="" stdout_re="" stderr_re="" not_stderr_re="" seconds=60 mem_mb=1024 no_file="" stdout_to=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rc) rc_expected=$2; shift 2 ;;
    --stdout) stdout_re=$2; shift 2 ;;
    --stderr) stderr_re=$2; shift 2 ;;
    --not-stderr) not_stderr_re=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --mem-mb) mem_mb=$2; shift 2 ;;
    --no-file) no_file=$2; shift 2 ;;
    --stdout-to) stdout_to=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_bounded.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$rc_expected" ] && [ $# -gt 0 ] || { echo "usage: run_bounded.sh --rc N [...] -- COMMAND..." >&2; exit 2; }
[ -n "$no_file" ] && rm -f "$no_file"
err=$(mktemp) out=$(mktemp)
trap 'rm -f "$err" "$out"' EXIT
[ -n "$stdout_to" ] || stdout_to=$out
start=$(date +%s.%N)
if [ -n "${ASAN_OPTIONS:-}" ]; then
  # Under AddressSanitizer (the debug-asan preset) the shadow memory takes terabytes of address
  # space, so ulimit -v cannot be used: ASan's own resident-memory limit stands in, with room for
  # its red zones.
  limit_mb=$((mem_mb * 2 + 256))
  ( export ASAN_OPTIONS="$ASAN_OPTIONS:hard_rss_limit_mb=$limit_mb:allocator_may_return_null=1"
    exec timeout --kill-after=5 "$seconds" "$@" ) >"$stdout_to" 2>"$err"
else
  ( ulimit -v $((mem_mb * 1024)); exec timeout --kill-after=5 "$seconds" "$@" ) >"$stdout_to" 2>"$err"
fi
rc=$?
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
problems=()
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then problems+=("did not finish within $seconds s (exit $rc)"); fi
if [ "$rc" -ge 128 ] && [ "$rc" != 137 ]; then problems+=("crashed with signal $((rc - 128))"); fi
[ "$rc" = "$rc_expected" ] || problems+=("exit code $rc, expected $rc_expected")
if [ -n "$stdout_re" ] && ! grep -Eq -- "$stdout_re" "$stdout_to"; then problems+=("stdout does not match: $stdout_re"); fi
if [ -n "$stderr_re" ] && ! grep -Eq -- "$stderr_re" "$err"; then problems+=("stderr does not match: $stderr_re"); fi
if [ -n "$not_stderr_re" ] && grep -Eq -- "$not_stderr_re" "$err"; then problems+=("stderr matches what it must not: $not_stderr_re"); fi
if grep -q "bad_alloc\|basic_filebuf\|terminate called" "$err"; then problems+=("stderr shows a raw C++ exception"); fi
if [ -n "$no_file" ] && [ -e "$no_file" ]; then problems+=("wrote $no_file, which it must not"); fi
echo "exit $rc in $elapsed s (limits: $seconds s, $mem_mb MB): $*"
if [ ${#problems[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${problems[@]}"
  echo "--- stderr"; head -c 4000 "$err"
  exit 1
fi
head -c 600 "$err"
