#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-47-adv-big-files.sh - size is no hiding place, and no way to buy the host's CPU:
# - the implant grown to 1 GiB (sparse: `truncate -s`, free for the attacker) is hashed whole and
#   matches intel (the debug kernels, several times slower, grow it to 160 MiB: past the old
#   128 MiB prefix bound all the same);
# - a container that makes the module hash more than its budget (hash_budget_mb per minute) gets
#   its next file reported as unfingerprintable, with the reason, not hashed; another container's
#   attack is still reported with its hash.
. /e2e/adv-lib.sh
# a hash of 1 GiB under TCG: this wait detects a hang, it does not time anything
FINDING_TIMEOUT=${BIG_FINDING_TIMEOUT:-900}
if [ "${WHORL_DEBUG:-0}" = 1 ]; then
	BIG=167772160 BIG_LABEL=adversary-implant-160m
else
	BIG=1073741824 BIG_LABEL=adversary-implant-1g
fi
UNHASHABLE="Defense Evasion: Unfingerprintable Executable"
adv_setup

grown_implant() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant-big
	check "$3: implant_grown_to_$BIG" ctr "$C_ID" /tmp/adv grow /tmp/implant-big "$BIG"
	from=$(mark)
	ctr "$C_ID" /tmp/implant-big >/dev/null 2>&1
	expect_finding "$3: implant_of_${BIG}_bytes_is_hashed_whole_and_matches" "$from" \
		"$(printf 'category\t%s\nlayer\tadded\nintel.label\t%s\n' "$ADDED_BINARY" "$BIG_LABEL"
		printf 'processes.0.binary.size\t%s\nprocesses.0.binary.hashedSize\t%s\n' "$BIG" "$BIG"
		printf 'processes.0.binary.partiallyHashed\tfalse\n'
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant-big"
	container_remove "$C_ID"
}

over_budget() {
	local flooder flooder_cg mine theirs
	start "$3" "$1" "$2" || return
	flooder=$C_ID
	ctr_copy_in "$flooder" "$ADV/adv" /tmp/adv
	# three 16 MiB files against a 40 MiB budget: the third is not hashed
	for i in 1 2 3; do
		ctr_copy_in "$flooder" "$ADV/adv" "/tmp/flood$i.so"
		ctr "$flooder" /tmp/adv grow "/tmp/flood$i.so" 16777216
	done
	from=$(mark)
	for i in 1 2 3; do
		ctr "$flooder" /tmp/adv map "/tmp/flood$i.so" >/dev/null 2>&1
	done
	expect_finding "$3: file_past_the_budget_is_reported_unfingerprintable" "$from" \
		"$(printf 'category\t%s\nfingerprintError.reason\t%s\n' "$UNHASHABLE" \
			"its container's hashing budget for this minute is spent"
		container_fields)" \
		"containers.0.id=$flooder" "category=$(q "$UNHASHABLE")"
	flooder_cg=$C_CGROUP
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	from=$(mark)
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1
	expect_finding "$3: another_containers_attack_is_still_hashed_and_reported" "$from" \
		"$(implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant"
	mine=$(container_stat "$flooder_cg" hashOverBudget) || mine=""
	theirs=$(container_stat "$C_CGROUP" hashOverBudget) || theirs=""
	if [ -n "$mine" ] && [ "$mine" -gt 0 ] && [ "$theirs" = 0 ]; then
		ok "$3: status_charges_the_refusal_to_the_container_over_budget (it $mine, other 0)"
	else
		not_ok "$3: status_charges_the_refusal_to_the_container_over_budget" "it '$mine', other '$theirs'"
	fi
	container_remove "$C_ID"
	container_remove "$flooder"
}

for_each_run grown_implant
whorl_unload
relay_stop
adv_setup hash_max=16777216 hash_budget_mb=40
for_each_run over_budget
finish
