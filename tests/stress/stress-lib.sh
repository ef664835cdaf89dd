# SPDX-License-Identifier: GPL-2.0
# stress-lib.sh - what the guest-side stress scenarios share, on top of /e2e/lib.sh: the size knob
# (short for `make check`, full for `make stress`), the stress programs as an image layer, many
# containers at once, storms run in all of them, and `whorl status` values. Busybox sh.
#
# Size: whorl.stress=full on the kernel command line (or STRESS_SIZE=full) selects the issue's
# counts; anything else the short run.

STRESS_BIN=${STRESS_BIN:-/stress-data/bin}
# The storms count subscribers (one per relay): no SCC twin.
RELAY_SCC=0
STRESS_SIZE=${STRESS_SIZE:-$(sed -n 's/.*whorl\.stress=\([a-z]*\).*/\1/p' /proc/cmdline)}
[ "$STRESS_SIZE" = full ] || STRESS_SIZE=short

if [ "$STRESS_SIZE" = full ]; then
	CONTAINERS=${CONTAINERS:-20}
	EXECS=${EXECS:-50000}		# exec storm, all containers together
	MMAPS=${MMAPS:-200000}		# executable mappings, all containers together
	RELOADS=${RELOADS:-100}		# rmmod/insmod cycles during storms
	RELAYS=${RELAYS:-20}		# relay kill -9 and restart cycles during storms
	INTELS=${INTELS:-100}		# intel replacements during storms
	BURST=${BURST:-1000}		# distinct new binaries executed at once
	MBURST=${MBURST:-4000}		# distinct new libraries mapped at once
	BURST_QUEUE_MAX=${BURST_QUEUE_MAX:-16}	# 4 of them hashing large files
	BIG_SIZE=${BIG_SIZE:-67108864}	# the file changed while hashed: 64 MiB
	MUTATE_ROUNDS=${MUTATE_ROUNDS:-8}
	MUTATE_PAUSE_MS=${MUTATE_PAUSE_MS:-16000}	# ~1.5 hashes of it under TCG (~6 MB/s)
	MUTATE_RUNS=${MUTATE_RUNS:-"rewrite:map rewrite:exec truncate:map truncate:exec delete:map delete:exec"}
elif [ "${WHORL_DEBUG:-0}" = 1 ]; then
	# The short run on a debug kernel (KASAN, lockdep, kmemleak make every exec several times
	# slower under TCG): every scenario, smaller, so that it fits in `make check`.
	CONTAINERS=${CONTAINERS:-8}
	EXECS=${EXECS:-400}
	MMAPS=${MMAPS:-4000}
	RELOADS=${RELOADS:-3}
	RELAYS=${RELAYS:-2}
	INTELS=${INTELS:-4}
	BURST=${BURST:-80}
	MBURST=${MBURST:-400}
	BURST_QUEUE_MAX=${BURST_QUEUE_MAX:-8}
	BIG_SIZE=${BIG_SIZE:-8388608}
	MUTATE_ROUNDS=${MUTATE_ROUNDS:-3}
	MUTATE_PAUSE_MS=${MUTATE_PAUSE_MS:-3000}
	MUTATE_RUNS=${MUTATE_RUNS:-"rewrite:map truncate:exec delete:map"}
else
	CONTAINERS=${CONTAINERS:-20}
	EXECS=${EXECS:-2000}
	MMAPS=${MMAPS:-10000}
	RELOADS=${RELOADS:-5}
	RELAYS=${RELAYS:-3}
	INTELS=${INTELS:-10}
	BURST=${BURST:-200}
	MBURST=${MBURST:-1000}
	BURST_QUEUE_MAX=${BURST_QUEUE_MAX:-8}
	BIG_SIZE=${BIG_SIZE:-16777216}	# 16 MiB: TCG hashes at ~6 MB/s
	MUTATE_ROUNDS=${MUTATE_ROUNDS:-3}
	MUTATE_PAUSE_MS=${MUTATE_PAUSE_MS:-3000}
	MUTATE_RUNS=${MUTATE_RUNS:-"rewrite:map truncate:exec delete:map"}
fi
SPARSE_SIZE=4294967296			# 4 GiB, a hole after the ELF
SPARSE_HASH_MAX=16777216		# hash_max for it: 16 MiB (TCG hashes slowly)

diag "stress size $STRESS_SIZE: $CONTAINERS containers, $EXECS execs, $MMAPS mmaps, $RELOADS reloads, $RELAYS relay restarts, $INTELS intel loads, burst $BURST execs and $MBURST mmaps (queue_max $BURST_QUEUE_MAX), big file $BIG_SIZE x $MUTATE_ROUNDS rounds"

# The stress programs as the image's top layer, so that the storms run image software (the
# common case: a busy workload whose binaries are in its image).
# Written once per boot: an image layer is never rewritten under a running container.
STRESS_LAYER=$SNAPSHOTS/4/fs
stress_layer() {
	local p
	mkdir -p "$STRESS_LAYER/usr/local/bin"
	for p in stress-storm stress-mutate stress-true; do
		[ -f "$STRESS_LAYER/usr/local/bin/$p" ] || cp "$STRESS_BIN/$p" "$STRESS_LAYER/usr/local/bin/" ||
			return 1
	done
	case $LOWERDIR in "$STRESS_LAYER":*) ;; *) LOWERDIR=$STRESS_LAYER:$LOWERDIR ;; esac
	# A storm left by an earlier scenario that was killed at its time limit must not load this one.
	storms_signal KILL
	return 0
}

# --- whorl status ---------------------------------------------------------------------------------

# status_save FILE: `whorl status --json`, flattened (key<TAB>value).
status_save() {
	"$WHORL" status --json >"$1.json" 2>"$1.err" || return 1
	awk -f "$E2E_DIR/json.awk" "$1.json" | cut -f2- >"$1"
}

# status_val FILE KEY: one value of a saved status (counters.hookExec, intel.hashes...).
status_val() {
	awk -F '\t' -v k="$2" '$1 == k { print $2; found = 1 } END { exit !found }' "$1"
}

# status_now KEY: the value right now.
status_now() {
	status_save "$E2E_TMP/status-now" && status_val "$E2E_TMP/status-now" "$1"
}

# --- many containers ------------------------------------------------------------------------------

# batch_add PID: a background job of a batch; every $START_PARALLEL jobs, wait for the batch.
# batch_wait: wait for the jobs of the batch so far.
BATCH_PIDS=""
BATCH_N=0
batch_add() {
	BATCH_PIDS="$BATCH_PIDS $1"
	BATCH_N=$((BATCH_N + 1))
	[ $((BATCH_N % START_PARALLEL)) -ne 0 ] || batch_wait
}
batch_wait() {
	local p
	for p in $BATCH_PIDS; do wait "$p"; done
	BATCH_PIDS=""
}

# containers_start N: N long-running containers, the runtime/layout pairs of $RUNS in turn, started
# $START_PARALLEL at a time (each in its own snapshot directory, so that no two pick the same one);
# their ids in $IDS, in order. One TAP case for the lot.
START_PARALLEL=${START_PARALLEL:-4}
IDS=""
containers_start() {
	local n=$1 i=0 run t0 failed=0
	t0=$(now)
	set -- $RUNS
	while [ "$i" -lt "$n" ]; do
		run=$(eval echo "\${$((i % $# + 1))}")
		(
			SNAPSHOTS=$SNAPSHOTS/stress-$i
			container_start "${run##*:}" "${run%%:*}" /bin/sleep infinity &&
				echo "$C_ID" >"$E2E_TMP/cid-$i"
		) >"$E2E_TMP/cstart-$i.log" 2>&1 &
		batch_add $!
		i=$((i + 1))
	done
	batch_wait
	i=0
	while [ "$i" -lt "$n" ]; do
		if [ -s "$E2E_TMP/cid-$i" ]; then
			IDS="$IDS $(cat "$E2E_TMP/cid-$i")"
		else
			failed=$((failed + 1))
			diag "container $i: $(tail -n 3 "$E2E_TMP/cstart-$i.log" | tr '\n' ' ')"
		fi
		rm -f "$E2E_TMP/cid-$i"
		i=$((i + 1))
	done
	E2E_CONTAINERS="$E2E_CONTAINERS $IDS"
	if [ "$failed" -eq 0 ]; then
		ok "$n containers start ($RUNS, $START_PARALLEL at a time) in $(elapsed "$t0") s"
	else
		not_ok "$n containers start" "$failed of $n did not start"
		return 1
	fi
}

# containers_remove: remove the containers of $IDS, $START_PARALLEL at a time.
containers_remove() {
	local id
	for id in $IDS; do
		container_remove "$id" &
		batch_add $!
	done
	batch_wait
	IDS=""
	E2E_CONTAINERS=""
	rm -rf "$SNAPSHOTS"/stress-*
}

# --- storms ---------------------------------------------------------------------------------------

STORM_PIDS=""
# Storms run at this nice level: they keep the CPUs busy, and what the test does meanwhile (rmmod,
# insmod, the relay, intel loads) must still get a CPU under TCG.
STORM_NICE=${STORM_NICE:-19}
# storms_start TAG MODE COUNT ARGS...: `stress-storm MODE COUNT ARGS...` in every container, in the
# background; output in $E2E_TMP/storm-TAG-<n>.out.
storms_start() {
	local tag=$1 id n=0
	shift
	rm -f "$E2E_TMP"/storm-"$tag"-*.out
	for id in $IDS; do
		n=$((n + 1))
		ctr "$id" /usr/local/bin/stress-storm --nice="$STORM_NICE" "$@" \
			>"$E2E_TMP/storm-$tag-$n.out" 2>&1 &
		STORM_PIDS="$STORM_PIDS $!"
	done
}

# storm_pids: the stress-storm processes that are not a storm's own child (a child between its
# fork and its exec is still named stress-storm; signalled, it would die as a failed exec).
storm_pids() {
	# cat, not awk's own files: a process may be gone between the glob and the read
	cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 == "(stress-storm)" { ppid[$1] = $4 }
		END { for (p in ppid) if (!(ppid[p] in ppid)) print p }'
}

# storms_signal SIGNAL: SIGNAL to every storm.
storms_signal() {
	local p
	p=$(storm_pids)
	[ -z "$p" ] || kill "-$1" $p 2>/dev/null
	return 0
}

# storms_stop: SIGTERM to every storm (the counts-until-stopped ones end cleanly on it).
storms_stop() {
	storms_signal TERM
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stuck_report: what every process that is not sleeping interruptibly is doing, with its kernel stack
# (a storm that does not end is a blocked exec or mapping until shown otherwise).
stuck_report() {
	local d st
	for d in /proc/[0-9]*; do
		st=$(cut -d' ' -f3 "$d/stat" 2>/dev/null)
		case $st in D | R)
			diag "stuck? pid ${d#/proc/} $(cut -d' ' -f2-3 "$d/stat" 2>/dev/null) wchan=$(cat "$d/wchan" 2>/dev/null)"
			sed 's/^/#   /' "$d/stack" 2>/dev/null | head -n 12
			;;
		esac
	done
	for d in $(storm_pids); do
		diag "storm $d: $(cut -d' ' -f2-3 "/proc/$d/stat" 2>/dev/null) wchan=$(cat "/proc/$d/wchan" 2>/dev/null)"
		sed 's/^/#   /' "/proc/$d/stack" 2>/dev/null | head -n 12
	done
}

# storms_wait [LIMIT]: wait for every storm started since the last call. After LIMIT seconds
# (default $STORM_WAIT_LIMIT) a TAP failure, with what the stragglers are doing, and they are killed.
STORM_WAIT_LIMIT=${STORM_WAIT_LIMIT:-3000}
storms_wait() {
	local p w=0 limit=${1:-$STORM_WAIT_LIMIT} left
	while :; do
		left=""
		for p in $STORM_PIDS; do alive "$p" && left="$left $p"; done
		[ -z "$left" ] && break
		if [ "$w" -ge $((limit * 10)) ]; then
			not_ok "storms end" "$(echo $left | wc -w) storms still running after $limit s (state and stacks in the diagnostics)"
			stuck_report
			storms_signal KILL
			kill -9 $left 2>/dev/null
			break
		fi
		sleep 0.1
		w=$((w + 1))
	done
	for p in $STORM_PIDS; do wait "$p"; done
	STORM_PIDS=""
}

# The storms' result lines: "storm KIND [reached ]done=N ok=N failed=N ms=N max_us=N" (KIND exec,
# mmap, burst). SEL is KIND for the final lines, "KIND reached" for the lines at the count.
storm_lines() {
	cat "$E2E_TMP"/storm-"$1"-*.out 2>/dev/null | awk -v sel="$2" '
		BEGIN { n = split(sel, w, " ") }
		$1 == "storm" && $2 == w[1] && ((n == 1 && $3 ~ /^done=/) || (n == 2 && $3 == w[2]))'
}

# storms_sum TAG SEL FIELD: FIELD (done, ok, failed) summed over the storms of TAG.
storms_sum() {
	storm_lines "$1" "$2" | awk -v f="$3" '
		{ for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } }
		END { print s + 0 }'
}

# storms_max TAG SEL FIELD: the largest FIELD (max_us, ms) among the storms of TAG.
storms_max() {
	storm_lines "$1" "$2" | awk -v f="$3" '
		{ for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f && kv[2] + 0 > m) m = kv[2] + 0 } }
		END { print m + 0 }'
}

# storms_errors TAG: the storms' own error lines, for a failure's reason.
storms_errors() {
	cat "$E2E_TMP"/storm-"$1"-*.out | grep -v '^storm ' | sort | uniq -c | head -n 5 | tr '\n' ' '
}

# storms_check NAME TAG SEL WANT: ok when every storm of TAG printed its SEL line, none failed, and
# at least WANT operations completed in all (WANT 0: any number).
storms_check() {
	local name=$1 tag=$2 sel=$3 want=$4 done okn failed lines
	lines=$(storm_lines "$tag" "$sel" | wc -l)
	done=$(storms_sum "$tag" "$sel" done)
	okn=$(storms_sum "$tag" "$sel" ok)
	failed=$(storms_sum "$tag" "$sel" failed)
	if [ "$lines" -eq "$(echo $IDS | wc -w)" ] && [ "$failed" -eq 0 ] && [ "$okn" -eq "$done" ] &&
		[ "$okn" -ge "$want" ] && [ "$okn" -gt 0 ]; then
		ok "$name ($okn done, 0 failed; slowest $(($(storms_max "$tag" "$sel" max_us) / 1000)) ms, longest storm $(($(storms_max "$tag" "$sel" ms) / 1000)) s)"
	else
		not_ok "$name" "$okn of $done ok (want >= $want), $failed failed, $lines of $(echo $IDS | wc -w) storms reported: $(storms_errors "$tag")"
	fi
}

# --- memory ---------------------------------------------------------------------------------------

PEAK_PID=""
# peak_start FILE CACHE...: sample kernel memory in the background until peak_stop.
peak_start() {
	local out=$1
	shift
	"$STRESS_BIN/stress-peak" 20 "$@" >"$out" 2>&1 &
	PEAK_PID=$!
}

peak_stop() {
	[ -n "$PEAK_PID" ] || return 0
	kill -TERM "$PEAK_PID" 2>/dev/null
	wait "$PEAK_PID" 2>/dev/null
	PEAK_PID=""
}

# slab_shrink CACHE: ask the slab allocator to shrink CACHE (with KASAN, this also returns
# CACHE's objects waiting in the quarantine). Always true: a kernel without the file is fine.
slab_shrink() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	return 0
}

# peak_val FILE WHAT FIELD: from stress-peak's report, FIELD of the line for cache WHAT (or of
# the meminfo line when WHAT is meminfo).
peak_val() {
	awk -v w="$2" -v f="$3" '
		$1 == "peak" && ($2 == "cache=" w || $2 == w) {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] }
		}' "$1" | head -n 1
}

# stress_end NAME: stop the relay, unload the module (a TAP case), say how long NAME took, finish.
stress_end() {
	relay_stop
	if rmmod whorl && ! grep -q '^whorl ' /proc/modules; then
		ok "module unloads at the end, nothing left in /proc/modules"
	else
		not_ok "module unloads at the end" "rmmod failed or whorl still listed"
	fi
	diag "$1 total $(elapsed "$STARTED") s"
	finish
}

# stress_begin: note the start (for stress_end) and put the stress programs in the image, or finish.
stress_begin() {
	STARTED=$(now)
	if ! stress_layer; then
		not_ok "stress programs in the image" "copying $STRESS_BIN failed"
		finish
	fi
}
