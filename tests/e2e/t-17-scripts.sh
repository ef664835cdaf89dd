#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-17-scripts.sh - a #! script dropped into a container names a dropped, tampered shell as its
# interpreter: one exec runs both files, and each is fingerprinted and reported on its own hash
# (Execution: Added Malicious Binary Executed twice), with the argv the kernel built for it.
. /e2e/lib.sh
setup
CATEGORY="Execution: Added Malicious Binary Executed"
SCRIPT=$E2E_DATA/dropper
SHELL_COPY=$E2E_DATA/ish

# expect_added NAME FROM PATH HOSTFILE LABEL: the finding for one of the two files.
expect_added() {
	expect_finding "$1" "$2" \
		"$(printf 'category\t%s\nlayer\tadded\nprocesses.0.name\tdropper\n' "$CATEGORY"
		file_fields processes.0.binary "$3" "$4"
		intel_fields malicious "$5" "$(sha256_of "$4")"
		args_fields /tmp/.ish /tmp/dropper --stage2
		container_fields)" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID" "processes.0.binary.path=$3"
}

script_and_interpreter() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$SHELL_COPY" /tmp/.ish
	ctr_copy_in "$C_ID" "$SCRIPT" /tmp/dropper
	from=$(mark)
	out=$(ctr "$C_ID" /tmp/dropper --stage2)
	if [ "$out" = "dropped --stage2" ]; then
		ok "$3: dropped script runs through its interpreter"
	else
		not_ok "$3: dropped script runs through its interpreter" "printed '$out'"
	fi
	expect_added "$3: script_in_intel_reports_added_malicious_binary" "$from" \
		/tmp/dropper "$SCRIPT" dropper-script
	expect_added "$3: interpreter_in_intel_reports_added_malicious_binary" "$from" \
		/tmp/.ish "$SHELL_COPY" tampered-shell
	container_remove "$C_ID"
}

for_each_run script_and_interpreter
finish
