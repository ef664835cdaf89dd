#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-20-silence.sh - what must not be reported: a container's own start (runc/crun init and runc's
# /memfd:runc_cloned self-exec), unmodified image libraries and binaries, intel-listed tools run by
# host processes outside any container, a non-executable mapping of a listed library, a tampered
# library copied in but never loaded, and a modified library whose hash is in no intel set.
# Every silence is proven by a barrier finding seen after it.
. /e2e/lib.sh
setup

quiet() {
	# Container start with every kind switched on, low severity included.
	low_severity on || not_ok "$3: low-severity kinds on" "whorl config failed"
	from=$(mark)
	start "$3" "$1" "$2" || return
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	expect_silence "$3: container_start_is_silent" "$from" "$NOT_SENTINEL"
	low_severity off || not_ok "$3: low-severity kinds off" "whorl config failed"

	# The image's own software, as shipped.
	from=$(mark)
	ctr "$C_ID" /usr/bin/xz --version >/dev/null
	ctr "$C_ID" /usr/local/bin/probe mmap-exec "$LIBLZMA" >/dev/null
	ctr "$C_ID" /bin/sh -c 'ls / | head -n 1 >/dev/null'
	# A listed library: copied over the image's (copy-up), read, mapped without PROT_EXEC.
	ctr_copy_in "$C_ID" "$E2E_DATA/liblzma.so.5.tampered" "$LIBLZMA" 0644
	ctr "$C_ID" /usr/bin/sha256sum "$LIBLZMA" >/dev/null
	ctr "$C_ID" /usr/local/bin/probe mmap-read "$LIBLZMA" >/dev/null
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	expect_silence "$3: image_software_listed_library_never_loaded_and_readonly_mmap_are_silent" \
		"$from" "$NOT_SENTINEL"
	container_remove "$C_ID"

	# A modified library in no intel set, loaded by the real xz.
	start "$3" "$1" "$2" || return
	from=$(mark)
	ctr_copy_in "$C_ID" "$E2E_DATA/liblzma.so.5.unlisted" "$LIBLZMA" 0644
	ctr "$C_ID" /usr/bin/xz --version >/dev/null
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	expect_silence "$3: modified_library_not_in_intel_is_silent" "$from" "$NOT_SENTINEL"
	container_remove "$C_ID"
}

# Host processes: the same listed tools, run by the guest's host outside any container.
host() {
	mkdir -p "$E2E_TMP/hostbin"
	cp "$E2E_DATA/hello" "$E2E_TMP/hostbin/cdk"
	from=$(mark)
	"$E2E_DATA/escape" >/dev/null
	"$E2E_DATA/kworkerd" >/dev/null
	"$E2E_TMP/hostbin/cdk" >/dev/null
	"$E2E_DATA/hello" >/dev/null
	/usr/sbin/runc --version >/dev/null
	start host runc docker || return
	barrier "$C_ID" || not_ok "host: barrier" "sentinel not seen"
	expect_silence "host_processes_running_listed_tools_are_silent" "$from" "$NOT_SENTINEL"
	container_remove "$C_ID"
}

for_each_run quiet
host
finish
