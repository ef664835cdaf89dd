#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - `make check`: every test of whorl, on every kernel, one summary and one verdict.
#
# 1. tests/deps.sh installs the Debian packages the tests need (idempotent).
# 2. The tool's unit tests (`make -C userspace check`); the tool itself (`make tool`), which
#    every guest gets as /usr/bin/whorl.
# 3. For the newest installed Debian kernel of each series (6.1, 6.12): whorl.ko is built against
#    its headers with W=1, any warning failing the build, then that kernel boots in QEMU with the
#    smoke test (tests/qemu/smoke) and the end-to-end tests (tests/e2e/t-*.sh).
# 4. For each Debian kernel source (linux-source-6.1, -6.12): the KUnit + debug kernel is built
#    (cached in ~/.cache/whorl/kernels), whorl.ko and whorl_kunit.ko are built against it, and it
#    boots with KUnit, then the smoke and end-to-end tests, under KASAN, lockdep and kmemleak.
# A failing kernel does not stop the others. The closing line is `N passed, N failed`, counting
# every test case (KUnit cases included); the exit status is non-zero on any failure.
#
# Environment: WHORL_LOGDIR (default build/logs), WHORL_GUEST_TIMEOUT (seconds per guest),
# WHORL_SERIES / WHORL_RELEASES (restrict to these source series / distro releases, space separated;
# `none` for none).
# tests/e2e/payload.sh, when present, is run as `payload.sh DIR` and DIR's contents (runc, crun,
# image layers...) are merged into every guest's root.
set -euo pipefail
trap 'echo "check.sh: stopped by a failing command at line $LINENO" >&2' ERR

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh
top=$(pwd)
logs=$(whorl_logdir)
work=$top/build/check
mkdir -p "$logs" "$work"
started=$(date +%s)

rows=()
# row SUITE KERNEL PASSED FAILED SKIPPED
row() { rows+=("$*"); }
# row_from_counts KERNEL COUNTS-FILE: one row per suite the guest run reported
row_from_counts() {
	local suite p f s
	if [ ! -f "$2" ]; then
		row boot "$1" 0 1 0
		return
	fi
	while read -r suite p f s; do row "$suite" "$1" "$p" "$f" "$s"; done < "$2"
}
phase() { echo "== $* ($(($(date +%s) - started)) s)" >&2; }

phase "dependencies"
bash tests/deps.sh || row deps host 0 1 0

phase "userspace unit tests"
if [ -f userspace/Makefile ]; then
	ulog=$logs/userspace.log
	mkdir -p "$logs"
	set +e
	make -C userspace check > "$ulog" 2>&1
	urc=$?
	set -e
	# cmocka's own report ([       OK ] / [  FAILED  ] per case) or TAP
	up=$(grep -cE '^\[       OK \]|^ok [0-9]' "$ulog" || true)
	uf=$({ grep -E '^\[  FAILED  \] [^0-9]|^\[  ERROR   \]|^not ok [0-9]' "$ulog" || true; } | sort -u | wc -l)
	us=$(grep -cE '^\[  SKIPPED \] [^0-9]' "$ulog" || true)
	if [ "$urc" -ne 0 ] && [ "$uf" -eq 0 ]; then uf=1; fi
	if [ "$urc" -eq 0 ] && [ "$up" -eq 0 ]; then
		echo "userspace: make check ran no recognisable test case" >&2
		uf=$((uf + 1))
	fi
	[ "$urc" -eq 0 ] || tail -n 30 "$ulog" >&2
	row userspace host "$up" "$uf" "$us"
else
	echo "userspace: SKIPPED, userspace/Makefile does not exist yet" >&2
	row userspace host 0 0 1
fi

phase "the tool"
if [ -f userspace/Makefile ]; then
	if make tool > "$logs/tool.log" 2>&1; then
		row tool host 1 0 0
	else
		tail -n 30 "$logs/tool.log" >&2
		row tool host 0 1 0
	fi
fi

payload=()
if [ -f tests/e2e/payload.sh ]; then
	phase "end-to-end payload"
	if bash tests/e2e/payload.sh "$work/payload" > "$logs/payload.log" 2>&1; then
		payload=(-p "$work/payload")
		row payload host 1 0 0
	else
		tail -n 30 "$logs/payload.log" >&2
		row payload host 0 1 0
	fi
fi
tests=(-s tests/qemu/smoke)
if compgen -G 'tests/e2e/t-*.sh' > /dev/null; then tests+=(-e tests/e2e); fi

# distro_kernel RELEASE: build against its headers as DKMS would, boot it, run the tests
distro_kernel() {
	local rel=$1 dest=$work/distro-$rel
	phase "distro kernel $rel: build"
	if ! whorl_build_module "$dest" "$logs/build-$rel.log" KERNELRELEASE="$rel"; then
		row build "$rel" 0 1 0
		return
	fi
	row build "$rel" 1 0 0
	phase "distro kernel $rel: boot"
	whorl_guest "distro-$rel" "/boot/vmlinuz-$rel" e2e "" -- \
		-k "$dest/whorl.ko" -r "$rel" "${tests[@]}" "${payload[@]}" || true
	row_from_counts "$rel" "$logs/distro-$rel/counts"
}

# test_kernel SERIES: the KUnit + debug kernel built from linux-source-SERIES
test_kernel() {
	local series=$1 kdir rel dest kos
	phase "test kernel $series: kernel"
	if ! kdir=$(whorl_test_kernel "$series"); then
		row kernel "test-$series" 0 1 0
		return
	fi
	rel=test-$(cat "$kdir/kernelrelease")
	row kernel "$rel" 1 0 0
	dest=$work/test-$series
	phase "test kernel $series: build"
	if ! whorl_build_module "$dest" "$logs/build-$rel.log" KDIR="$kdir/build"; then
		row build "$rel" 0 1 0
		return
	fi
	row build "$rel" 1 0 0
	kos=(-k "$dest/whorl.ko")
	[ -f "$dest/whorl_kunit.ko" ] && kos+=(-k "$dest/whorl_kunit.ko")
	phase "test kernel $series: boot"
	whorl_guest "test-$series" "$kdir/bzImage" kunit+e2e "$kdir/src" -- \
		"${kos[@]}" "${tests[@]}" "${payload[@]}" || true
	row_from_counts "$rel" "$logs/test-$series/counts"
}

for rel in ${WHORL_RELEASES:-$(whorl_distro_releases)}; do
	[ "$rel" = none ] || distro_kernel "$rel"
done
for series in ${WHORL_SERIES:-$(bash tests/qemu/kernel.sh list)}; do
	[ "$series" = none ] || test_kernel "$series"
done

passed=0
failed=0
echo
printf '%-10s %-28s %7s %7s %8s\n' suite kernel passed failed skipped
for r in "${rows[@]}"; do
	read -r suite kernel p f s <<<"$r"
	printf '%-10s %-28s %7s %7s %8s\n' "$suite" "$kernel" "$p" "$f" "$s"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "(logs: $logs; $(($(date +%s) - started)) s)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
