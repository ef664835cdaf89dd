#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-50-stress-storms.sh - storms across many containers while everything around the module churns:
#  1. an exec storm and an executable-mmap storm, counted by the module's hooks (loaded throughout),
#     while the relay is killed (-9) and restarted and the intel set is replaced again and again;
#  2. the module unloaded and loaded again many times while the same storms go on;
#  3. distinct new binaries, one per process, all released at once against a small queue_max (and
#     then distinct new libraries mapped at once): the hash queue overflows, every exec and mapping
#     still succeeds, the overflow is counted, the events alive stay within the queue's bound.
# Every storm must end with no failed exec or mapping, every cycle must succeed, and the module must
# unload cleanly at the end.
. /e2e/lib.sh
. /e2e/stress-lib.sh

stress_begin
setup
QUEUE_MAX_DEFAULT=$(cat /sys/module/whorl/parameters/queue_max)
containers_start "$CONTAINERS" || finish
set -- $IDS
FIRST=$1
TRUE=/usr/local/bin/stress-true
LIBC=/usr/lib/x86_64-linux-gnu/libc.so.6
readies() { grep -c 'ready' "$E2E_TMP/relay.err"; }

# --- 1. counted storms; relay restarts and intel replacements meanwhile --------------------------
per_exec=$(((EXECS + CONTAINERS - 1) / CONTAINERS))
per_mmap=$(((MMAPS + CONTAINERS - 1) / CONTAINERS))
total_exec=$((per_exec * CONTAINERS))
total_mmap=$((per_mmap * CONTAINERS))
status_save "$E2E_TMP/st0" || not_ok "status before the storms" "$(cat "$E2E_TMP/st0.err")"
peak_start "$E2E_TMP/peak-storms.txt" whorl_event whorl_cache_entry
t_storm=$(now)
# One storm per container runs both loops; each says when it reached its count and goes on until
# stopped, through the reloads of part 2.
storms_start main mixed "$per_exec" "$TRUE" "$per_mmap" "$LIBC"

# Relay kill -9 and restart: ready each time, and the dead relay's subscription gone with it.
t0=$(now)
bad=0
j=0
while [ "$j" -lt "$RELAYS" ]; do
	j=$((j + 1))
	kill -9 "$RELAY_PID"
	wait "$RELAY_PID" 2>/dev/null
	RELAY_PID=""
	if ! relay_start --intel "$INTEL"; then
		not_ok "relay restart $j: ready" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
		bad=$((bad + 1))
		break
	fi
	subs=$(status_now counters.subscribers) || subs="?"
	if [ "$subs" != 1 ]; then
		not_ok "relay restart $j: one subscriber" "counters.subscribers is $subs"
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ] && ok "relay killed (-9) and restarted $RELAYS times during the storms: ready each time, one subscriber ($(elapsed "$t0") s)"

# Intel replaced, two sets of different sizes in turn (both keep the e2e entries: the barrier's
# name rule stays).
gen_intel() {
	{
		cat "$INTEL"
		# unique by construction: the set's seed and the entry's number, then random digits
		awk -v n="$2" -v seed="$3" 'BEGIN {
			srand(seed)
			for (i = 0; i < n; i++) {
				h = sprintf("%08x%08x", seed, i)
				for (j = 0; j < 12; j++) h = h sprintf("%04x", int(rand() * 65536))
				print h " malicious stress-" seed "-" i
			}
		}'
	} >"$1"
}
gen_intel "$E2E_TMP/intel-a" 1000 11
gen_intel "$E2E_TMP/intel-b" 5000 22
t0=$(now)
bad=0
k=0
loads0=$(status_now counters.intelLoads) || loads0=0
while [ "$k" -lt "$INTELS" ]; do
	k=$((k + 1))
	f=$E2E_TMP/intel-a
	[ $((k % 2)) -eq 0 ] && f=$E2E_TMP/intel-b
	want_h=$(grep -c '^[0-9a-f]\{64\}' "$f")
	want_r=$(grep -c '^name:' "$f")
	if ! "$WHORL" intel load "$f" >"$E2E_TMP/intel.out" 2>&1; then
		not_ok "intel replacement $k" "$(tail -n 2 "$E2E_TMP/intel.out" | tr '\n' ' ')"
		bad=$((bad + 1))
		break
	fi
	status_save "$E2E_TMP/st-intel"
	got_h=$(status_val "$E2E_TMP/st-intel" intel.hashes)
	got_r=$(status_val "$E2E_TMP/st-intel" intel.rules)
	got_l=$(status_val "$E2E_TMP/st-intel" counters.intelLoads)
	if [ "$got_h" != "$want_h" ] || [ "$got_r" != "$want_r" ] || [ "$got_l" != $((loads0 + k)) ]; then
		not_ok "intel replacement $k: status" "hashes $got_h (want $want_h), rules $got_r (want $want_r), intelLoads $got_l (want $((loads0 + k)))"
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ] && ok "intel replaced $INTELS times during the storms ($(grep -c '^[0-9a-f]\{64\}' "$E2E_TMP/intel-a") and $(grep -c '^[0-9a-f]\{64\}' "$E2E_TMP/intel-b") hashes in turn): status right after each ($(elapsed "$t0") s)"

reached() { storm_lines main "$1 reached" | wc -l; }
if [ "$(reached exec)" -lt "$CONTAINERS" ]; then
	ok "the relay and intel churn ran while the storms did ($(reached exec) of $CONTAINERS exec storms at their count)"
else
	not_ok "the relay and intel churn ran while the storms did" "every exec storm had reached its count before it ended (make the storms longer)"
fi
w=0
while [ $(($(reached exec) + $(reached mmap))) -lt $((2 * CONTAINERS)) ] && [ "$w" -lt "$((STORM_WAIT_LIMIT * 10))" ]; do
	# (only when every storm's `runc exec` has ended: on a slow kernel a storm may not have begun
	# yet; one that died early fails "all storms ran through the reloads" below)
	any=""
	for p in $STORM_PIDS; do alive "$p" && { any=1; break; }; done
	[ -n "$any" ] || break
	sleep 0.1
	w=$((w + 1))
done
diag "storms: $total_exec execs and $total_mmap mmaps in $CONTAINERS containers took $(elapsed "$t_storm") s"
storms_check "exec storm: $total_exec execs of a static binary in $CONTAINERS containers" main "exec reached" "$total_exec"
storms_check "mmap storm: $total_mmap PROT_EXEC mappings of libc in $CONTAINERS containers" main "mmap reached" "$total_mmap"
status_save "$E2E_TMP/st1"
for c in "hookExec $total_exec" "hookMmap $total_mmap"; do
	set -- $c
	a=$(status_val "$E2E_TMP/st0" "counters.$1") || a=""
	b=$(status_val "$E2E_TMP/st1" "counters.$1") || b=""
	if [ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) -ge "$2" ]; then
		ok "counters.$1 rose by $((b - a)) >= $2 during the storms (module loaded throughout)"
	else
		not_ok "counters.$1 rose by at least $2" "before '$a' after '$b'"
	fi
done
diag "after the counted storms: $(for k in containerEvents cacheHits cacheMisses filesHashed workQueued workDropped findingsEmitted; do
	printf '%s=%s ' "$k" "$(status_val "$E2E_TMP/st1" "counters.$k")"; done)"

# --- 2. module reloads while the storms go on ------------------------------------------------------
# The relay stays up: on each load it loads its intel again and subscribes again.
t0=$(now)
bad=0
i=0
while [ "$i" -lt "$RELOADS" ]; do
	i=$((i + 1))
	r0=$(readies)
	if ! rmmod whorl; then
		not_ok "reload $i: rmmod during the storms" "rmmod failed"
		bad=$((bad + 1))
		break
	fi
	if ! insmod "$WHORL_KO"; then
		not_ok "reload $i: insmod during the storms" "insmod failed"
		bad=$((bad + 1))
		break
	fi
	w=0
	while [ "$(readies)" -le "$r0" ] && [ "$w" -lt 600 ]; do
		kill -0 "$RELAY_PID" 2>/dev/null || break
		sleep 0.1
		w=$((w + 1))
	done
	if [ "$(readies)" -le "$r0" ]; then
		not_ok "reload $i: the relay subscribes again" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
		bad=$((bad + 1))
		break
	fi
done
[ "$bad" -eq 0 ] && ok "module unloaded and loaded $RELOADS times during the storms, the relay subscribed again each time ($(elapsed "$t0") s)"
diag "reloads done; counting the storms"
running=$(storm_pids | wc -l)
diag "$running storms running; stopping them"
storms_stop
storms_wait 300
diag "storms stopped"
if [ "$running" -eq "$CONTAINERS" ]; then
	ok "all $running storms ran through the reloads"
else
	not_ok "all storms ran through the reloads" "$running of $CONTAINERS still running at the end"
fi
x0=$(storms_sum main "exec reached" done)
m0=$(storms_sum main "mmap reached" done)
storms_check "exec storm, first to last (through the reloads): every exec succeeded ($(($(storms_sum main exec done) - x0)) after the count)" main exec "$total_exec"
storms_check "mmap storm, first to last (through the reloads): every mapping succeeded ($(($(storms_sum main mmap done) - m0)) after the count)" main mmap "$total_mmap"

# The pipeline still works end to end after all that.
if barrier "$FIRST"; then
	ok "a finding arrives after the churn (barrier in a container)"
else
	not_ok "a finding arrives after the churn" "no sentinel finding"
fi
peak_stop
diag "memory during storms and churn: $(tr '\n' ' ' <"$E2E_TMP/peak-storms.txt")"
# Events alive at once: at most queue_max (the default here), the execs parked for their argv
# and the dropped events not yet released included; SLUB's count includes its per-CPU slabs'
# free objects, hence the slack.
peak=$(peak_val "$E2E_TMP/peak-storms.txt" whorl_event max)
bound=$((QUEUE_MAX_DEFAULT + 64))
if [ -n "$peak" ] && [ "$peak" -le "$bound" ]; then
	ok "kernel memory bounded during the storms and reloads: at most $peak events alive (bound $bound)"
else
	not_ok "kernel memory bounded during the storms and reloads" "peak '$peak' events alive, bound $bound"
fi

# --- 3. distinct new binaries at once against a small queue ---------------------------------------
r0=$(readies)
rmmod whorl
if insmod "$WHORL_KO" queue_max="$BURST_QUEUE_MAX"; then
	ok "module loads with queue_max=$BURST_QUEUE_MAX"
else
	not_ok "module loads with queue_max=$BURST_QUEUE_MAX" "insmod failed"
	finish
fi
w=0
while [ "$(readies)" -le "$r0" ] && [ "$w" -lt 600 ]; do sleep 0.1; w=$((w + 1)); done
# burst KIND COUNT PARKED: COUNT distinct new files across the containers, run at once by KIND
# (burst: one process per file executes it; mburst: one process per container maps its files
# PROT_EXEC in turn), while four large new files are being hashed: they keep the worker's four
# hashing slots busy, so that the burst meets a full queue whatever the speed of the moment.
# Then: every operation succeeded, the overflow is counted, and the events alive at once rose by
# no more than queue_max (parked execs and dropped events not yet released included) plus SLUB's
# per-CPU slack.
HOG_SIZE=33554432
HOGS=0
burst() {
	local kind=$1 per=$(((${2} + CONTAINERS - 1) / CONTAINERS)) total i t0 hogged dq dd
	local peak first last bound what ga0 ga1 ga2 gq
	total=$((per * CONTAINERS))
	what="$total distinct new binaries executed at once across $CONTAINERS containers"
	[ "$kind" = mburst ] && what="$total distinct new libraries mapped at once across $CONTAINERS containers"
	# (written over, with new content each time: hashed anew)
	for i in 1 2 3 4; do
		HOGS=$((HOGS + 1))
		ctr "$FIRST" /usr/local/bin/stress-mutate write "/tmp/hog$i" "$((10 + HOGS))" "$HOG_SIZE" - ||
			not_ok "$kind: a large file to hash meanwhile" "hog $i not written"
	done
	storms_start "$kind" "$kind" "$per" "/tmp/$kind" "$TRUE"
	w=0
	while [ "$(cat "$E2E_TMP"/storm-"$kind"-*.out | grep -c ' armed')" -lt "$CONTAINERS" ] && [ "$w" -lt 3000 ]; do
		sleep 0.1
		w=$((w + 1))
	done
	status_save "$E2E_TMP/sb0"
	alive0=$(cut -d' ' -f1 /sys/kernel/slab/whorl_event/objects 2>/dev/null) || alive0=0
	peak_start "$E2E_TMP/peak-$kind.txt" whorl_event
	ctr "$FIRST" /bin/sh -c 'for i in 1 2 3 4; do /usr/local/bin/stress-storm mmap 1 /tmp/hog$i; done' \
		>/dev/null
	t0=$(now)
	storms_signal USR1
	storms_wait 600
	status_save "$E2E_TMP/sb1"
	hogged=$(($(status_val "$E2E_TMP/sb1" counters.bytesHashed) - $(status_val "$E2E_TMP/sb0" counters.bytesHashed)))
	diag "$kind: released at once; $(elapsed "$t0") s until every storm had ended, by when $((hogged >> 20)) of the $((4 * HOG_SIZE >> 20)) MiB of large files were hashed"
	# Let the worker drain what it queued (its events are freed as it goes). On a KASAN
	# kernel a freed event waits in KASAN's quarantine, still counted by its slab until the
	# quarantine is cut back under memory pressure: shrinking the cache empties the
	# quarantine of this cache's objects, so the count says what whorl still holds.
	w=0
	while slab_shrink whorl_event &&
		[ "$(cut -d' ' -f1 /sys/kernel/slab/whorl_event/objects 2>/dev/null)" -gt $((alive0 + 64)) ] &&
		[ "$w" -lt 1200 ]; do
		sleep 0.1
		w=$((w + 1))
	done
	peak_stop
	# The module's own gauge: bounded by the queue_max it reports, and back where it was once
	# the worker has drained (an event counted but never released would hold it up).
	ga0=$(status_val "$E2E_TMP/sb0" events.alive)
	ga1=$(status_val "$E2E_TMP/sb1" events.alive)
	gq=$(status_val "$E2E_TMP/sb1" config.queueMax)
	w=0
	ga2=$(status_now events.alive) || ga2=""
	while [ -n "$ga0" ] && [ -n "$ga2" ] && [ "$ga2" -gt "$ga0" ] && [ "$w" -lt 600 ]; do
		sleep 0.2
		w=$((w + 1))
		ga2=$(status_now events.alive) || ga2=""
	done
	if [ "$gq" = "$BURST_QUEUE_MAX" ] && [ -n "$ga1" ] && [ "$ga1" -le "$gq" ] &&
		[ -n "$ga0" ] && [ -n "$ga2" ] && [ "$ga2" -le "$ga0" ]; then
		ok "$kind: status shows the events alive within queueMax $gq ($ga0 before, $ga1 as the burst ended, $ga2 once drained)"
	else
		not_ok "$kind: status shows the events alive within queueMax" "queueMax '$gq' (want $BURST_QUEUE_MAX), events.alive '$ga0' before, '$ga1' as the burst ended, '$ga2' after the drain"
	fi
	storms_check "$kind: $what, every one succeeded" "$kind" "$kind" "$total"
	dq=$(($(status_val "$E2E_TMP/sb1" counters.workQueued) - $(status_val "$E2E_TMP/sb0" counters.workQueued)))
	dd=$(($(status_val "$E2E_TMP/sb1" counters.workDropped) - $(status_val "$E2E_TMP/sb0" counters.workDropped)))
	if [ "$dd" -gt 0 ]; then
		ok "$kind: the hash queue overflowed and the overflow is counted (workDropped +$dd, workQueued +$dq)"
	else
		not_ok "$kind: the hash queue overflowed and the overflow is counted" "workDropped +$dd, workQueued +$dq"
	fi
	if [ $((dq + dd)) -ge "$total" ]; then
		ok "$kind: every new file's event was either queued or counted as dropped ($dq + $dd >= $total)"
	else
		not_ok "$kind: every new file's event was either queued or counted as dropped" "$dq + $dd < $total"
	fi
	peak=$(peak_val "$E2E_TMP/peak-$kind.txt" whorl_event max)
	first=$(peak_val "$E2E_TMP/peak-$kind.txt" whorl_event first)
	last=$(peak_val "$E2E_TMP/peak-$kind.txt" whorl_event last)
	bound=$((first + BURST_QUEUE_MAX + 64))
	if [ "${WHORL_DEBUG:-0}" = 1 ]; then
		# KASAN keeps freed objects in quarantine, still counted by their slab
		ok "$kind: kernel memory bounded while the queue overflowed # SKIP the slab's count includes KASAN's quarantine ($peak objects at the peak)"
	elif [ -n "$peak" ] && [ -n "$first" ] && [ "$peak" -le "$bound" ]; then
		ok "$kind: kernel memory bounded while the queue overflowed: at most $peak events alive, $first before (bound $bound = $first + queue_max $BURST_QUEUE_MAX + 64)"
	else
		not_ok "$kind: kernel memory bounded while the queue overflowed" "$peak events alive at once, $first before, bound $bound ($first + queue_max $BURST_QUEUE_MAX + 64)"
	fi
	if [ -n "$last" ] && [ "$last" -le $((first + 64)) ]; then
		ok "$kind: the events are freed once the worker drained ($last alive, $first before)"
	else
		not_ok "$kind: the events are freed once the worker drained" "$last alive, $first before"
	fi
	diag "$kind memory: $(tr '\n' ' ' <"$E2E_TMP/peak-$kind.txt")"
	diag "$kind counters: $(for k in hookExec hookMmap cacheMisses filesHashed workQueued workDropped; do
		printf '%s=+%s ' "$k" "$(($(status_val "$E2E_TMP/sb1" "counters.$k") - $(status_val "$E2E_TMP/sb0" "counters.$k")))"; done)"
}
# The bursts are the load themselves: not niced.
STORM_NICE=0
burst burst "$BURST"
burst mburst "$MBURST"

# --- the end: the module goes away; the containers too, but for the short run (the guest powers off
# after its scenarios, and removing 20 containers under TCG costs half a minute)
if [ "$STRESS_SIZE" = full ]; then
	t0=$(now)
	containers_remove
	diag "$CONTAINERS containers removed in $(elapsed "$t0") s"
else
	E2E_CONTAINERS=""
fi
stress_end t-50
