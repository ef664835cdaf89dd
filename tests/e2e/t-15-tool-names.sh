#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-15-tool-names.sh - known attack and reconnaissance tools by their name (basename rules in intel):
# peirates -> Execution: Kubernetes Attack Tool Execution, amicontained -> Execution: Local
# Reconnaissance Tool Execution.
. /e2e/lib.sh
setup

# tool NAME RUNTIME STYLE TOOL INTEL-CATEGORY LABEL CATEGORY
tool() {
	start "$1" "$2" "$3" || return
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" "/usr/local/bin/$4"
	from=$(mark)
	ctr "$C_ID" "/usr/local/bin/$4" --help >/dev/null
	expect_finding "$1: tool_named_$4_reports_$5" "$from" \
		"$(printf 'category\t%s\nintel.category\t%s\nintel.label\t%s\nprocesses.0.name\t%s\n' "$7" "$5" "$6" "$4"
		file_fields processes.0.binary "/usr/local/bin/$4" "$E2E_DATA/hello"
		args_fields "/usr/local/bin/$4" --help
		container_fields)" \
		"category=$(q "$7")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

k8s_attack() { tool "$3" "$1" "$2" peirates k8s-attack Peirates "Execution: Kubernetes Attack Tool Execution"; }
recon() { tool "$3" "$1" "$2" amicontained recon amicontained "Execution: Local Reconnaissance Tool Execution"; }

for_each_run k8s_attack
for_each_run recon
finish
