#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-10-whorl.sh - whorl's cost, module loaded vs unloaded in alternating rounds in one container:
# cached exec and mmap (and again in finer blocks, kprobes armed and disarmed; and empty probes
# in the module's place), first-sight exec of a large new program, the kernel's hashing rate
# against userspace SHA-256 on the same file, exec-to-finding latency, bytes per cache entry.
# Under the instruction clock (CLOCK=icount) only the cached workloads.
. /e2e/lib.sh
. /e2e/bench-lib.sh

bench_container
id=$C_ID
info kernel "$(uname -r)"
info cpu "$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(grep -c '^processor' /proc/cpuinfo) CPUs; SHA-256 instructions: $(grep -m1 '^flags' /proc/cpuinfo | grep -owE 'sha_ni|avx2|ssse3' | tr '\n' ' ')"
info container "runc, Docker cgroup layout, overlay of the 3-layer image; $LIB from layer 2"

# --- cached exec and mmap: ROUNDS rounds, each one sample with the module on and one with it off ---
for r in $(seq 1 "$ROUNDS"); do
	for m in $(round_order "$r"); do
		mode_set "$m" || finish
		cached "$id" "$m"
	done
done
ok "cached exec and mmap rounds"

# --- the same, finer: the module stays loaded (cache warm) and the kernel's kprobes, which carry
# its exec and mmap hooks, are armed and disarmed between blocks of one run (ABBA), seconds apart ---
if [ -w "$KPROBES" ]; then
	mode_set on || finish
	warm "$id"
	ab "$id" ab.exec.static exec "$AB_N_STATIC" "$CB/bench-nop"
	ab "$id" ab.exec.dynamic exec "$AB_N_DYNAMIC" /usr/bin/true
	ab "$id" ab.mmap mmap "$AB_N_MMAP" "$LIB"
	ok "kprobes armed/disarmed blocks"
	# how often the hooks fire per iteration: the counters around 5 and 25 iterations (the
	# difference leaves out what runc exec and the shell add), in calls per 1000 iterations
	for w in "exec.static exec $CB/bench-nop" "exec.dynamic exec /usr/bin/true" "mmap mmap $LIB"; do
		set -- $w
		status "$BT/h0.json"
		ctr "$id" "$CB/bench-loop" "$2" 5 "$3" >/dev/null
		status "$BT/h1.json"
		ctr "$id" "$CB/bench-loop" "$2" 25 "$3" >/dev/null
		status "$BT/h2.json"
		for k in hookExec hookMmap hookMprotect containerEvents; do
			a=$(sget "$BT/h0.json" "counters.$k")
			b=$(sget "$BT/h1.json" "counters.$k")
			c=$(sget "$BT/h2.json" "counters.$k")
			fig "hooks.$1.$k" $(((c - b - (b - a)) * 1000 / 20))
		done
	done
	# one call of each handler on a cached file, as ftrace's function_graph sees it (the tree
	# shows what the handler does; under TCG each traced call adds about a microsecond)
	if [ "$CLOCK" = icount ]; then
		:	# the wall-clock guest records it
	elif graph "hook_mmap_file hook_bprm_check" 5 "$BT/graph.txt" \
		ctr "$id" /bin/sh -c "$CB/bench-loop mmap 30 $LIB; $CB/bench-loop exec 10 $CB/bench-nop" >/dev/null; then
		graph_call "$BT/graph.txt" hook_mmap_file whorl_cache_peek | sed 's/^/# bench-info trace.mmap /'
		graph_call "$BT/graph.txt" hook_bprm_check whorl_cache_peek | sed 's/^/# bench-info trace.bprm /'
	else
		diag "function_graph tracer not available"
	fi
else
	not_ok "kprobes armed/disarmed blocks" "no $KPROBES"
fi

# --- where that time goes: the module unloaded, empty probes (tracefs kprobe events, recording
# nothing: tracing_on 0) on the three functions whorl hooks, armed and disarmed the same way:
# first kretprobes (entry and return: what enforce mode once used; whorl now refuses from its entry
# kprobes, so they are a reference), then kprobes (entry only: what whorl registers, in both modes). They cost the probe machinery's share (ftrace
# entry, rethook return); the rest of the module's figure is its handlers ---
mode_set off || finish
tr=/sys/kernel/tracing
[ -e "$tr/kprobe_events" ] || mount -t tracefs tracefs "$tr"
echo 0 >"$tr/tracing_on"
for kind in r p; do
	key=null
	[ "$kind" = p ] && key=nullp
	if echo "$kind:whorlbench/bprm security_bprm_check" >>"$tr/kprobe_events" &&
		echo "$kind:whorlbench/mmap security_mmap_file" >>"$tr/kprobe_events" &&
		echo "$kind:whorlbench/mprotect security_file_mprotect" >>"$tr/kprobe_events" &&
		echo 1 >"$tr/events/whorlbench/enable"; then
		ab "$id" "$key.exec.static" exec "$AB_N_STATIC" "$CB/bench-nop"
		ab "$id" "$key.exec.dynamic" exec "$AB_N_DYNAMIC" /usr/bin/true
		ab "$id" "$key.mmap" mmap "$AB_N_MMAP" "$LIB"
		ok "empty $kind probes armed/disarmed blocks"
	else
		not_ok "empty $kind probes armed/disarmed blocks" "tracefs refused the kprobe events"
	fi
	echo 0 >"$tr/events/whorlbench/enable" 2>/dev/null
	for e in bprm mmap mprotect; do echo "-:whorlbench/$e" >>"$tr/kprobe_events" 2>/dev/null; done
done
echo 1 >"$tr/tracing_on"

# The instruction-clock guest runs its vCPUs in turn on one host thread, each instruction of either
# advancing the clock: a hash on the other vCPU would count against the exec. So here a first sight
# puts the exec, the control's spinner and the module's workers (its whorl/N threads, and every
# unbound workqueue) on CPU 0,
# where the guest's scheduler shares it out: the case where the hash competes for the exec's own
# CPU. The control's spinner runs at nice 0, as a hash at nice 0 would.
if [ "$CLOCK" = icount ]; then
	wqmask=/sys/devices/virtual/workqueue/cpumask
	saved=$(cat "$wqmask")
	if echo 1 >"$wqmask"; then
		FIRST_CPU=0
		first_rounds "$id"
		FIRST_CPU=""
		echo "$saved" >"$wqmask"
		ok "first-sight rounds on one CPU"
		ctr "$id" /bin/rm -f "$FIRST_LAST"
	else
		not_ok "first-sight rounds on one CPU" "$wqmask refused a CPU 0 mask"
	fi
	dmesg | grep -o 'whorl: sha256 by .*' | tail -n 1 | sed 's/^whorl: sha256 by /# bench-info hash.kernel.driver /'
	finish
fi

# --- first sight: FS_ROUNDS rounds of a new FS_SIZE-byte program: module loaded, unloaded, and
# unloaded with a CPU spinning during the exec (the control for the hash's CPU) ---
first_rounds "$id"
ok "first-sight rounds"
mode_set on || finish
dmesg | grep -o 'whorl: sha256 by .*' | tail -n 1 | sed 's/^whorl: sha256 by /# bench-info hash.kernel.driver /'
# the drivers the module timed at its last load, to pick the fastest
dmesg | grep -o 'whorl: sha256: .*' | tail -n 8 | sed 's/^whorl: sha256: /# bench-info hash.kernel.trial /'
status "$BT/s.json"
sample cache.entry_bytes "$(sget "$BT/s.json" cache.entryBytes)" "whorl status (cache.entryBytes)"
# The slab object behind a cache entry, as the allocator sizes it (absent if SLUB merged the cache).
awk '$1 == "whorl_cache_entry" { print "# bench-info cache.slab objsize " $4 " bytes, " $5 " per slab" }' /proc/slabinfo 2>/dev/null

# --- the userspace hashers agree with each other on the last first-sight program ---
file=$C_BUNDLE/rootfs$FIRST_LAST
info hash.file "$FS_SIZE bytes, $(/usr/bin/sha256sum "$file" | cut -c1-16)..."
d1=$(/usr/bin/openssl dgst -sha256 -r "$file" | cut -d' ' -f1)
d2=$(/usr/bin/sha256sum "$file" | cut -d' ' -f1)
d3=$(/usr/bin/busybox sha256sum "$file" | cut -d' ' -f1)
if [ "$d1" = "$d2" ] && [ "$d2" = "$d3" ] && [ ${#d1} -eq 64 ]; then
	ok "userspace digests agree"
else
	not_ok "userspace digests agree" "openssl $d1, coreutils $d2, busybox $d3"
fi
info hash.openssl "$(/usr/bin/openssl version)"
ctr "$id" /bin/rm -f "$FIRST_LAST"

# --- finding latency: a name-rule program run LAT_N times, LAT_PAUSE_US apart, each exec reported
# (report-once window 0); eventTime (CLOCK_REALTIME at the exec tracepoint) against the time the
# relay's JSON line was read (CLOCK_REALTIME), both in this guest ---
"$WHORL" config --dedup-ms 0 >/dev/null
lat_start || finish
ctr "$id" "$CB/bench-loop" exec 2 "$CB/bench-finder" >/dev/null
settle
want=$((LAT_N + 2))
ctr "$id" "$CB/bench-loop" -p "$LAT_PAUSE_US" exec "$LAT_N" "$CB/bench-finder" >/dev/null
for i in $(seq 1 $((FINDING_TIMEOUT * 4))); do
	[ "$(wc -l <"$BT/lat.txt")" -ge "$want" ] && break
	sleep 0.25
done
lat_stop
got=$(wc -l <"$BT/lat.txt")
if [ "$got" -ge "$want" ]; then
	ok "every exec reported ($got findings)"
else
	not_ok "every exec reported" "$got of $want findings at the relay"
fi
# the two warm-up findings are left out
tail -n +3 "$BT/lat.txt" | awk '$2 > 0 { printf "# bench latency.ns %d\n", $1 - $2 }'
info latency.finding "$(head -n 1 "$BT/raw.jsonl" | cut -c1-300)"

finish
