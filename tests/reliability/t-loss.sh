#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-loss.sh - loss accounting: with the relay stopped, a container maps an added library until the
# relay's receive buffer overflows; then every finding the kernel produced was delivered or counted
# as dropped, and the gaps the relay saw in the sequence numbers are the kernel's drops.
#
# The relay runs with a 256 KiB receive buffer (--rcvbuf), which a hundred-odd findings fill: the
# default 16 MiB holds some 7700, more than the debug kernels produce in a test's time. Mappings,
# not execs: an mmap(PROT_EXEC) of an added file is a finding too (Added Library Loaded) for the
# price of a system call.
#
# Knobs on the kernel command line (run.sh -A): whorl.loss_batch (mappings between two looks at
# the drop counter, default 500), whorl.loss_max (mappings before giving up, default 60000).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rlib.sh"

BATCH=$(param loss_batch) || BATCH=500
MAX=$(param loss_max) || MAX=60000
# Long paths (under WHORL_PATH_MAX) and a 1 KiB argv make each finding a full-sized message.
SEG=0000000000000000000000000000000000000000
DIR=/tmp/whorl-loss/$SEG/$SEG/$SEG/$SEG/$SEG/$SEG/$SEG/$SEG/$SEG
SPAWN=$DIR/whorl-spawn
LIB=$DIR/libwhorl-loss.so
FILL=$SEG$SEG$SEG-padding-to-fill-the-argv-the-kernel-keeps
FILLER="$FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL $FILL"

# counters FILE: emitted delivered dropped unheard of a saved status, on one line.
counters() {
	echo "$(jfield "$1" counters.findingsEmitted) $(jfield "$1" counters.findingsDelivered)" \
		"$(jfield "$1" counters.findingsDropped) $(jfield "$1" counters.findingsUnheard)"
}

# settle: wait until the kernel has worked through what the hooks queued (the counters stop
# moving between two looks 2 s apart); leaves the last status in $E2E_TMP/st.json.
settle() {
	local prev="" now i
	for i in $(seq 1 150); do
		status_save "$E2E_TMP/st.json" || return 1
		# Container counters only: the host's own execs (this loop's) move hookExec.
		now="$(counters "$E2E_TMP/st.json") $(jfield "$E2E_TMP/st.json" counters.workQueued)"
		now="$now $(jfield "$E2E_TMP/st.json" counters.containerEvents)"
		[ "$now" = "$prev" ] && return 0
		prev=$now
		sleep 2
	done
	return 1
}

# seen WORD: findings so far whose args hold WORD.
seen() {
	grep -c -F "\"$1\"" "$FINDINGS"
}

# wait_seen WORD: has a finding with WORD reached the relay's output? (with wait_progress)
wait_seen() {
	[ "$(seen "$1")" -gt 0 ]
}

# Keep a few findings for the data channel (finish copies $FINDINGS there); thousands would
# only slow the serial line down.
trim_findings() {
	[ -f "$FINDINGS" ] || return 0
	mv "$FINDINGS" "$E2E_TMP/$E2E_NAME.all.jsonl"
	{ head -n 2 "$E2E_TMP/$E2E_NAME.all.jsonl"; tail -n 2 "$E2E_TMP/$E2E_NAME.all.jsonl"; } >"$FINDINGS"
}

bail() {
	not_ok "$1" "$2"
	trim_findings
	finish
}

# dedup_ms=0: every exec is a finding, none suppressed.
whorl_load dedup_ms=0 || bail "module loads with dedup_ms=0" "insmod $WHORL_KO dedup_ms=0 failed"
ok "module loads with dedup_ms=0"
start "loss" runc docker || finish
# The load generator, and any file to map (a copy of it), added to the container at run time.
ctr "$C_ID" /bin/mkdir -p "$DIR" && ctr_copy_in "$C_ID" "$REL_BIN/whorl-spawn" "$SPAWN" &&
	ctr_copy_in "$C_ID" "$REL_BIN/whorl-spawn" "$LIB" 0644 ||
	bail "the load generator is copied into the container" "mkdir or copy failed"
relay_start --enable added-library --rcvbuf 262144 || bail "relay starts with added-library enabled" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
ok "relay starts with added-library enabled"

ctr "$C_ID" "$SPAWN" -m 1 "$LIB" warm-up >/dev/null 2>&1
if wait_progress wait_seen warm-up; then
	ok "a mapping of the added library reaches the relay"
else
	bail "a mapping of the added library reaches the relay" "no finding with 'warm-up' (waited ${WAITED}s, the last ${FINDING_TIMEOUT}s without progress): $(tail -c 600 "$FINDINGS")"
fi

# The relay stops reading; the kernel never waits for it.
kill -STOP "$RELAY_PID"
maps=0
dropped=0
started=$(cut -d. -f1 /proc/uptime)
while [ "$dropped" -eq 0 ] && [ "$maps" -lt "$MAX" ]; do
	ctr "$C_ID" "$SPAWN" -m "$BATCH" "$LIB" $FILLER >/dev/null 2>"$E2E_TMP/spawn.err" ||
		diag "spawn: $(tail -n 1 "$E2E_TMP/spawn.err")"
	maps=$((maps + BATCH))
	settle || diag "the counters kept moving"
	dropped=$(jfield "$E2E_TMP/st.json" counters.findingsDropped) || dropped=0
	diag "after $maps mappings: emitted delivered dropped unheard = $(counters "$E2E_TMP/st.json"), work dropped $(jfield "$E2E_TMP/st.json" counters.workDropped)"
done
diag "flood: $maps mappings in $(($(cut -d. -f1 /proc/uptime) - started)) s"
kill -CONT "$RELAY_PID"
if [ "$dropped" -gt 0 ]; then
	ok "the kernel dropped findings while the relay was stopped"
else
	not_ok "the kernel dropped findings while the relay was stopped" \
		"none dropped after $maps mappings: the relay's buffer held them all (raise whorl.loss_max)"
fi

# Let the relay drain, then one last finding: it shows the relay any gap at the very end.
status_save "$E2E_TMP/st.json"
delivered=$(jfield "$E2E_TMP/st.json" counters.findingsDelivered)
drain=$(cut -d. -f1 /proc/uptime)
for i in $(seq 1 600); do
	[ "$(wc -l <"$FINDINGS")" -ge "$delivered" ] && break
	sleep 1
done
diag "the relay took $(($(cut -d. -f1 /proc/uptime) - drain)) s to write $delivered findings"
ctr "$C_ID" "$SPAWN" -m 1 "$LIB" last-one >/dev/null 2>&1
wait_progress wait_seen last-one || diag "the last finding did not reach the relay"
settle || diag "the counters kept moving"
cp "$E2E_TMP/st.json" "$E2E_TMP/final.json"
cp "$E2E_TMP/st.json.flat" "$E2E_TMP/final.json.flat"
set -- $(counters "$E2E_TMP/final.json")
emitted=$1 delivered=$2 dropped=$3 unheard=$4
relay_stop
summary=$(grep 'relay stopped:' "$E2E_TMP/relay.err" | tail -n 1)
written=$(echo "$summary" | sed -n 's/.*stopped: \([0-9]*\) finding(s) written, \([0-9]*\) lost.*/\1/p')
lost=$(echo "$summary" | sed -n 's/.*written, \([0-9]*\) lost by the kernel.*/\1/p')
gaps=$(sed -n 's/^whorl: \([0-9]*\) finding(s) lost by the kernel before sequence.*/\1/p' \
	"$E2E_TMP/relay.err" | awk '{ s += $1 } END { print s + 0 }')
lines=$(wc -l <"$FINDINGS" | tr -d ' ')
lastseq=$(tail -n 1 "$FINDINGS" | sed -n 's/.*"sequence":\([0-9]*\).*/\1/p')
diag "kernel: emitted $emitted delivered $delivered dropped $dropped unheard $unheard"
diag "relay: $summary; gap reports add to $gaps; $lines lines; last sequence $lastseq"
diag "relay saw ENOBUFS $(grep -c 'receive buffer overrun' "$E2E_TMP/relay.err") time(s)"

# eq NAME A B: a case, A = B (both numbers).
eq() {
	if [ -n "$2" ] && [ -n "$3" ] && [ "$2" -eq "$3" ]; then
		ok "$1 ($2)"
	else
		not_ok "$1" "'$2' != '$3'"
	fi
}
eq "every emitted finding was delivered or counted dropped (emitted = delivered + dropped)" \
	"$emitted" "$((delivered + dropped))"
eq "no finding went unheard while the relay was subscribed" "$unheard" 0
eq "the relay counted as lost what the kernel dropped" "$lost" "$dropped"
eq "the relay's gap reports add up to its total" "$gaps" "$lost"
eq "the relay wrote every delivered finding" "$written" "$delivered"
eq "the relay's output holds every delivered finding" "$lines" "$delivered"
eq "the last sequence number counts delivered and dropped" "$lastseq" "$((delivered + dropped))"
trim_findings
finish
