# SPDX-License-Identifier: GPL-2.0
# bench-lib.sh - what the guest-side benchmarks share: their parameters, figure lines for the host,
# module on/off switching with a warm cache, status counters, and the workloads run in a container.
# Sourced after /e2e/lib.sh (containers, the module, TAP) by /e2e/t-*.sh (busybox sh).
#
# Figures leave the guest as diagnostic lines on the data channel, parsed by tests/bench.sh:
#     # bench KEY VALUE          one sample (a positive integer); a key may have many
#     # bench-info KEY TEXT      context (driver names, sizes), not a figure

# The parameters tests/bench.sh chose (full run or --smoke): ROUNDS, N_EXEC_STATIC, ...
. /bench/params

BIN=/bench/bin			# guest-side tools: bench-time, bench-lines, bench-intel
CB=/usr/local/bin		# in the image (layer 3): bench-nop, bench-loop, bench-first, ...
LIB=/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1	# a real library of the image (layer 2)
BENCH_INTEL=/bench/data/bench.intel
BT=$E2E_TMP/bench
mkdir -p "$BT"

fig() {
	echo "# bench $1 $2"
	progress "$1 $2"
}
# progress TEXT: to the kernel log, so that the console shows a long run as it goes (the guest
# passes a script's output on only when the script ends).
progress() {
	echo "bench: $*" >/dev/kmsg 2>/dev/null
}
info() {
	local k=$1
	shift
	echo "# bench-info $k $*"
}

# positive VALUE: a positive integer?
positive() {
	case $1 in '' | *[!0-9]* | 0) return 1 ;; esac
	return 0
}

# sample KEY VALUE WHAT: a figure line if VALUE is a positive integer, else a failed case.
sample() {
	if positive "$2"; then
		fig "$1" "$2"
	else
		not_ok "$1" "$3 gave '$2'"
		return 1
	fi
}

# --- the module's status ----------------------------------------------------------------------------

# status FILE: `whorl status --json` into FILE.
status() {
	"$WHORL" status --json >"$1" 2>"$BT/status.err"
}

# sget FILE KEY: one field of a status document (counters.bytesHashed, cache.entryBytes, ...).
sget() {
	awk -f "$E2E_DIR/json.awk" "$1" | awk -F '\t' -v k="$2" '$2 == k { print $3; f = 1 } END { exit !f }'
}

# counters: the hashing and cache counters on one line, for settle() to compare.
counters() {
	local k
	status "$BT/st.json" || return 1
	for k in filesHashed bytesHashed workQueued findingsEmitted cacheMisses; do
		printf '%s ' "$(sget "$BT/st.json" "counters.$k")"
	done
}

# steady TRIES COMMAND...: wait until COMMAND's output is the same over three polls 0.3 s apart,
# at most TRIES polls; 1 if it kept changing (its last output in STEADY_LAST) or COMMAND failed.
steady() {
	local tries=$1 last="" now same=0 i
	shift
	for i in $(seq 1 "$tries"); do
		now=$("$@") || return 1
		if [ "$now" = "$last" ]; then
			same=$((same + 1))
			[ "$same" -ge 3 ] && return 0
		else
			same=0
		fi
		last=$now
		sleep 0.3
	done
	STEADY_LAST=$now
	return 1
}

# settle: wait until the module's worker is idle: no counter moved over three polls (0.3 s apart;
# bytesHashed moves every 256 KiB while a file is hashed). Up to SETTLE_MAX seconds.
settle() {
	steady $((${SETTLE_MAX:-120} * 10 / 3)) counters && return 0
	diag "settle: the worker kept moving: ${STEADY_LAST:-}"
	return 1
}

# --- finding latency ---------------------------------------------------------------------------------

# lat_start [RELAY ARGS...]: a relay whose JSON lines bench-lines timestamps as they arrive:
# "<read ns> <eventTime ns>" per finding in $BT/lat.txt, the line itself in $BT/raw.jsonl. A failed
# case, and 1, if the relay never says ready (a hang detector: 60 s).
lat_start() {
	local i
	rm -f "$BT/relay.fifo" "$BT/lat.txt" "$BT/raw.jsonl"
	mkfifo "$BT/relay.fifo"
	"$BIN/bench-lines" "$BT/raw.jsonl" <"$BT/relay.fifo" >"$BT/lat.txt" &
	LINES_PID=$!
	: >"$E2E_TMP/relay.err"
	"$WHORL" relay --format json "$@" >"$BT/relay.fifo" 2>"$E2E_TMP/relay.err" &
	RELAY_PID=$!
	for i in $(seq 1 600); do
		grep -q ready "$E2E_TMP/relay.err" && return 0
		sleep 0.1
	done
	not_ok "relay starts" "$(cat "$E2E_TMP/relay.err")"
	return 1
}

# lat_stop: the relay stopped and every line it wrote timestamped.
lat_stop() {
	relay_stop
	wait "$LINES_PID" 2>/dev/null
}

# lat_collect PATTERN WANT SECONDS NAME KEY [SKIP]: waits up to SECONDS for WANT of the relay's
# lines to match PATTERN, stops the relay (lat_stop), a case NAME that they all came; then one KEY
# figure per matching line, its latency, the first SKIP left out.
lat_collect() {
	local pat=$1 want=$2 secs=$3 name=$4 key=$5 skip=${6:-0} got i
	for i in $(seq 1 $((secs * 4))); do
		got=$(grep -c "$pat" "$BT/raw.jsonl" 2>/dev/null)
		[ "${got:-0}" -ge "$want" ] && break
		sleep 0.25
	done
	lat_stop
	got=$(grep -c "$pat" "$BT/raw.jsonl" 2>/dev/null)
	if [ "${got:-0}" -ge "$want" ]; then
		ok "$name ($got findings)"
	else
		not_ok "$name" "$got of $want findings at the relay: $(tail -n 2 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	fi
	# lat.txt and raw.jsonl are line for line
	paste -d ' ' "$BT/lat.txt" "$BT/raw.jsonl" | grep "$pat" | tail -n +$((skip + 1)) |
		awk -v k="$key" '$2 > 0 { printf "# bench %s %d\n", k, $1 - $2 }'
}

# --- module on / off --------------------------------------------------------------------------------

MODE=""

# mode_set on|off: whorl loaded (with the bench intel: a non-empty set, so that every file it has
# not seen is hashed, as in production) or unloaded. The cache starts empty at each load.
mode_set() {
	[ "$MODE" = "$1" ] && return 0
	case $1 in
	on)
		whorl_load || { not_ok "insmod" "insmod $WHORL_KO failed"; return 1; }
		"$WHORL" intel load "$BENCH_INTEL" >/dev/null 2>"$BT/intel.err" ||
			{ not_ok "intel load" "$(cat "$BT/intel.err")"; return 1; }
		;;
	off) whorl_unload ;;
	esac
	MODE=$1
	WARM=""
}

# warm ID: run each cached workload once and let the module hash what it had not seen, so the
# timed runs that follow see a warm cache (after a load, or in a new container).
warm() {
	[ -n "$WARM" ] && return 0
	# (and what a first sight runs besides its new program: rm, bench-first itself)
	ctr "$1" /bin/sh -c "$CB/bench-loop exec 3 $CB/bench-nop && $CB/bench-loop exec 3 /usr/bin/true &&
		$CB/bench-loop mmap 3 $LIB; rm -f /tmp/first-none; $CB/bench-first 2>/dev/null; true" >/dev/null
	[ "$MODE" = on ] && settle
	WARM=1
}

# loop_figs KEY < OUTPUT: bench-loop's output as figures. "block S MEAN" gives a KEY.S sample;
# "stats all N MEAN MIN P10 P25 P50 P90" gives KEY (the mean) and KEY.min, KEY.p10, KEY.p50;
# "stats S ..." the same under KEY.S.
loop_figs() {
	local key=$1 what st n mean min p10 p25 p50 p90 k
	while read -r what st n mean min p10 p25 p50 p90; do
		case $what in
		block) sample "$key.$st" "$n" "bench-loop" ;;
		stats)
			k=$key
			[ "$st" = all ] || k=$key.$st
			sample "$k" "$mean" "bench-loop" || continue
			fig "$k.min" "$min"
			fig "$k.p10" "$p10"
			fig "$k.p50" "$p50"
			;;
		esac
	done
}

# --- workloads in the container ID; TAG names the condition (on, off, ima-on, ...) ----------------

# cached ID TAG [exec]: the cached exec (static and dynamic program) and mmap figures, one sample
# each; with "exec", the two exec workloads only.
cached() {
	local id=$1 tag=$2 want=3 mm="&& $CB/bench-loop -w $WARMUP mmap $N_MMAP $LIB" h0 h1
	[ "${3:-}" = exec ] && want=2 mm=""
	warm "$id"
	[ "$MODE" = on ] && status "$BT/c0.json"
	# one exec into the container for the three (runc exec is slow under emulation)
	ctr "$id" /bin/sh -c "$CB/bench-loop -w $WARMUP exec $N_EXEC_STATIC $CB/bench-nop &&
		$CB/bench-loop -w $WARMUP exec $N_EXEC_DYNAMIC /usr/bin/true $mm" >"$BT/cached.out" 2>"$BT/cached.err"
	if [ "$(grep -c '^stats all ' "$BT/cached.out")" -ne "$want" ]; then
		not_ok "cached $tag" "bench-loop: $(tail -n 3 "$BT/cached.err" | tr '\n' ' ')"
		return 1
	fi
	# (redirections, not pipes: a failure in loop_figs must count in this shell)
	sed -n 1p "$BT/cached.out" >"$BT/cached.1"
	sed -n 2p "$BT/cached.out" >"$BT/cached.2"
	sed -n 3p "$BT/cached.out" >"$BT/cached.3"
	loop_figs "exec.static.$tag" <"$BT/cached.1"
	loop_figs "exec.dynamic.$tag" <"$BT/cached.2"
	[ "$want" = 3 ] && loop_figs "mmap.$tag" <"$BT/cached.3"
	if [ "$MODE" = on ]; then
		# A warm cache: the timed runs hashed nothing.
		status "$BT/c1.json"
		h0=$(sget "$BT/c0.json" counters.filesHashed)
		h1=$(sget "$BT/c1.json" counters.filesHashed)
		[ "$h0" = "$h1" ] || diag "cached $tag: $((h1 - h0)) files hashed during the timed runs"
		fig "cache.hits.$tag" "$(($(sget "$BT/c1.json" counters.cacheHits) - $(sget "$BT/c0.json" counters.cacheHits)))"
		fig "memo.hits.$tag" "$(($(sget "$BT/c1.json" counters.mapMemoHits) - $(sget "$BT/c0.json" counters.mapMemoHits)))"
		diag "cached $tag: $(($(sget "$BT/c1.json" counters.cacheMisses) - $(sget "$BT/c0.json" counters.cacheMisses))) cache misses during the timed runs"
	fi
}

KPROBES=/sys/kernel/debug/kprobes/enabled

# ab ID KEY exec|mmap N TARGET: bench-loop in the container with the kernel's kprobes armed and
# disarmed in AB_BLOCKS alternating blocks: "ab.KEY.on"/"ab.KEY.off" block means, and the pooled
# percentiles of each state.
ab() {
	local id=$1 key=$2 C_RTBIN C_ROOT C_BUNDLE C_SNAP
	shift 2
	. "$E2E_TMP/container-$id.env"
	# the switch's file descriptor goes in as fd 3 (the container cannot open debugfs itself)
	"$C_RTBIN" --root "$C_ROOT" exec --preserve-fds 1 "$id" \
		"$CB/bench-loop" -a 3 -b "$AB_BLOCKS" -w "$WARMUP" "$@" 3<>"$KPROBES" \
		>"$BT/ab.out" 2>"$BT/ab.err"
	[ "$(cat "$KPROBES")" = 1 ] || { echo 1 >"$KPROBES"; not_ok "ab.$key" "kprobes left disarmed"; }
	if [ "$(grep -c '^block ' "$BT/ab.out")" -ne "$AB_BLOCKS" ]; then
		not_ok "ab.$key" "bench-loop gave $(grep -c '^block ' "$BT/ab.out") blocks: $(tail -n 2 "$BT/ab.err" | tr '\n' ' ')"
		return 1
	fi
	loop_figs "$key" <"$BT/ab.out"
}

FIRST_N=0
FIRST_CPU=""
# first ID TAG: one first-sight exec of a new FS_SIZE-byte program; with the module on, waits for
# its hash and takes the kernel's hashing rate from the counters. Leaves the file's path (inside
# the container) in FIRST_LAST; the next call removes it. FIRST_CPU, if set, keeps the program
# (and the control's spinner) on that CPU.
first() {
	local id=$1 tag=$2 f out e w b0 b1 n0 n1 h0 h1 i busy
	FIRST_N=$((FIRST_N + 1))
	f=/tmp/first-$tag-$FIRST_N
	# what the first sight runs besides its new program is cached, so that only that is hashed
	warm "$id"
	[ "$MODE" = on ] && [ -n "${FIRST_CPU:-}" ] && pin_workers "$FIRST_CPU"
	[ "$MODE" = on ] && { settle; status "$BT/f0.json"; }
	# the earlier ones go first: FS_SIZE each, in the container's tmpfs upper layer; "busy" is the
	# module unloaded and a CPU spinning during the exec, as a hash would
	busy=""
	[ "$tag" = busy ] && busy=busy
	out=$(ctr "$id" /bin/sh -c "rm -f /tmp/first-*; exec $CB/bench-first ${FIRST_CPU:+-c $FIRST_CPU} $CB/bench-nop $f $FS_SIZE $busy")
	e=${out% *}
	w=${out#* }
	sample "first.$tag" "$e" "bench-first $f" || return 1
	positive "$w" && fig "first.write.$tag" "$w"
	if [ "$MODE" = on ]; then
		# polled once a second: each poll is a process, which would compete with the hash
		h0=$(sget "$BT/f0.json" counters.filesHashed)
		for i in $(seq 1 "${SETTLE_MAX:-120}"); do
			sleep 1
			status "$BT/f1.json"
			h1=$(sget "$BT/f1.json" counters.filesHashed)
			[ "$h1" -gt "$h0" ] && break
		done
		settle
		status "$BT/f1.json"
		b0=$(sget "$BT/f0.json" counters.bytesHashed)
		b1=$(sget "$BT/f1.json" counters.bytesHashed)
		n0=$(sget "$BT/f0.json" counters.hashNanoseconds)
		n1=$(sget "$BT/f1.json" counters.hashNanoseconds)
		if [ $((b1 - b0)) -lt "$FS_SIZE" ]; then
			not_ok "hash.kernel" "the module hashed $((b1 - b0)) bytes after the first sight of $FS_SIZE"
		else
			fig hash.kernel.bytes $((b1 - b0))
			fig hash.kernel.ns $((n1 - n0))
			# bytes per second, from the same two counters
			sample hash.kernel.Bps "$(awk -v b=$((b1 - b0)) -v n=$((n1 - n0)) 'BEGIN { if (n > 0) printf "%d", b * 1e9 / n }')" "the hash counters"
			hash_userspace "$C_BUNDLE/rootfs$f"
		fi
	fi
	FIRST_LAST=$f
}

# pin_workers CPU: the module's worker threads (whorl/N, made at each load) onto CPU alone.
pin_workers() {
	local p
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in
		whorl/*) taskset -p "$(printf '%x' $((1 << $1)))" "${p#/proc/}" >/dev/null ||
			not_ok "pin_workers" "taskset refused ${p#/proc/}" ;;
		esac
	done
}

# first_rounds ID: FS_ROUNDS rounds of first sights, module loaded, unloaded, and unloaded with a
# CPU spinning during the exec (the control for the hash's CPU).
first_rounds() {
	local r m
	info first.size "$FS_SIZE"
	for r in $(seq 1 "$FS_ROUNDS"); do
		for m in $(round_order "$r" busy); do
			if [ "$m" = busy ]; then mode_set off; else mode_set "$m"; fi || finish
			first "$1" "$m"
		done
	done
}

# hash_userspace FILE: right after the module hashed FILE, userspace SHA-256 of the same file
# (through the container's overlay mount, as the kernel read it), so that each kernel sample has
# userspace samples taken under the same load: Debian's openssl and coreutils, busybox's applet;
# each also on an empty file, its start-up (loading libcrypto is most of openssl's under
# emulation), which the report takes off to give the hashing rate proper.
hash_userspace() {
	local f k
	: >"$BT/empty"
	for f in "$1" "$BT/empty"; do
		k=ns
		[ "$f" = "$1" ] || k=empty_ns
		sample "hash.openssl.$k" "$("$BIN/bench-time" -q /usr/bin/openssl dgst -sha256 "$f")" "openssl dgst"
		sample "hash.sha256sum.$k" "$("$BIN/bench-time" -q /usr/bin/sha256sum "$f")" "sha256sum"
		sample "hash.busybox.$k" "$("$BIN/bench-time" -q /usr/bin/busybox sha256sum "$f")" "busybox sha256sum"
	done
}

# bench_container: a Docker-style runc container of the image that sleeps; sets C_ID and friends.
bench_container() {
	if container_start docker runc /bin/sleep infinity; then
		ok "container starts"
	else
		not_ok "container starts" "runc under the Docker cgroup layout"
		finish
	fi
}

# round_order R [C]: "on off" or "off on" (ABBA), so that drift over the run favours neither side;
# with a third condition C, "on off C" or "C off on".
round_order() {
	if [ $(($1 % 2)) -eq 1 ]; then echo "on off ${2:-}"; else echo "${2:-} off on"; fi
}

# graph FUNCS DEPTH OUT COMMAND...: COMMAND run with ftrace's function_graph tracer on FUNCS
# (children to DEPTH levels), the trace in OUT. Tracing inflates every call it records. Only the
# module's functions and the kernel functions its hooks call (GRAPH_KERNEL) are patched for
# tracing: patching every function in the kernel at once (tens of thousands of text_poke sites)
# has crashed the guest under TCG (a stray int3), and this keeps the patching to a few hundred.
GRAPH_KERNEL="d_path prepend_path ovl_d_real ovl_dentry_upper ovl_dentry_lower take_dentry_name_snapshot
	release_dentry_name_snapshot copy_from_kernel_nofault get_task_pid kmem_cache_alloc_noprof
	__kmalloc_cache_noprof queue_work_on"
graph() {
	local funcs=$1 depth=$2 out=$3 t=/sys/kernel/tracing f
	shift 3
	[ -e "$t/trace" ] || mount -t tracefs tracefs "$t"
	echo 0 >"$t/tracing_on"
	echo nop >"$t/current_tracer"
	echo ':mod:whorl' >"$t/set_ftrace_filter" || return 1
	for f in $GRAPH_KERNEL; do echo "$f" >>"$t/set_ftrace_filter" 2>/dev/null; done
	echo "$funcs" >"$t/set_graph_function" || return 1
	echo "$depth" >"$t/max_graph_depth"
	echo 8192 >"$t/buffer_size_kb"
	echo nofuncgraph-irqs >"$t/trace_options" 2>/dev/null
	echo function_graph >"$t/current_tracer" || return 1
	echo >"$t/trace"
	echo 1 >"$t/tracing_on"
	"$@"
	echo 0 >"$t/tracing_on"
	cp "$t/trace" "$out"
	echo nop >"$t/current_tracer"
	echo >"$t/set_graph_function"
	echo >"$t/set_ftrace_filter"
	echo 0 >"$t/max_graph_depth"
	echo 1 >"$t/tracing_on"
}

# graph_call OUT FUNC MUST: from function_graph output OUT, the complete call of FUNC whose tree
# contains MUST (a function name) and no interrupt, and took the least time (the one the host
# disturbed least), without the CPU column.
graph_call() {
	awk -v f="$2" -v must="$3" '
		index($0, f "(") || index($0, f " [") { on = 1; blk = ""; depth = 0 }
		on { sub(/^ *[0-9]+\) /, ""); blk = blk $0 "\n"
		     if ($0 ~ /\{ *$/) depth++
		     if ($0 ~ /\| *} *$/ || $0 ~ /\| *} \/\*/) { if (--depth <= 0) {
			on = 0
			# a call an interrupt landed in shows the interrupt too: not that one
			if (index(blk, must) && !index(blk, "irq") && match($0, /[0-9]+\.[0-9]+ us/)) {
				d = substr($0, RSTART, RLENGTH - 3) + 0
				if (best == "" || d < bestd) { best = blk; bestd = d }
			}
		     } } }
		END { printf "%s", best }' "$1"
}
