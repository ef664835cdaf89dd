#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-11-container-escape.sh - an escape tool brought into a container and run -> Execution: Container
# Escape; known by its hash (container-escape intel) and, renamed copies aside, by its tool name.
. /e2e/lib.sh
setup
CATEGORY="Execution: Container Escape"

escape_tool_by_hash() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$E2E_DATA/escape" /tmp/.x
	from=$(mark)
	ctr "$C_ID" /tmp/.x --scan >/dev/null
	expect_finding "$3: escape_tool_in_intel_reports_container_escape" "$from" \
		"$(printf 'category\t%s\nlayer\tadded\nprocesses.0.name\t.x\n' "$CATEGORY"
		file_fields processes.0.binary /tmp/.x "$E2E_DATA/escape"
		intel_fields container-escape escape-tool "$(sha256_of "$E2E_DATA/escape")"
		args_fields /tmp/.x --scan
		container_fields)" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

# CDK by name: the file's hash is in no intel set, the basename rule "cdk" is.
escape_tool_by_name() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /usr/local/bin/cdk
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/cdk evaluate --full >/dev/null
	expect_finding "$3: tool_named_cdk_reports_container_escape" "$from" \
		"$(printf 'category\t%s\nlayer\tadded\nintel.category\tcontainer-escape\nintel.label\tCDK\n' "$CATEGORY"
		file_fields processes.0.binary /usr/local/bin/cdk "$E2E_DATA/hello"
		args_fields /usr/local/bin/cdk evaluate --full
		container_fields)" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

for_each_run escape_tool_by_hash
for_each_run escape_tool_by_name
finish
