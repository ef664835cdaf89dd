#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-40-adv-exec-chain.sh - hiding the real program behind its exec: five #! wrappers, each the
# interpreter of the one before, put the implant at the kernel's sixth and last binfmt pass; and
# failed execs (ENOEXEC) in the same task, whose parked files an exec at the same bprm address
# could inherit. Either way the file the exec finally runs is fingerprinted and reported.
. /e2e/adv-lib.sh
adv_setup

wrappers() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	prev=/tmp/implant
	for i in 5 4 3 2 1; do
		printf '#!%s\n' "$prev" >"$E2E_TMP/w$i"
		ctr_copy_in "$C_ID" "$E2E_TMP/w$i" "/tmp/w$i"
		prev=/tmp/w$i
	done
	from=$(mark)
	ctr "$C_ID" /tmp/w1 >"$E2E_TMP/out" 2>&1
	printed "$3: five_wrappers_run_the_implant" "$E2E_TMP/out" 'usage: adv'
	expect_finding "$3: implant_behind_five_wrappers_is_reported" "$from" \
		"$(implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant"
	container_remove "$C_ID"
}

failed_execs_first() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant2
	# not a format any binfmt knows: execve fails with ENOEXEC after the hook saw it
	head -c 4096 /dev/urandom | tr -d '#' >"$E2E_TMP/junk"
	ctr_copy_in "$C_ID" "$E2E_TMP/junk" /tmp/junk
	from=$(mark)
	ctr "$C_ID" /tmp/adv exec-after-failures /tmp/junk 8 /tmp/implant2 >"$E2E_TMP/out" 2>&1
	printed "$3: implant_runs_after_eight_failed_execs" "$E2E_TMP/out" 'usage: adv'
	expect_finding "$3: implant_after_failed_execs_is_reported" "$from" \
		"$(implant_fields /tmp/implant2 added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant2"
	container_remove "$C_ID"
}

for_each_run wrappers
for_each_run failed_execs_first
finish
