#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-14-fileless.sh - code run without a file on the container's filesystem: an ELF written to a memfd
# and fexecve'd, and a binary run from /dev/shm -> Execution: Fileless Execution. No intel needed.
. /e2e/lib.sh
setup
CATEGORY="Execution: Fileless Execution in /memfd:"
HELLO_SHA=$(sha256_of "$E2E_DATA/hello")

memfd() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /tmp/stage
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/probe memfd-exec /tmp/stage --beacon >/dev/null
	if expect_finding "$3: memfd_exec_reports_fileless_execution" "$from" \
		"$(printf 'category\t%s\nlayer\tfileless\nprocesses.0.binary.sha256\t%s\n' "$CATEGORY" "$HELLO_SHA"
		args_fields /tmp/stage --beacon
		container_fields)" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID"; then
		case $(field processes.0.binary.path) in
		/memfd:payload*) ok "$3: fileless path names the memfd" ;;
		*) not_ok "$3: fileless path names the memfd" "path '$(field processes.0.binary.path)'" ;;
		esac
	fi
	container_remove "$C_ID"
}

# /dev/shm is noexec in Docker; a pod mounting a memory emptyDir there makes it executable.
devshm() {
	SHM_EXEC="exec"
	start "$3" "$1" "$2" || return
	SHM_EXEC="noexec"
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /dev/shm/.k
	from=$(mark)
	ctr "$C_ID" /dev/shm/.k >/dev/null
	expect_finding "$3: dev_shm_exec_reports_fileless_execution" "$from" \
		"$(printf 'category\t%s\nlayer\tfileless\nprocesses.0.binary.path\t/dev/shm/.k\n' "$CATEGORY"
		printf 'processes.0.binary.sha256\t%s\n' "$HELLO_SHA"
		args_fields /dev/shm/.k
		container_fields)" \
		"processes.0.binary.path=/dev/shm/.k" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

for_each_run memfd
for_each_run devshm
finish
