#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - boot one test guest under QEMU (TCG), judge the run, write its per-suite counts.
#
#   tests/qemu/run.sh -n NAME -k KERNEL -i INITRD [-m MODE] [-K SRCTREE] [-T SECONDS] [-M MEM]
#     -n NAME     the run's name; logs go to $WHORL_LOGDIR/NAME/ (default build/logs/NAME/)
#     -m MODE     e2e (default), kunit, or kunit+e2e: what the guest runs (see guest-init)
#     -K SRCTREE  the kernel source tree whose tools/testing/kunit/kunit.py parses the KTAP
#                 (required with kunit)
#     -T SECONDS  the whole run's time limit (default 900)
#     -A ARGS     more kernel command-line arguments
#     -D IMAGE    a raw disk image the guest sees as /dev/vda; attached read-only (the guest's
#                 writes go to a snapshot QEMU throws away)
#
# A run passes only when all of these hold: QEMU exits with the guest's pass code (3, from
# isa-debug-exit), the data channel ends with this run's success marker, the console holds no
# kernel splat (BUG, WARNING, KASAN, lockdep, kmemleak, Oops, panic), and the kernel's KUnit
# parser reports every case passed. Each broken condition counts as one failed case of suite
# "boot". Writes LOGDIR/NAME/counts ("<suite> <passed> <failed> <skipped>" per line) and exits 0
# on pass, 1 on fail; on failure the console's last 60 lines are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
logroot=${WHORL_LOGDIR:-$top/build/logs}

name= kernel= initrd= mode=e2e srctree= limit=900 mem=2G extra= disk=()
die() { echo "run.sh: $*" >&2; exit 2; }
while getopts "n:k:i:m:K:T:M:A:D:" opt; do
	case "$opt" in
	n) name=$OPTARG ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	m) mode=$OPTARG ;;
	K) srctree=$OPTARG ;;
	T) limit=$OPTARG ;;
	M) mem=$OPTARG ;;
	A) extra=$OPTARG ;;
	D) disk=(-drive "file=$OPTARG,format=raw,if=virtio,snapshot=on") ;;
	*) die "unknown option (see the top of this script)" ;;
	esac
done
[ -n "$name" ] && [ -f "$kernel" ] && [ -f "$initrd" ] || die "usage: run.sh -n NAME -k KERNEL -i INITRD ..."
case "$mode" in *kunit*) [ -f "$srctree/tools/testing/kunit/kunit.py" ] || die "kunit needs -K SRCTREE" ;; esac

logs=$logroot/$name
mkdir -p "$logs"
console=$logs/console.log
data=$logs/data.log
rm -f "$console" "$data" "$logs/kunit.log" "$logs/kunit.txt" "$logs/counts"
nonce=$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')

# One host thread runs both vCPUs (single-threaded TCG). With a thread per vCPU, QEMU here lets
# a vCPU run kernel text another vCPU is patching: registering a kprobe while other tasks run
# the probed function then oopses (an unclaimed int3, or a jump to 0) on 6.1 and 6.12 alike,
# within a few dozen reloads of a module whose handlers do nothing, and never with one thread
# (400 reloads under storms, docs/RELIABILITY.md). The guest still has two CPUs: tasks and
# interrupts interleave and preempt each other as on SMP hardware. WHORL_QEMU_ACCEL overrides.
accel=${WHORL_QEMU_ACCEL:-tcg,thread=single}
# WHORL_QEMU_ICOUNT=1: the guest's clocks count instructions (1 ns each), not host time: timings
# become repeatable, whatever the host's load (the benchmarks' instruction clock). One thread only.
icount=()
if [ "${WHORL_QEMU_ICOUNT:-0}" = 1 ]; then
	accel=tcg,thread=single
	icount=(-icount shift=0,sleep=on,align=off)
fi
start=$(date +%s)
set +e
timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
	-machine pc -accel "$accel" "${icount[@]}" -cpu max -smp 2 -m "$mem" \
	-nographic -no-reboot -nodefaults -display none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 oops=panic panic_on_warn=1 panic=-1 random.trust_cpu=on whorl.mode=$mode whorl.nonce=$nonce${extra:+ $extra}" \
	-serial "file:$console" -serial "file:$data" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${disk[@]}" \
	-monitor none </dev/null >"$logs/qemu.log" 2>&1
rc=$?
set -e
seconds=$(($(date +%s) - start))
sed -i 's/\r$//' "$console" "$data" 2>/dev/null || true

declare -A pass=() fail=() skip=()
problems=()
problem() { problems+=("$1"); }

case "$rc" in
3) ;;
5) ;; # the guest's own verdict: failures are in the data channel
124 | 137) problem "timed out after $limit s" ;;
0) problem "the guest rebooted or panicked (QEMU exited 0)" ;;
*) problem "QEMU exited $rc (see $logs/qemu.log)" ;;
esac
[ "$rc" = 5 ] && ! grep -qE "^[a-z0-9_]+: not ok " "$data" && problem "the guest reported failure"
grep -qxF "whorl-guest: pass $nonce" "$data" 2>/dev/null || [ "$rc" = 5 ] ||
	problem "no success marker in the data channel"

# Kernel splats, whether or not they stopped the guest. The kernel prints them at a line's
# start (after the timestamp); guest-init prefixes what test scripts print, so a script cannot
# trip this by echoing a word.
splat='^(\[ *[0-9]+\.[0-9]+\] )?(BUG:|WARNING:|Oops|Kernel panic|general protection fault|kernel BUG|UBSAN:|ODEBUG:|kmemleak: .*suspected memory leak|.*(KASAN|possible circular locking|inconsistent lock state|sleeping function called|suspicious RCU usage|possible recursive locking))'
if grep -qE "$splat" "$console" 2>/dev/null; then
	problem "kernel splat on the console: $(grep -m1 -E "$splat" "$console" | cut -c1-120)"
fi

# Test cases the guest reported.
while IFS= read -r line; do
	suite=${line%%: *}
	rest=${line#*: }
	case "$rest" in
	"not ok "*) fail[$suite]=$((${fail[$suite]:-0} + 1)) ;;
	"ok "*"# SKIP"*) skip[$suite]=$((${skip[$suite]:-0} + 1)) ;;
	"ok "*) pass[$suite]=$((${pass[$suite]:-0} + 1)) ;;
	esac
done < <(grep -E '^[a-z0-9_]+: (not )?ok ' "$data" 2>/dev/null || true)

# KUnit, parsed by the kernel's own parser.
case "$mode" in
*kunit*)
	sed -n '/^whorl-kunit: begin$/,/^whorl-kunit: end$/p' "$data" | sed '1d;$d' > "$logs/kunit.log"
	set +e
	python3 "$srctree/tools/testing/kunit/kunit.py" parse "$logs/kunit.log" > "$logs/kunit.txt" 2>&1
	krc=$?
	set -e
	summary=$(grep -oE 'Ran [0-9]+ tests.*' "$logs/kunit.txt" | tail -n 1 || true)
	# strip colour codes
	summary=$(printf '%s' "$summary" | sed 's/\x1b\[[0-9;]*m//g')
	total=$(sed -n 's/^Ran \([0-9]*\) tests.*/\1/p' <<<"$summary")
	kpass=$(grep -oE 'passed: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
	kskip=$(grep -oE 'skipped: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
	kerr=$(grep -oE 'errors: [0-9]+' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
	: "${total:=0}"
	pass[kunit]=$((${pass[kunit]:-0} + kpass))
	skip[kunit]=$((${skip[kunit]:-0} + kskip))
	fail[kunit]=$((${fail[kunit]:-0} + total - kpass - kskip))
	if [ "$total" -eq 0 ]; then
		problem "KUnit: no test case ran (kunit.py: $(tail -n 1 "$logs/kunit.txt" | sed 's/\x1b\[[0-9;]*m//g'))"
	elif [ "$kerr" -gt 0 ]; then
		problem "KUnit: $kerr KTAP parse errors"
	elif [ "$krc" -ne 0 ] && [ "$total" -eq $((kpass + kskip)) ]; then
		problem "KUnit: kunit.py parse exited $krc"
	fi
	;;
esac
fail[boot]=$((${fail[boot]:-0} + ${#problems[@]}))
[ "${#problems[@]}" -eq 0 ] && pass[boot]=1

: > "$logs/counts"
for suite in boot guest kunit smoke e2e $(printf '%s\n' "${!pass[@]}" "${!fail[@]}" "${!skip[@]}" | sort -u); do
	grep -q "^$suite " "$logs/counts" && continue
	[ -n "${pass[$suite]:-}${fail[$suite]:-}${skip[$suite]:-}" ] || continue
	echo "$suite ${pass[$suite]:-0} ${fail[$suite]:-0} ${skip[$suite]:-0}" >> "$logs/counts"
done
echo "$seconds" > "$logs/seconds"

failures=0
while read -r _ _ f _; do failures=$((failures + f)); done < "$logs/counts"
if [ "$failures" -eq 0 ]; then
	echo "run.sh: $name passed in $seconds s" >&2
	exit 0
fi

{
	echo "run.sh: $name FAILED in $seconds s (QEMU exit $rc); logs in $logs"
	for p in "${problems[@]}"; do echo "  boot: $p"; done
	grep -E '^[a-z0-9_]+: not ok ' "$data" 2>/dev/null | sed 's/^/  /' || true
	case "$mode" in *kunit*) grep -E '\[(FAILED|CRASHED)\]' "$logs/kunit.txt" | sed 's/\x1b\[[0-9;]*m//g; s/^/  kunit: /' || true ;; esac
	echo "---- last 60 lines of $console ----"
	tail -n 60 "$console" 2>/dev/null || true
	echo "----"
} >&2
exit 1
