#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-46-adv-unhashable.sh - executable content that cannot be fingerprinted is reported, never just
# counted: a library appended to without pause (so that every read of it sees a change) and
# mapped executable is reported as "Defense Evasion: Unfingerprintable Executable" with the
# reason; in enforce mode the process that mapped it is killed.
. /e2e/adv-lib.sh
adv_setup
UNHASHABLE="Defense Evasion: Unfingerprintable Executable"

kept_changing() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	# a few MiB, so that one read of it takes long enough to see an append
	cat "$ADV/implant" "$ADV/implant" "$ADV/implant" "$ADV/implant" >"$E2E_TMP/big.so"
	ctr_copy_in "$C_ID" "$E2E_TMP/big.so" /tmp/libchurn.so
	ctr "$C_ID" /tmp/adv churn /tmp/libchurn.so 120 &
	churner=$!
	wait_ctr_cmd "$C_CGROUP" "/tmp/adv churn"
	sleep 1	# and has begun to append
	from=$(mark)
	ctr "$C_ID" /tmp/adv map /tmp/libchurn.so >/dev/null 2>&1
	if expect_finding "$3: library_that_keeps_changing_is_reported_unfingerprintable" "$from" \
		"$(printf 'category\t%s\neventType\tmmap\nprocesses.0.libraries.0.path\t/tmp/libchurn.so\n' "$UNHASHABLE"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.libraries.0.path=/tmp/libchurn.so"; then
		# Either is the truth for a file written without pause: every read saw a change
		# (EAGAIN), or a write was still in progress each time it looked (EBUSY; seen on a
		# loaded host, where the churner is caught mid-write more often).
		reason=$(field fingerprintError.reason) || reason="<absent>"
		case $reason in
		"the file kept changing while it was read" | "a change to the file stayed in progress")
			ok "$3: the reason says the file kept changing ($reason)" ;;
		*) not_ok "$3: the reason says the file kept changing" "got '$reason'" ;;
		esac
	fi
	"$WHORL" config --mode enforce >/dev/null
	from=$(mark)
	ctr "$C_ID" /tmp/adv map /tmp/libchurn.so 60 >/dev/null 2>&1
	expect_finding "$3: enforce_kills_the_mapper_of_unfingerprintable_content" "$from" \
		"$(printf 'category\t%s\naction\tkilled\n' "$UNHASHABLE")" \
		"containers.0.id=$C_ID" "processes.0.libraries.0.path=/tmp/libchurn.so" "action=killed"
	"$WHORL" config --mode detect >/dev/null
	kill "$churner" 2>/dev/null
	container_remove "$C_ID"
	wait "$churner"
}

for_each_run kept_changing
finish
