#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh - `make bench`: what whorl costs, measured in a QEMU guest, written to docs/BENCHMARKS.md.
#
#   bash tests/bench.sh            the full benchmark (13-30 min under TCG, with the host's load);
#                                  writes docs/BENCHMARKS.md and prints its targets table
#   bash tests/bench.sh --smoke    a tiny run (few iterations, 8 MiB, 150,000 intel hashes) that only
#                                  checks every figure was produced and is positive: TAP on stdout
#                                  (`ok <figure>` / `not ok <figure> - <reason>`), non-zero exit on a
#                                  failure, nothing written to docs/
#
# One guest boots the newest installed Debian kernel (discovered, as tests/lib.sh does) and runs
# tests/bench/t-*.sh in order, in real runc containers of the e2e image (tests/e2e/lib.sh):
#   t-10-whorl  cached exec and mmap, first-sight exec, hashing rate vs userspace SHA-256, finding
#               latency, bytes per cache entry: module loaded vs unloaded in alternating rounds;
#               cached exec and mmap again in finer blocks, the module's kprobes armed vs disarmed,
#               and with empty probes in its place; the hooks' calls per exec; one handler traced
#   t-20-intel  a large intel set: load time, the module's memory figure, slab and vmalloc deltas
#   t-30-fairness  another container's exec-to-finding latency while one container floods (new
#               files to hash, an exec loop, FUSE reads never answered), and what status charges
#   t-40-execev  cached exec with exec events on vs off (a relay with the shipped rules consuming
#               them), a Sigma rule's exec-to-finding latency, and an exec stream recorded for the host
#   t-90-ima    the same workloads under the kernel's IMA, before and after an exec/mmap policy
# Under TCG, timings are slow and noisy: every overhead is a ratio of runs inside this one boot
# (medians of alternating rounds), never a comparison with another boot or with the host. The host
# runs the userspace hashes and the exec loop too, only to state how much slower the guest is.
# Natively on the host, after the guests (no module needed): the relay's rules (rules/ and SigmaHQ's
# 122 Linux process_creation rules, from $WHORL_SIGMA_DIR or ../shared beside the repository) replayed
# by `whorl rules bench` over the exec stream the wall-clock guest's relay recorded (--exec-log, kept
# in <logs>/exec-stream.jsonl), and the relay's process tree holding 100,000 live processes.
# The guest programs (tests/bench/src) are built here, static. Figures leave the guest as
# `# bench KEY VALUE` lines on its data channel; tests/bench/report.py turns them into the report.
#
# Environment: WHORL_LOGDIR (logs; default build/logs, this run in <logdir>/bench[-smoke]).
# For a focused look while changing something (no report, no docs/ written; the figures are the
# `# bench` lines of the guests' data.log): WHORL_BENCH_ONLY=t-40-execev (the guests run only those
# scripts, as whorl.only= names them), WHORL_BENCH_CLOCKS=icount (only that guest; default both).
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh
top=$(pwd)

smoke=0
case "${1:-}" in
--smoke) smoke=1 ;;
"") ;;
-h | --help) sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "usage: bash tests/bench.sh [--smoke]" >&2; exit 2 ;;
esac
[ "$#" -le 1 ] || { echo "usage: bash tests/bench.sh [--smoke]" >&2; exit 2; }

name=bench
[ "$smoke" = 1 ] && name=bench-smoke
work=$top/build/$name
logs=$(whorl_logdir)/$name
mkdir -p "$work" "$logs"
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
note() { echo "bench: $* ($(($(date +%s) - started)) s)" >&2; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Smoke failures before the guest are TAP failures too: the caller sees one line and a status.
fail() {
	[ "$smoke" = 1 ] && echo "not ok bench - $*"
	echo "bench: $*" >&2
	exit 1
}

rel=$(whorl_distro_releases | tail -n 1)
[ -n "$rel" ] || fail "no Debian kernel with headers and a /boot/vmlinuz (see tests/qemu/README.md)"
for t in qemu-system-x86_64 busybox gcc cpio python3 /usr/bin/openssl /usr/bin/sha256sum; do
	command -v "$t" >/dev/null || fail "$t is missing (run tests/deps.sh)"
done

# --- the module, against that kernel's headers, and the tool, both in a private tree copy ----------
note "building whorl.ko for $rel"
whorl_build_module "$work/tree" "$logs/build.log" KERNELRELEASE="$rel" || fail "module build failed: $logs/build.log"
make -C "$work/tree" tool >"$logs/tool.log" 2>&1 || fail "tool build failed: $logs/tool.log"

# --- the guest programs, static ---------------------------------------------------------------------
bin=$stage/bin
mkdir -p "$bin"
for src in tests/bench/src/*.c; do
	prog=$(basename "$src" .c)
	gcc -static -O2 -Wall -Wextra -Werror -o "$bin/$prog" "$src" || fail "gcc $src failed"
done

# --- natively on the host: the relay's per-exec path (exec-bench, which also builds the tool's
# objects: the tree copy holds the tool but not them) and the process tree's memory
# (tests/bench/host), linked with those objects (all but the tool's main and the relay's loop, in
# an archive: only what the tree needs is taken)
make -C "$work/tree/userspace" ../build/exec-bench >>"$logs/tool.log" 2>&1 || fail "exec-bench build failed: $logs/tool.log"
ar rcs "$stage/libwhorl.a" $(ls "$work/tree/userspace/"*.o | grep -v -e '/main\.o$' -e '/relay\.o$')
gcc -O2 -Wall -Wextra -Werror -I"$work/tree/userspace" -I"$work/tree/include/uapi" -D_GNU_SOURCE \
	$(pkg-config --cflags json-c) -o "$stage/proctree-mem" tests/bench/host/proctree-mem.c \
	"$stage/libwhorl.a" $(pkg-config --libs libmnl json-c yaml-0.1 libpcre2-8 libbpf) ||
	fail "gcc tests/bench/host/proctree-mem.c failed"

# --- the e2e image and runtimes: the shared payload if it is there, else our own ---------------------
e2e=$top/build/check/payload
if [ ! -f "$e2e/e2e-data/config.json.in" ]; then
	e2e=$work/e2e-payload
	if [ ! -f "$e2e/e2e-data/config.json.in" ]; then
		note "building the e2e payload"
		bash tests/e2e/payload.sh "$e2e" >"$logs/payload.log" 2>&1 || fail "payload: $logs/payload.log"
	fi
fi

# --- the benchmark payload: tools, parameters, intel, and the programs added to the image's top layer
pay=$stage/payload
layer3=$pay/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/3/fs/usr/local/bin
mkdir -p "$pay/bench/bin" "$pay/bench/data" "$layer3"
for p in bench-time bench-lines bench-intel; do install -m 0755 "$bin/$p" "$pay/bench/bin/$p"; done
# the fairness floods (t-30): the adversary suite's flooder and its FUSE server that never answers
for p in adv fusestall; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$pay/bench/bin/$p" "tests/adversary/src/$p.c" ||
		fail "gcc tests/adversary/src/$p.c failed"
done
for p in bench-nop bench-loop bench-first; do install -m 0755 "$bin/$p" "$layer3/$p"; done
# the rules whorl ships, for the relay's --rules (t-40): rules/*.yml, as packaged
mkdir -p "$pay/bench/rules"
cp rules/*.yml "$pay/bench/rules/"
# a name-rule program for the finding-latency runs: the nop under another name
install -m 0755 "$bin/bench-nop" "$layer3/bench-finder"
# The intel the module runs with: a thousand hashes and one name rule, so that every file it has
# not seen is hashed and every exec and mapping also consults the name rules, as in production.
{
	"$bin/bench-intel" 1000
	echo "name:bench-finder recon bench-finder"
} >"$pay/bench/data/bench.intel"

mib=$((1 << 20))
if [ "$smoke" = 1 ]; then
	cat >"$pay/bench/params" <<-EOF
		CLOCK=wall
		SMOKE=1 ROUNDS=1 WARMUP=1 N_EXEC_STATIC=5 N_EXEC_DYNAMIC=3 N_MMAP=50
		FS_SIZE=$((8 * mib)) FS_ROUNDS=1 LAT_N=5 LAT_PAUSE_US=50000
		FAIR_N=5 FAIR_FILES=4 FAIR_SIZE=$mib
		INTEL_N=150000 INTEL_LOADS=1 IMA_ROUNDS=1
		AB_BLOCKS=4 AB_N_STATIC=3 AB_N_DYNAMIC=2 AB_N_MMAP=50
		EV_ROUNDS=2 REC_N=3
	EOF
	icount_params=$(cat "$pay/bench/params")
	limit=1200
else
	cat >"$pay/bench/params" <<-EOF
		CLOCK=wall
		SMOKE=0 ROUNDS=4 WARMUP=5 N_EXEC_STATIC=200 N_EXEC_DYNAMIC=40 N_MMAP=30000
		FS_SIZE=$((64 * mib)) FS_ROUNDS=8 LAT_N=150 LAT_PAUSE_US=50000
		FAIR_N=100 FAIR_FILES=32 FAIR_SIZE=$((8 * mib))
		INTEL_N=1000000 INTEL_LOADS=2 IMA_ROUNDS=2
		AB_BLOCKS=16 AB_N_STATIC=40 AB_N_DYNAMIC=15 AB_N_MMAP=3000
		EV_ROUNDS=4 REC_N=30
	EOF
	# The instruction clock repeats itself, and runs several times slower than the other guest:
	# fewer, shorter rounds there measure as much.
	icount_params="SMOKE=0 ROUNDS=2 WARMUP=3 N_EXEC_STATIC=40 N_EXEC_DYNAMIC=10 N_MMAP=3000
FS_SIZE=$((64 * mib)) FS_ROUNDS=2 LAT_N=0 LAT_PAUSE_US=0
INTEL_N=0 INTEL_LOADS=0 IMA_ROUNDS=1
AB_BLOCKS=4 AB_N_STATIC=10 AB_N_DYNAMIC=4 AB_N_MMAP=1000
EV_ROUNDS=10 REC_N=0"
	limit=3000
fi
# shellcheck disable=SC1090
. "$pay/bench/params"

# --- the guest's test directory: our scripts and the e2e helpers they source -------------------------
guest=$stage/guest
mkdir -p "$guest"
cp tests/e2e/lib.sh tests/e2e/json.awk tests/bench/bench-lib.sh "$guest/"
cp tests/bench/t-*.sh "$guest/"
chmod 0755 "$guest"/t-*.sh

# --- the host, for scale only: how fast this machine runs the same userspace work natively --------
note "host calibration"
calib=$work/calibration
: >"$calib"
head -c "$FS_SIZE" /dev/urandom >"$stage/hashfile"
for i in 1 2 3; do
	echo "host.openssl.ns $("$bin/bench-time" -q /usr/bin/openssl dgst -sha256 "$stage/hashfile")" >>"$calib"
	echo "host.sha256sum.ns $("$bin/bench-time" -q /usr/bin/sha256sum "$stage/hashfile")" >>"$calib"
	"$bin/bench-loop" -w 5 exec "$N_EXEC_STATIC" "$bin/bench-nop" |
		awk '$1 == "stats" { print "host.exec.static.ns " $4; print "host.exec.static.p50 " $8 }' >>"$calib"
done
rm -f "$stage/hashfile"
# The tool parses a whole feed before it looks for the module: on this host, which has no whorl
# module, `whorl intel load` of the same feed times the parsing natively, then fails harmlessly.
# (Never where a whorl module is loaded: there it would replace the live set.)
if [ ! -e /sys/module/whorl ]; then
	"$bin/bench-intel" "$INTEL_N" >"$stage/feed.intel"
	for i in 1 2 3; do
		"$bin/bench-time" -q -r -i "$work/tree/userspace/whorl" intel load "$stage/feed.intel" 2>/dev/null |
			awk '{ print "host.intel.parse.ns " $1; print "host.intel.parse.user_ns " $2 }' >>"$calib"
	done
	rm -f "$stage/feed.intel"
fi

# --- two guests: the same payload, on two clocks -----------------------------------------------------
# The wall-clock guest runs everything. The instruction-clock guest (QEMU -icount: its clocks count
# instructions, 1 ns each) runs the cached workloads again: under TCG on a shared host, wall time
# wanders by more than the 2 % and 5 % targets between rounds, while an instruction count repeats.
note "packing the guests"
icpay=$stage/payload-icount
mkdir -p "$icpay/bench"
{
	echo CLOCK=icount
	grep -v '^CLOCK=' <<<"$icount_params"
} >"$icpay/bench/params"
initrd=$work/initramfs.cpio.gz
initrd_ic=$work/initramfs-icount.cpio.gz
for clock in wall icount; do
	out=$initrd
	extra=()
	[ "$clock" = icount ] && out=$initrd_ic extra=(-p "$icpay")
	bash tests/qemu/initramfs.sh -o "$out" -k "$work/tree/whorl.ko" -r "$rel" -e "$guest" \
		-p "$e2e" -p "$pay" "${extra[@]}" -b /usr/bin/openssl -b /usr/bin/sha256sum \
		-t "$work/tree/userspace/whorl" || fail "initramfs.sh failed"
done
# The full run gives each vCPU its own host thread (multi-threaded TCG), as a real 2-CPU machine
# runs the worker's hash beside the exec that caused it; with one host thread for both, the hash
# would take its time from the exec itself. (tests/qemu/run.sh says why the tests use one thread:
# a kprobe registered while other vCPUs run the probed code. Here the module is loaded, and its
# probes armed, between timed blocks, with the guest idle.) The smoke keeps the tests' default.
accel=
[ "$smoke" = 1 ] || accel=${WHORL_QEMU_ACCEL:-tcg}
only=${WHORL_BENCH_ONLY:-}
clocks=${WHORL_BENCH_CLOCKS:-wall icount}
append="whorl.test_timeout=$limit${only:+ whorl.only=$only}"
guest_rc=0 icount_rc=0
set +e
case " $clocks " in
*" wall "*)
	note "booting $rel (time limit $limit s${accel:+, -accel $accel})"
	WHORL_QEMU_ACCEL=$accel WHORL_LOGDIR=$(whorl_logdir) bash tests/qemu/run.sh -n "$name" \
		-k "/boot/vmlinuz-$rel" -i "$initrd" -T "$limit" -A "$append"
	guest_rc=$?
	note "wall-clock guest done (exit $guest_rc)"
	;;
esac
case " $clocks " in
*" icount "*)
	note "booting $rel on the instruction clock"
	WHORL_QEMU_ICOUNT=1 WHORL_LOGDIR=$(whorl_logdir) bash tests/qemu/run.sh -n "$name-icount" \
		-k "/boot/vmlinuz-$rel" -i "$initrd_ic" -T "$limit" -A "$append"
	icount_rc=$?
	note "instruction-clock guest done (exit $icount_rc)"
	;;
esac
set -e
seconds=$(($(date +%s) - started))
if [ -n "$only" ] || [ "$clocks" != "wall icount" ]; then
	note "a focused run ($clocks${only:+, only $only}): no report; the figures are in $logs*/data.log"
	[ "$guest_rc" = 0 ] && [ "$icount_rc" = 0 ]
	exit $?
fi

# --- natively on the host, the guests gone ---------------------------------------------------------
# The relay's rules over the exec stream the wall-clock guest's relay recorded (t-40), on one core:
# `whorl rules bench` (matching alone) and exec-bench (the relay's whole per-exec path: parse, tree,
# Sigma event, rules, findings; userspace/tests/exec_bench.c). Figures as the guests give them.
note "natively: rules over the recorded stream, the process tree"
host=$work/host.log
: >"$host"
stream=$logs/exec-stream.jsonl
python3 - "$logs/data.log" "$stream" >>"$host" <<'PY'
import json, sys
kept = bad = 0
with open(sys.argv[1], errors="replace") as f, open(sys.argv[2], "w") as out:
    for line in f:
        if not line.startswith("# bench-execlog "):
            continue
        try:
            ev = json.loads(line[len("# bench-execlog "):])
        except ValueError:
            bad += 1
            continue
        if isinstance(ev, dict):
            out.write(json.dumps(ev) + "\n")
            kept += 1
print(f"# bench stream.kept {kept}")
print(f"# bench stream.images {len(set(json.loads(l).get('Image') for l in open(sys.argv[2])))}")
print(f"# bench-info stream.unparsed {bad}")
PY
mkdir -p "$stage/rules"
cp rules/*.yml "$stage/rules/"
sigma=${WHORL_SIGMA_DIR:-$top/../shared/sigma/linux-process-creation}
rulesets=("$stage/rules")
if [ -d "$sigma" ]; then
	rulesets+=("$sigma")
	echo "# bench-info rules.sigmahq $(find "$sigma" -maxdepth 1 -name '*.yml' | wc -l) files in $sigma" >>"$host"
else
	echo "# bench-info rules.sigmahq absent: no $sigma (set WHORL_SIGMA_DIR)" >>"$host"
fi
echo "# bench-info rules.shipped $(ls "$stage/rules" | wc -l) files" >>"$host"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
runs=3 rounds=() secs=3
[ "$smoke" = 1 ] && runs=1 rounds=(--rounds 200) secs=1
if [ -s "$stream" ]; then
	for i in $(seq 1 "$runs"); do
		"${pin[@]}" "$work/tree/userspace/whorl" rules bench "${rulesets[@]}" --events "$stream" \
			"${rounds[@]}" >"$stage/rb.out" 2>"$stage/rb.err" || { cat "$stage/rb.err" >&2; break; }
		awk '/^rules / { gsub(/[(),]/, ""); print "# bench rules.loaded " $2; print "# bench rules.refused " $4 }
			/^throughput / { printf "# bench rules.eps %d\n", $2 }' "$stage/rb.out" >>"$host"
		sed 's/^/# bench-info rules.bench /' "$stage/rb.out" >>"$host"
		"${pin[@]}" "$work/tree/build/exec-bench" --events "$stream" --seconds "$secs" "${rulesets[@]}" \
			>"$stage/eb.out" 2>"$stage/eb.err" || { cat "$stage/eb.err" >&2; break; }
		awk '/^throughput / { printf "# bench relay.eps %d\n", $2 }' "$stage/eb.out" >>"$host"
		sed 's/^/# bench-info relay.bench /' "$stage/eb.out" >>"$host"
	done
else
	echo "bench: no exec stream from the guest ($stream is empty): no rules throughput" >&2
fi
# The process tree: 100,000 live processes with the command lines of a container workload
# (userspace/tests/sigma/replay-benign.jsonl), then with 1 KiB ones, where the byte bound evicts.
"$stage/proctree-mem" 100000 userspace/tests/sigma/replay-benign.jsonl >>"$host" ||
	echo "bench: proctree-mem failed" >&2
"$stage/proctree-mem" -a 1024 100000 userspace/tests/sigma/replay-benign.jsonl |
	sed 's/^# bench tree\./# bench tree.long./; s/^# bench-info tree\./# bench-info tree.long./' >>"$host" ||
	echo "bench: proctree-mem -a failed" >&2
note "natively: done"

report=(python3 tests/bench/report.py --data "$logs/data.log" --console "$logs/console.log"
	--data-icount "$logs-icount/data.log" --icount-rc "$icount_rc"
	--calibration "$calib" --host "$host" --guest-rc "$guest_rc")
if [ "$smoke" = 1 ]; then
	"${report[@]}" --smoke
	exit $?
fi

[ "$guest_rc" = 0 ] || echo "bench: the wall-clock guest failed (logs in $logs); the report says what is missing" >&2
[ "$icount_rc" = 0 ] || echo "bench: the instruction-clock guest failed (logs in $logs-icount)" >&2
rc=0
"${report[@]}" --out docs/BENCHMARKS.md \
	--meta "command=bash tests/bench.sh (make bench)" \
	--meta "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--meta "host=$(uname -r), $(nproc) CPUs, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
	--meta "qemu=$(qemu-system-x86_64 --version | head -n 1)" \
	--meta "guest=$rel, TCG (-accel ${accel:-tcg} -cpu max -smp 2 -m 2G), tests/qemu/run.sh" \
	--meta "guest_icount=$rel, TCG (-accel tcg,thread=single -icount shift=0,sleep=on,align=off -cpu max -smp 2 -m 2G)" \
	--meta "load=$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min)" \
	--meta "wall=$seconds" \
	--meta "hash_step=$(grep -m1 '^#define WHORL_HASH_STEP' "$work/tree/kmod/limits.h" || true)" \
	--meta "params=$(tr '\n' ' ' <"$pay/bench/params" | sed 's/  */ /g')" \
	--meta "params_icount=$(tr '\n' ' ' <"$icpay/bench/params" | sed 's/  */ /g')" || rc=$?
[ "$guest_rc" = 0 ] && [ "$icount_rc" = 0 ] && exit "$rc"
exit 1
