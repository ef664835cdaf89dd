#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - `make check`: every test of whorl, on every kernel, one summary and one verdict.
#
# 1. tests/deps.sh installs the Debian packages the tests need (idempotent).
# 2. Host suites: the tool's unit tests and a bounded fuzz run (`make -C userspace check`), the
#    tool itself, the deployment manifests (tests/packaging/manifests.py), `make install` /
#    `make uninstall` / `make clean` into a DESTDIR (tests/packaging/install.sh), and DKMS add,
#    build, install and remove for every installed kernel (tests/packaging/dkms.sh), which keeps
#    the module DKMS built for each kernel.
# 3. The guests' payloads: tests/e2e/payload.sh (runc, crun, a layered image, attack files,
#    intel) and the build.sh of every other guest suite directory (tests/reliability, tests/stress).
# 4. For the newest installed Debian kernel of each series (6.1, 6.12): whorl.ko is built against
#    its headers with W=1, any warning failing the build; then that kernel boots in QEMU with the
#    module DKMS built (the one users get) and runs the smoke tests (tests/qemu/smoke, the tool
#    against the real module: userspace/tests/guest), the end-to-end scenarios (tests/e2e) and
#    the adversary suite, and the runtimes suite (tests/runtimes: Debian 12's dockerd, containerd
#    and podman, from a disk image tests/runtimes/root.sh makes once with debootstrap and caches
#    in ~/.cache/whorl/runtimes); the oldest one also the reliability and stress suites (short
#    form).
# 4b. The kernel matrix (tests/matrix/kernels.sh): for each other Debian suite (bullseye's 5.10,
#    trixie's 6.12, sid's and trixie-backports' 7.x), the newest kernel its mirror serves, found
#    through a private apt list (the host's sources untouched) and cached with a debootstrap
#    chroot of that suite in ~/.cache/whorl/matrix; whorl.ko is built in the chroot with W=1, any
#    warning failing the build (row `build <rel>`); that kernel then boots with it and runs the
#    core set: the smoke test, the seed e2e scenarios (t-00, t-01, t-02, t-10, t-11, t-20, t-30)
#    and the adversary suite's t-41, t-43, t-45, t-48 (guest-init names what it left out). A suite that
#    cannot be prepared or built is a failed row (`prepare <suite>`, `build <rel>`).
# 4c. Each installed PREEMPT_RT kernel's headers (Debian's -rt flavour, from tests/deps.sh): whorl
#    builds there as a module that refuses to load (kmod/unsupported.c); that kernel's image is
#    fetched from the host's suite (extracted, not installed), boots with the module DKMS built,
#    and tests/rt checks the refusal, its reason in the kernel log, and what the tool says.
# 5. For each Debian kernel source (linux-source-6.1, -6.12): the KUnit + debug kernel (KASAN,
#    lockdep, kmemleak...) is built once and cached in ~/.cache/whorl/kernels; whorl.ko and
#    whorl_kunit.ko are built against it and it boots with KUnit, then the same guest suites (the
#    newest series, built first, also the long ones: one distro and one debug kernel run them).
# 6. A smoke run of the benchmarks (tests/bench.sh --smoke): every figure is produced.
# Every finding a guest's relay printed is validated against docs/finding.schema.json (suite
# "schema", one case per finding), and its SCC twin's against docs/scc-finding.schema.json and
# SCC v2's protos, parsed strictly (suite "scc"). Guests run two at a time, the longest first,
# each once its kernel and module exist (the test and matrix kernels build in the background).
# A failing kernel does not stop the others. The closing line is `N passed, N failed`, counting
# every test case (KUnit cases included); the exit status is non-zero on any failure.
#
# Environment: WHORL_LOGDIR (default build/logs), WHORL_GUEST_TIMEOUT (seconds per guest),
# WHORL_SERIES / WHORL_RELEASES (restrict to these source series / distro releases, space
# separated; `none` for none), WHORL_MATRIX (the matrix suites to run, e.g. "trixie sid", or
# `none`), WHORL_RT_RELEASES (the PREEMPT_RT releases of step 4c, or `none`),
# WHORL_HOST_SUITES=0 skips step 2 but for the tool, WHORL_BENCH=0 skips step 6.
set -euo pipefail
trap 'echo "check.sh: stopped by a failing command at line $LINENO" >&2' ERR

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh
top=$(pwd)
logs=$(whorl_logdir)
work=$top/build/check
rows_dir=$work/rows
rm -rf "$rows_dir"
mkdir -p "$logs" "$work" "$rows_dir"
started=$(date +%s)
touch "$work/started.stamp"

# row SUITE KERNEL PASSED FAILED SKIPPED: one line of the summary. Rows go to a file per job
# ($job), so that jobs running in the background keep their own rows and their order.
job=00-host
row() { echo "$*" >>"$rows_dir/$job"; }
# row_from_counts KERNEL COUNTS-FILE: one row per suite the guest run reported
row_from_counts() {
	local suite p f s
	if [ ! -f "$2" ]; then
		row boot "$1" 0 1 0
		return
	fi
	while read -r suite p f s; do row "$suite" "$1" "$p" "$f" "$s"; done <"$2"
}
# row_from_tap SUITE KERNEL LOG RC: a host script's TAP lines (the test number is optional, as
# TAP has it); a non-zero exit without any `not ok` is one failure, and so is a log with no test
# case at all.
row_from_tap() {
	local p f s
	p=$(grep -cE '^ok( |$)' "$3" || true)
	s=$(grep -cE '^ok( .*)?# SKIP' "$3" || true)
	f=$(grep -cE '^not ok( |$)' "$3" || true)
	p=$((p - s))
	if [ "$4" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	# (under set -e: a failure with no `not ok` line must still reach its row)
	[ "$f" -eq 0 ] || { grep -E '^not ok' "$3" | head -n 20 || true; tail -n 20 "$3"; } >&2
	row "$1" "$2" "$p" "$f" "$s"
}
# row_from_findings KERNEL DATA-LOG: every finding the guest's relays printed, against the schema;
# and the same findings as their SCC twins wrote them, against docs/scc-finding.schema.json and
# parsed strictly as SCC v2 protos
row_from_findings() {
	local dir=${2%/*}
	sed -n 's/^# whorl-finding //p' "$2" >"$dir/findings.jsonl" 2>/dev/null || true
	sed -n 's/^# whorl-scc-finding //p' "$2" >"$dir/scc-findings.jsonl" 2>/dev/null || true
	row_validated schema "$1" "$dir/findings.jsonl" userspace/tests/validate.py \
		docs/finding.schema.json
	row_validated scc "$1" "$dir/scc-findings.jsonl" userspace/tests/scc_validate.py
}
# say_provenance KERNEL DATA-LOG: where that guest's layer provenance came from, as t-00 found it
# (btf, table or off, and why), into the run's log
say_provenance() {
	local p
	p=$(sed -n 's/^# provenance: //p' "$2" 2>/dev/null | head -n 1) || p=""
	[ -n "$p" ] || p=$(sed -n 's/^# provenance at load: //p' "$2" 2>/dev/null | head -n 1) || p=""
	echo "layer provenance on $1: ${p:-not reported}" >&2
}
# row_validated SUITE KERNEL JSONL VALIDATOR ARGS...: one case per document of JSONL, as the
# validator (whose last line is "NAME: N documents, M invalid") judged it
row_validated() {
	local suite=$1 kernel=$2 jsonl=$3 tool=$4 out n bad
	shift 4
	[ -s "$jsonl" ] || return 0
	out=$(python3 "$tool" "$@" "$jsonl" 2>&1) || true
	n=$(sed -n 's/^[a-z_]*\.py: \([0-9]*\) documents, \([0-9]*\) invalid$/\1/p' <<<"$out")
	bad=$(sed -n 's/^[a-z_]*\.py: \([0-9]*\) documents, \([0-9]*\) invalid$/\2/p' <<<"$out")
	if [ -z "$n" ]; then
		echo "$suite: ${tool##*/} failed: $out" >&2
		row "$suite" "$kernel" 0 1 0
		return
	fi
	[ "$bad" -eq 0 ] || { echo "$suite ($kernel): findings not valid (${tool##*/}):"; head -n 20 <<<"$out"; } >&2
	row "$suite" "$kernel" $((n - bad)) "$bad" 0
}
phase() { echo "== $* ($(($(date +%s) - started)) s)" >&2; }
# host_suite SUITE LOGNAME COMMAND...: run a host script that prints TAP lines
host_suite() {
	local suite=$1 log=$logs/$2.log rc=0
	shift 2
	phase "$suite"
	"$@" >"$log" 2>&1 || rc=$?
	row_from_tap "$suite" host "$log" "$rc"
}

phase "dependencies"
bash tests/deps.sh || row deps host 0 1 0

phase "userspace unit tests"
ulog=$logs/userspace.log
set +e
make -C userspace check >"$ulog" 2>&1
urc=$?
set -e
# cmocka's own report ([       OK ] / [  FAILED  ] per case)
up=$(grep -cE '^\[       OK \]' "$ulog" || true)
uf=$({ grep -E '^\[  FAILED  \] [^0-9]|^\[  ERROR   \]' "$ulog" || true; } | sort -u | wc -l)
us=$(grep -cE '^\[  SKIPPED \] [^0-9]' "$ulog" || true)
if [ "$urc" -ne 0 ] && [ "$uf" -eq 0 ]; then uf=1; fi
if [ "$urc" -eq 0 ] && [ "$up" -eq 0 ]; then
	echo "userspace: make check ran no recognisable test case" >&2
	uf=$((uf + 1))
fi
[ "$urc" -eq 0 ] || tail -n 30 "$ulog" >&2
row userspace host "$up" "$uf" "$us"

phase "the tool"
if make tool >"$logs/tool.log" 2>&1; then
	row tool host 1 0 0
else
	tail -n 30 "$logs/tool.log" >&2
	row tool host 0 1 0
fi

dkms_out=$work/dkms
if [ "${WHORL_HOST_SUITES:-1}" != 0 ]; then
	host_suite manifests manifests python3 tests/packaging/manifests.py
	host_suite rules rules bash rules/tests/check.sh
	host_suite install install bash tests/packaging/install.sh
	rm -rf "$dkms_out"
	host_suite dkms dkms bash tests/packaging/dkms.sh --out "$dkms_out"
fi

# Payloads merged into every guest's root, and the guest suite directories. The long suites
# (reliability, stress: $long) run on one distro kernel and one debug kernel, see long_for.
payload=()
suites=(-s tests/qemu/smoke -s userspace/tests/guest -e tests/e2e)
long=()
long_names=()
phase "guest payloads"
if bash tests/e2e/payload.sh "$work/payload" >"$logs/payload.log" 2>&1; then
	payload+=(-p "$work/payload")
	row payload host 1 0 0
else
	tail -n 30 "$logs/payload.log" >&2
	row payload host 0 1 0
fi
# The runtimes suite (tests/runtimes): Debian 12's docker.io, containerd and podman on a disk image
# the distro kernels' guests attach, and the e2e image as an image archive they load.
runtimes=()
runtimes_disk=
if [ "${#payload[@]}" -gt 0 ]; then
	if runtimes_disk=$(bash tests/runtimes/root.sh image 2>"$logs/runtimes-root.log") &&
		bash tests/runtimes/build.sh "$work/payload-runtimes" "$work/payload" \
			>"$logs/payload-runtimes.log" 2>&1; then
		runtimes=(-p "$work/payload-runtimes" -e tests/runtimes -m crc32c_generic -m ext4
			-m virtio_blk -m virtio_pci)
		row payload-runtimes host 1 0 0
	else
		tail -n 30 "$logs/runtimes-root.log" "$logs/payload-runtimes.log" >&2
		runtimes_disk=
		row payload-runtimes host 0 1 0
	fi
fi
for dir in tests/reliability tests/stress tests/adversary; do
	[ -x "$dir/build.sh" ] || [ -f "$dir/build.sh" ] || continue
	name=${dir##*/}
	if bash "$dir/build.sh" "$work/payload-$name" >"$logs/payload-$name.log" 2>&1; then
		case $name in
		reliability | stress)
			long+=(-p "$work/payload-$name" -e "$dir")
			long_names+=("$name")
			;;
		*)
			payload+=(-p "$work/payload-$name")
			suites+=(-e "$dir")
			;;
		esac
		row "payload-$name" host 1 0 0
	else
		tail -n 30 "$logs/payload-$name.log" >&2
		row "payload-$name" host 0 1 0
	fi
done

# long_for GUEST: with_long is the long suites' options if GUEST runs them, else empty (and it
# says where they run): the oldest installed distro release's guest and the newest test
# series' (built first, so that its longer guest starts first), one of each family.
long_for() {
	with_long=()
	if [ "$1" = "distro-$long_distro" ] || [ "$1" = "test-$long_series" ]; then
		with_long=("${long[@]}")
	elif [ "${#long[@]}" -gt 0 ]; then
		echo "$1: the long suites (${long_names[*]}) run on distro-$long_distro and test-$long_series" >&2
	fi
}

# installed_module RELEASE DEST: build whorl.ko against RELEASE's installed headers in DEST (W=1,
# no warning; row `build`), then set ko to the module DKMS built for RELEASE, the one users get
# (or, when the host suites did not run, DEST's). Returns 1 if the build failed.
installed_module() {
	local rel=$1 dest=$2
	if ! whorl_build_module "$dest" "$logs/build-$rel.log" KERNELRELEASE="$rel"; then
		row build "$rel" 0 1 0
		return 1
	fi
	row build "$rel" 1 0 0
	ko=$dkms_out/$rel/whorl.ko
	if [ -f "$ko" ]; then
		echo "kernel $rel: the guest loads the module DKMS built ($(cat "$dkms_out/$rel/origin"))" >&2
	else
		[ "${WHORL_HOST_SUITES:-1}" = 0 ] || row dkms-module "$rel" 0 1 0
		ko=$dest/whorl.ko
	fi
}

# distro_kernel RELEASE: build against its headers (W=1, no warning), boot it with the module
# DKMS built, run the guest suites
distro_kernel() {
	local rel=$1 ko
	phase "distro kernel $rel: build"
	installed_module "$rel" "$work/distro-$rel" || return
	phase "distro kernel $rel: boot"
	long_for "distro-$rel"
	WHORL_GUEST_DISK=$runtimes_disk whorl_guest "distro-$rel" "/boot/vmlinuz-$rel" e2e "" -- \
		-k "$ko" -r "$rel" "${suites[@]}" "${payload[@]}" "${runtimes[@]}" \
		"${with_long[@]}" || true
	row_from_counts "$rel" "$logs/distro-$rel/counts"
	row_from_findings "$rel" "$logs/distro-$rel/data.log"
	say_provenance "$rel" "$logs/distro-$rel/data.log"
	phase "distro kernel $rel: done"
}

# rt_kernel RELEASE: a PREEMPT_RT kernel: the module built against its headers (W=1, no warning)
# is the one that refuses to load; the kernel's image boots with the module DKMS built and
# tests/rt checks the refusal
rt_kernel() {
	local rel=$1 ko dir
	phase "rt kernel $rel: build"
	installed_module "$rel" "$work/rt-$rel" || return
	if ! dir=$(whorl_rt_image "$rel" 2>"$logs/image-$rel.log"); then
		tail -n 5 "$logs/image-$rel.log" >&2
		row image "$rel" 0 1 0
		return
	fi
	phase "rt kernel $rel: boot"
	whorl_guest "rt-$rel" "$dir/boot/vmlinuz-$rel" e2e "" -- \
		-k "$ko" -r "$rel" -B "$dir" -s tests/rt || true
	row_from_counts "$rel" "$logs/rt-$rel/counts"
	phase "rt kernel $rel: done"
}

# awaited DONE OUTPUT LOG LINES SUITE KERNEL: wait for a background step to touch DONE; if it
# left OUTPUT missing or empty, show LOG's last LINES, write a failed row and return 1
awaited() {
	while [ ! -e "$1" ]; do sleep 5; done
	[ -s "$2" ] && return 0
	tail -n "$4" "$3" >&2
	row "$5" "$6" 0 1 0
	return 1
}

# The kernel matrix (tests/matrix/kernels.sh): other Debian suites' newest kernels. Their
# kernels, chroots and modules are made in the background, one suite after another, while the
# guests before them run; each suite's guest starts once its module is there and runs the core
# set below (guest-init names every script it leaves out).
matrix_core=t-module,t-00-foundation,t-01-runtime,t-02-provenance-off
matrix_core+=,t-10-modified-malicious-library
matrix_core+=,t-11-container-escape,t-20-silence,t-30-enforce
matrix_core+=,t-41-adv-enforce,t-43-adv-forged-provenance,t-45-adv-deny-content
matrix_core+=,t-48-adv-escape
# matrix_make SUITE: prepare it and build whorl.ko in its chroot; the outcome goes to files
# that matrix_kernel reads (matrix-SUITE.rel, .dir, whorl.ko), then matrix-SUITE.done
matrix_make() {
	local suite=$1 m=$work/matrix-$1 rel dir
	rm -rf "$m" && mkdir -p "$m"
	if read -r rel dir < <(bash tests/matrix/kernels.sh prepare "$suite" 2>"$logs/matrix-$suite.log") &&
		[ -n "$rel" ]; then
		echo "$rel" >"$m/rel"
		echo "$dir" >"$m/dir"
		bash tests/matrix/kernels.sh build "$suite" "$top" "$m/whorl.ko" "$logs/build-$rel.log" \
			2>>"$logs/matrix-$suite.log" || true
	fi
	touch "$m.done"
}

# matrix_kernel SUITE: rows for its prepare and build, then its guest with the core set
matrix_kernel() {
	local suite=$1 m=$work/matrix-$1 rel dir
	awaited "$m.done" "$m/rel" "$logs/matrix-$suite.log" 20 prepare "$suite" || return 0
	rel=$(cat "$m/rel")
	dir=$(cat "$m/dir")
	awaited "$m.done" "$m/whorl.ko" "$logs/matrix-$suite.log" 20 build "$rel" || return 0
	row build "$rel" 1 0 0
	phase "matrix kernel $suite ($rel): boot"
	WHORL_GUEST_APPEND="${WHORL_GUEST_APPEND:+$WHORL_GUEST_APPEND }whorl.only=$matrix_core" \
		whorl_guest "matrix-$suite" "$dir/boot/vmlinuz-$rel" e2e "" -- \
			-k "$m/whorl.ko" -r "$rel" -B "$dir" "${suites[@]}" "${payload[@]}" || true
	row_from_counts "$rel" "$logs/matrix-$suite/counts"
	row_from_findings "$rel" "$logs/matrix-$suite/data.log"
	say_provenance "$rel" "$logs/matrix-$suite/data.log"
	phase "matrix kernel $suite: done"
}

# Test kernels build in the background, one after another (each uses every core), while the
# distro kernels' guests run; each test kernel's guest starts once its kernel is there.
# kernel_build SERIES: build (or find in the cache) and record the outcome for test_kernel.
kernel_build() {
	local dir
	if dir=$(whorl_test_kernel "$1" 2>>"$logs/kernel-$1.log"); then
		echo "$dir" >"$work/kernel-$1.dir"
	fi
	touch "$work/kernel-$1.done"
}

# test_kernel SERIES: the KUnit + debug kernel built from linux-source-SERIES, then its guest
test_kernel() {
	local series=$1 kdir rel dest kos
	awaited "$work/kernel-$series.done" "$work/kernel-$series.dir" "$logs/kernel-$series.log" 40 \
		kernel "test-$series" || return 0
	kdir=$(cat "$work/kernel-$series.dir")
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
	if [ -f "$dest/whorl_kunit.ko" ]; then
		kos+=(-k "$dest/whorl_kunit.ko")
	else
		row kunit "$rel" 0 1 0
	fi
	phase "test kernel $series: boot"
	long_for "test-$series"
	# KASAN and lockdep make every script several times slower under TCG.
	WHORL_GUEST_TIMEOUT=${WHORL_GUEST_TIMEOUT:-5400} WHORL_GUEST_APPEND=whorl.test_timeout=1500 \
		whorl_guest "test-$series" "$kdir/bzImage" kunit+e2e "$kdir/src" -- \
			"${kos[@]}" "${suites[@]}" "${payload[@]}" "${with_long[@]}" || true
	row_from_counts "$rel" "$logs/test-$series/counts"
	row_from_findings "$rel" "$logs/test-$series/data.log"
	say_provenance "$rel" "$logs/test-$series/data.log"
	phase "test kernel $series: done"
}

# Two guests at a time: TCG runs a guest's vCPUs on host threads, and a test script mostly keeps
# one of them busy.
guests=()
wait_slot() {
	local pid alive
	while :; do
		alive=()
		for pid in "${guests[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
		guests=("${alive[@]}")
		[ "${#guests[@]}" -lt 2 ] && return
		sleep 2
	done
}
series_list=()
# newest first: its debug guest is the longest, and it runs the long suites
for series in $(for s in ${WHORL_SERIES:-$(bash tests/qemu/kernel.sh list)}; do echo "$s"; done |
		sort -rV); do
	[ "$series" = none ] || series_list+=("$series")
done
releases=()
for rel in ${WHORL_RELEASES:-$(whorl_distro_releases)}; do
	[ "$rel" = none ] || releases+=("$rel")
done
long_series=${series_list[0]:-}
long_distro=${releases[0]:-}
# (a family with no guest in this run: the long suites run in the other only)
[ -n "$long_series" ] || long_series=none
[ -n "$long_distro" ] || long_distro=none
rm -f "$work"/kernel-*.done "$work"/kernel-*.dir "$work"/matrix-*.done
matrix_list=()
for suite in ${WHORL_MATRIX:-$(bash tests/matrix/kernels.sh list)}; do
	[ "$suite" = none ] || matrix_list+=("$suite")
done
[ "${#matrix_list[@]}" -eq 0 ] || {
	phase "matrix kernels: ${matrix_list[*]} (in the background)"
	for suite in "${matrix_list[@]}"; do matrix_make "$suite"; done
} &
[ "${#series_list[@]}" -eq 0 ] || {
	phase "test kernels: ${series_list[*]} (in the background)"
	for series in "${series_list[@]}"; do kernel_build "$series"; done
} &
n=10
# start_guest NAME COMMAND...: once a slot is free, COMMAND in the background, its rows its own
start_guest() {
	wait_slot
	(job=$n-$1; shift; "$@") &
	guests+=($!)
	n=$((n + 1))
}
# The guests, longest first (the debug kernels' take twice a distro kernel's, a matrix kernel's
# core set a third of one), each started when a slot is free and its inputs exist (READY, a file
# its build leaves; none for the installed kernels): while a cold run builds the test kernels,
# the other guests use the slots. queue NAME READY COMMAND...
q_name=() q_ready=() q_cmd=()
queue() {
	q_name+=("$1")
	q_ready+=("$2")
	shift 2
	q_cmd+=("$*")
}
for series in "${series_list[@]}"; do
	queue "test-$series" "$work/kernel-$series.done" test_kernel "$series"
done
for rel in "${releases[@]}"; do
	queue "distro-$rel" "" distro_kernel "$rel"
done
# The benchmarks' smoke run (two short guests, one after the other) before the matrix kernels:
# at the end it would hold one slot alone while the other sat idle.
if [ "${WHORL_BENCH:-1}" != 0 ] && [ -f tests/bench.sh ]; then
	queue bench-smoke "" host_suite bench bench-smoke bash tests/bench.sh --smoke
fi
for suite in "${matrix_list[@]}"; do
	queue "matrix-$suite" "$work/matrix-$suite.done" matrix_kernel "$suite"
done
for rel in ${WHORL_RT_RELEASES:-$(whorl_rt_releases)}; do
	[ "$rel" = none ] || queue "rt-$rel" "" rt_kernel "$rel"
done
while [ "${#q_name[@]}" -gt 0 ]; do
	wait_slot
	pick=-1
	for i in "${!q_name[@]}"; do
		if [ -z "${q_ready[$i]}" ] || [ -e "${q_ready[$i]}" ]; then
			pick=$i
			break
		fi
	done
	if [ "$pick" -lt 0 ]; then
		sleep 5
		continue
	fi
	# (the commands' words are plain: function names, releases, suites)
	# shellcheck disable=SC2086
	start_guest "${q_name[$pick]}" ${q_cmd[$pick]}
	unset "q_name[$pick]" "q_ready[$pick]" "q_cmd[$pick]"
	q_name=("${q_name[@]}")
	q_ready=("${q_ready[@]}")
	q_cmd=("${q_cmd[@]}")
done
wait

passed=0
failed=0
echo
printf '%-16s %-28s %7s %7s %8s\n' suite kernel passed failed skipped
for rows in $(ls "$rows_dir" | sort -n); do
	while read -r suite kernel p f s; do
		printf '%-16s %-28s %7s %7s %8s\n' "$suite" "$kernel" "$p" "$f" "$s"
		passed=$((passed + p))
		failed=$((failed + f))
	done <"$rows_dir/$rows"
done
# What failed, again, next to the totals: the run's log tail is often all a CI page keeps.
if [ "$failed" -ne 0 ]; then
	echo "failed cases (first 30, from this run's logs):"
	find "$logs" -name '*.log' -newer "$work/started.stamp" -print0 |
		xargs -0 -r grep -HE '^[[:space:]]*([a-z0-9-]+: )?not ok' 2>/dev/null |
		sed "s|^$logs/||" | cut -c1-300 | head -n 30 || true
fi
echo "(logs: $logs; $(($(date +%s) - started)) s)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
