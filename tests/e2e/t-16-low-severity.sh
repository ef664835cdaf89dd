#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-16-low-severity.sh - Added Binary Executed and Added Library Loaded: silent while off (the
# default), reported once switched on, for files in no intel set.
. /e2e/lib.sh
setup
HELLO=$E2E_DATA/hello

low() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$HELLO" /usr/local/bin/report-gen
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/report-gen >/dev/null
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	expect_silence "$3: benign_added_binary_silent_while_low_severity_off" "$from" \
		"containers.0.id=$C_ID" "$NOT_SENTINEL"

	check "$3: whorl config enables the low-severity kinds" low_severity on
	ctr_copy_in "$C_ID" "$HELLO" /usr/local/bin/report-gen2
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/report-gen2 --daily >/dev/null
	expect_finding "$3: added_binary_reported_when_enabled" "$from" \
		"$(printf 'category\tAdded Binary Executed\nseverity\tLOW\nlayer\tadded\n'
		file_fields processes.0.binary /usr/local/bin/report-gen2 "$HELLO"
		args_fields /usr/local/bin/report-gen2 --daily
		container_fields)" \
		"category=$(q "Added Binary Executed")" "containers.0.id=$C_ID"

	# A benign library, copied inside the container from the image's own libacl, then loaded.
	ctr "$C_ID" /bin/cp /usr/lib/x86_64-linux-gnu/libacl.so.1.1.2301 /tmp/libacl-copy.so
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/probe dlopen /tmp/libacl-copy.so >/dev/null
	expect_finding "$3: added_library_reported_when_enabled" "$from" \
		"$(printf 'category\tAdded Library Loaded\nseverity\tLOW\nlayer\tadded\n'
		printf 'processes.0.binary.path\t/usr/local/bin/probe\n'
		file_fields processes.0.libraries.0 /tmp/libacl-copy.so \
			"$SNAPSHOTS/1/fs/usr/lib/x86_64-linux-gnu/libacl.so.1.1.2301"
		container_fields)" \
		"category=$(q "Added Library Loaded")" "containers.0.id=$C_ID"
	check "$3: whorl config disables the low-severity kinds" low_severity off
	container_remove "$C_ID"
}

for_each_run low
finish
