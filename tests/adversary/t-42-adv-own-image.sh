#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-42-adv-own-image.sh - a program's own file is skipped only while its exec maps it: mapped
# executable again afterwards (as a process that pointed exe_file at a library with
# PR_SET_MM_MAP would), it is judged like any library.
. /e2e/adv-lib.sh
adv_setup
SELF_SHA=$(sha256_of "$ADV/selfmapper")

selfmap() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/selfmapper" /tmp/selfmapper
	from=$(mark)
	check "$3: program_maps_its_own_file" ctr "$C_ID" /tmp/selfmapper selfmap
	expect_finding "$3: own_file_mapped_after_exec_is_reported_as_a_library" "$from" \
		"$(printf 'category\tExecution: Added Malicious Library Loaded\nlayer\tadded\neventType\tmmap\n'
		file_fields processes.0.libraries.0 /tmp/selfmapper "$ADV/selfmapper"
		intel_fields malicious adversary-selfmapper "$SELF_SHA"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.libraries.0.path=/tmp/selfmapper"
	container_remove "$C_ID"
}

for_each_run selfmap
finish
