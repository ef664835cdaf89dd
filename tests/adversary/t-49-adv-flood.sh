#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-49-adv-flood.sh - one container cannot blind the host: with a small queue (queue_max=64), a
# container that changes and maps files executable as fast as it can, every mapping new content
# to hash, holds at most its share of the queue (a quarter); another container's attack, run
# during the flood, is still reported with its hash, and the flooder's overflow is counted
# (workOverShare), against the flooder's own line in `whorl status`, not the other's.
. /e2e/adv-lib.sh
FINDING_TIMEOUT=${FLOOD_FINDING_TIMEOUT:-600}	# a hang detector, not a latency bound
adv_setup queue_max=64

flood() {
	local flooder flooder_cg floodpid s0 s1 mine theirs
	start "$3" "$1" "$2" || return
	flooder=$C_ID
	flooder_cg=$C_CGROUP
	ctr_copy_in "$flooder" "$ADV/adv" /tmp/adv
	ctr "$flooder" /usr/bin/mkdir -p /tmp/fl
	s0=$(status_get counters.workOverShare) || s0=0
	ctr "$flooder" /tmp/adv flood /tmp/fl 32 262144 60 >"$E2E_TMP/flood.out" 2>&1 &
	floodpid=$!
	sleep 5
	start "$3" "$1" "$2" || { kill "$floodpid"; return; }
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	from=$(mark)
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1
	expect_finding "$3: attack_in_another_container_is_reported_during_a_flood" "$from" \
		"$(implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant"
	s1=$(status_get counters.workOverShare) || s1=0
	if [ "$s1" -gt "$s0" ]; then
		ok "$3: the flooders_overflow_is_counted_against_its_share (workOverShare +$((s1 - s0)))"
	else
		not_ok "$3: the flooders_overflow_is_counted_against_its_share" "workOverShare $s0 -> $s1: the flood never filled its share ($(cat "$E2E_TMP/flood.out"))"
	fi
	mine=$(container_stat "$flooder_cg" workOverShare) || mine=""
	theirs=$(container_stat "$C_CGROUP" workOverShare) || theirs=""
	if [ -n "$mine" ] && [ "$mine" -gt 0 ] && [ "$theirs" = 0 ]; then
		ok "$3: status_charges_the_overflow_to_the_flooder (flooder $mine, other 0)"
	else
		not_ok "$3: status_charges_the_overflow_to_the_flooder" "flooder '$mine', other '$theirs': $("$WHORL" status --json | tr -d '\n' | sed 's/.*"containers"/"containers"/' | cut -c1-400)"
	fi
	container_remove "$C_ID"
	container_remove "$flooder"
	wait "$floodpid"
	diag "$(cat "$E2E_TMP/flood.out")"
}

for_each_run flood
finish
