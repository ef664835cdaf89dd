#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-13-malicious-libraries.sh - libraries whose hash is in intel: one dropped into the container and
# loaded (Added Malicious Library Loaded), and the image's own liblzma once intel lists it, as the
# xz 5.6.0/5.6.1 images were (Built in Malicious Library Loaded).
. /e2e/lib.sh
setup --intel "$E2E_DATA/intel/image-liblzma.intel"
SHIM=$E2E_DATA/libsystemd-shim.so

added() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$SHIM" /tmp/libsystemd-shim.so 0644
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/probe dlopen /tmp/libsystemd-shim.so >/dev/null 2>&1
	expect_finding "$3: added_library_in_intel_reports_added_malicious_library" "$from" \
		"$(printf 'category\tExecution: Added Malicious Library Loaded\nlayer\tadded\n'
		printf 'processes.0.binary.path\t/usr/local/bin/probe\n'
		file_fields processes.0.libraries.0 /tmp/libsystemd-shim.so "$SHIM"
		intel_fields malicious evil-preload "$(sha256_of "$SHIM")"
		args_fields /usr/local/bin/probe dlopen /tmp/libsystemd-shim.so
		container_fields)" \
		"category=$(q "Execution: Added Malicious Library Loaded")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

builtin() {
	local image_lzma=$SNAPSHOTS/2/fs$LIBLZMA
	start "$3" "$1" "$2" || return
	from=$(mark)
	ctr "$C_ID" /usr/bin/xz --version >/dev/null
	expect_finding "$3: image_library_in_intel_reports_built_in_malicious_library" "$from" \
		"$(printf 'category\tExecution: Built in Malicious Library Loaded\nlayer\timage\n'
		printf 'processes.0.binary.path\t/usr/bin/xz\n'
		file_fields processes.0.libraries.0 "$LIBLZMA" "$image_lzma"
		intel_fields malicious xz-5.6-backdoor-in-image "$(sha256_of "$image_lzma")"
		args_fields /usr/bin/xz --version
		container_fields)" \
		"category=$(q "Execution: Built in Malicious Library Loaded")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

for_each_run added
for_each_run builtin
finish
