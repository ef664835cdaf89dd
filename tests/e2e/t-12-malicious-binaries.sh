#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-12-malicious-binaries.sh - a binary whose hash is in intel, run from each place it can come from:
# dropped into the container (added), written over an image binary (modified), shipped in the
# image (built in). Each names its own category and layer.
. /e2e/lib.sh
setup
MINER=$E2E_DATA/kworkerd
MINER_SHA=$(sha256_of "$MINER")

# expect_miner NAME FROM CATEGORY LAYER PATH ARG...
expect_miner() {
	local name=$1 from=$2 category=$3 layer=$4 path=$5
	shift 5
	expect_finding "$name" "$from" \
		"$(printf 'category\t%s\nlayer\t%s\n' "$category" "$layer"
		[ "$layer" = modified ] && printf 'contentChanged\ttrue\n'
		file_fields processes.0.binary "$path" "$MINER"
		intel_fields malicious xmrig-miner "$MINER_SHA"
		args_fields "$@"
		container_fields)" \
		"category=$(q "$category")" "containers.0.id=$C_ID"
}

added() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$MINER" /tmp/kworkerd
	from=$(mark)
	ctr "$C_ID" /tmp/kworkerd -o stratum+tcp://pool.invalid:3333 >/dev/null
	expect_miner "$3: added_binary_in_intel_reports_added_malicious_binary" "$from" \
		"Execution: Added Malicious Binary Executed" added /tmp/kworkerd \
		/tmp/kworkerd -o stratum+tcp://pool.invalid:3333
	container_remove "$C_ID"
}

modified() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$MINER" /usr/bin/id
	from=$(mark)
	ctr "$C_ID" /usr/bin/id -u >/dev/null
	expect_miner "$3: image_binary_overwritten_by_intel_binary_reports_modified_malicious_binary" \
		"$from" "Execution: Modified Malicious Binary Executed" modified /usr/bin/id /usr/bin/id -u
	container_remove "$C_ID"
}

builtin() {
	start "$3" "$1" "$2" || return
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/kworkerd --background >/dev/null
	expect_miner "$3: image_binary_in_intel_reports_built_in_malicious_binary" "$from" \
		"Execution: Built in Malicious Binary Executed" image /usr/local/bin/kworkerd \
		/usr/local/bin/kworkerd --background
	container_remove "$C_ID"
}

for_each_run added
for_each_run modified
for_each_run builtin
finish
