#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-30-fairness.sh - one container floods while another is attacked: the victim's exec-to-finding
# latency (a name-rule program, every exec reported) with no flood, and under each flood in turn:
#   files  the flooder changes and maps executable FAIR_FILES files of FAIR_SIZE bytes, as fast as
#          it can (every mapping new content to hash: adv flood, from the adversary suite)
#   execs  the flooder runs a cached program in a loop (the hooks' fast path, no hashing)
#   fuse   the flooder maps a library from each of four FUSE servers that never answer a read
#          (tests/adversary/src/fusestall.c): two of the four workers wait read_timeout for each
# Figures: fair.<flood>.latency.ns per victim finding; what `whorl status` charges to whom
# (fair.<flood>.flooder.workOverShare / victim.workOverShare, and readTimeouts), and the queue's
# drops (fair.<flood>.workDropped). Skipped on the instruction clock, in the smoke run too: a
# latency is a wall-clock figure, and there QEMU's icount mode has double-faulted the guest in the
# slab allocator under the floods, with an EFLAGS value no x86 CPU can hold (a TCG fault, not the
# kernel's: the same floods run clean on the wall clock and on the debug kernels).
. /e2e/lib.sh
. /e2e/bench-lib.sh

if [ "$CLOCK" = icount ] || [ "${LAT_N:-0}" = 0 ]; then
	ok "fairness # SKIP not on the instruction clock"
	finish
fi
FAIR_N=${FAIR_N:-$LAT_N}
FAIR_FILES=${FAIR_FILES:-32}
FAIR_SIZE=${FAIR_SIZE:-$((4 << 20))}

mode_set on || finish
"$WHORL" config --dedup-ms 0 >/dev/null

bench_container
victim=$C_ID
victim_cg=$C_CGROUP
bench_container
flooder=$C_ID
flooder_cg=$C_CGROUP
flooder_pid=$C_PID
ctr_copy_in "$flooder" "$BIN/adv" /tmp/adv
warm "$victim"

# latency NAME: FAIR_N execs of the name-rule program in the victim, LAT_PAUSE_US apart; one
# fair.NAME.latency.ns figure per finding of the victim's (the flooder's findings are left out).
latency() {
	local name=$1
	lat_start || return
	ctr "$victim" "$CB/bench-loop" -p "$LAT_PAUSE_US" exec "$FAIR_N" "$CB/bench-finder" >/dev/null
	# the victim's findings only
	lat_collect bench-finder "$FAIR_N" "$FINDING_HANG_LIMIT" "$name: every exec of the victim reported" \
		"fair.$name.latency.ns"
}

# charged NAME S0 S1: what status counted between two status documents (counts, zero included),
# and what its containers[] lines charge to the flooder and to the victim since the load.
charged() {
	local name=$1 k v0 v1
	for k in workDropped workOverShare readTimeouts; do
		v0=$(sget "$2" "counters.$k") || v0=0
		v1=$(sget "$3" "counters.$k") || v1=0
		echo "# bench fair.$name.$k $((v1 - v0))"
	done
	echo "# bench fair.$name.flooder.workOverShare $(container_stat "$flooder_cg" workOverShare)"
	echo "# bench fair.$name.victim.workOverShare $(container_stat "$victim_cg" workOverShare)"
}

# stop_flood PID: the flood's runc exec and everything it started in the flooder (all but its init)
stop_flood() {
	local pid
	for pid in $(cat "/sys/fs/cgroup$flooder_cg/cgroup.procs" 2>/dev/null); do
		[ "$pid" = "$flooder_pid" ] || kill -9 "$pid" 2>/dev/null
	done
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

latency quiet

# --- files: new content to hash, as fast as the flooder can make it --------------------------------
ctr "$flooder" /usr/bin/mkdir -p /tmp/fl
status "$BT/f0.json"
ctr "$flooder" /tmp/adv flood /tmp/fl "$FAIR_FILES" "$FAIR_SIZE" 600 >"$BT/flood.out" 2>&1 &
flood=$!
sleep 3
latency files
status "$BT/f1.json"
stop_flood "$flood"
charged files "$BT/f0.json" "$BT/f1.json"
settle

# --- execs: a cached program in a loop ---------------------------------------------------------------
status "$BT/e0.json"
ctr "$flooder" /bin/sh -c "while :; do $CB/bench-loop exec 1000 $CB/bench-nop >/dev/null; done" &
flood=$!
sleep 3
latency execs
status "$BT/e1.json"
stop_flood "$flood"
charged execs "$BT/e0.json" "$BT/e1.json"
settle

# --- fuse: four libraries whose reads are never answered ---------------------------------------------
if [ -c /dev/fuse ] && [ -x "$BIN/fusestall" ]; then
	status "$BT/u0.json"
	servers=""
	mappers=""
	for i in 1 2 3 4; do
		ctr "$flooder" /usr/bin/mkdir -p "/fuse$i"
		"$BIN/fusestall" "$flooder_pid" "/fuse$i" libstall.so 1048576 2>>"$BT/fusestall.err" &
		servers="$servers $!"
		wait_ctr_mount "$flooder_pid" "/fuse$i" || not_ok "fuse: server $i mounts" "$(cat "$BT/fusestall.err")"
	done
	for i in 1 2 3 4; do
		ctr "$flooder" /tmp/adv map "/fuse$i/libstall.so" 600 >/dev/null 2>&1 &
		mappers="$mappers $!"
	done
	sleep 1
	latency fuse
	status "$BT/u1.json"
	kill $servers 2>/dev/null
	wait $servers 2>/dev/null
	stop_flood ""
	kill $mappers 2>/dev/null
	wait $mappers 2>/dev/null
	charged fuse "$BT/u0.json" "$BT/u1.json"
	settle
else
	ok "fuse # SKIP no FUSE in this kernel"
fi

info fairness "victim and flooder: runc containers of the image; files: $FAIR_FILES files of $((FAIR_SIZE >> 10)) KiB; $FAIR_N victim execs $LAT_PAUSE_US us apart per flood"
"$WHORL" config --dedup-ms 60000 >/dev/null
container_remove "$flooder"
container_remove "$victim"
finish
