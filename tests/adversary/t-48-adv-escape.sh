#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-48-adv-escape.sh - leaving the container for the host's root is itself the finding: from a
# privileged container in the host's pid namespace (hostPID), a process that enters pid 1's mount
# namespace (nsenter -t 1 -m) or chroots into /proc/1/root and runs a host program is reported as
# Execution: Container Escape (escapedToHost), attributed to its container; the runtime starting
# that container and its own processes inside it stay silent.
. /e2e/adv-lib.sh
adv_setup
ESCAPE="Execution: Container Escape"

escapes() {
	local from0
	from0=$(mark)
	CONFIG_TEMPLATE=$E2E_DATA/config-hostpid.json.in
	start "$3" "$1" "$2" || { CONFIG_TEMPLATE=; return; }
	CONFIG_TEMPLATE=
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr "$C_ID" /bin/sh -c 'ls / >/dev/null; id >/dev/null'
	barrier "$C_ID"
	expect_silence "$3: hostpid_container_and_its_own_processes_are_no_escape" "$from0" \
		"category=$(q "$ESCAPE")"
	from=$(mark)
	ctr "$C_ID" /tmp/adv nsenter-host /usr/bin/xz --version >"$E2E_TMP/out" 2>&1
	check "$3: nsenter_into_the_hosts_mount_namespace_runs_a_host_program" grep -q 'xz (XZ Utils)' "$E2E_TMP/out"
	expect_finding "$3: program_run_in_the_hosts_mount_namespace_is_a_container_escape" "$from" \
		"$(printf 'category\t%s\nescapedToHost\ttrue\nprocesses.0.binary.path\t/usr/bin/xz\n' "$ESCAPE"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/usr/bin/xz"
	from=$(mark)
	ctr "$C_ID" /tmp/adv chroot-host /usr/bin/whorl --version >"$E2E_TMP/out" 2>&1
	check "$3: chroot_into_the_hosts_root_runs_a_host_program" grep -qi 'whorl' "$E2E_TMP/out"
	expect_finding "$3: program_run_on_the_hosts_root_is_a_container_escape" "$from" \
		"$(printf 'category\t%s\nescapedToHost\ttrue\nprocesses.0.binary.path\t/usr/bin/whorl\n' "$ESCAPE"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/usr/bin/whorl"
	container_remove "$C_ID"
}

for_each_run escapes
finish
