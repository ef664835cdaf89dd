#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-10-modified-malicious-library.sh - CVE-2024-3094 as a container meets it: the image's liblzma is
# overwritten at run time by a tampered copy whose hash is in intel, then a real program loads it
# (the real xz through ld.so; and map-then-mprotect, which must not evade) -> Execution: Modified
# Malicious Library Loaded, naming the library, the program, the container and the image layer.
. /e2e/lib.sh
setup
TAMPERED=$E2E_DATA/liblzma.so.5.tampered
CATEGORY="Execution: Modified Malicious Library Loaded"

library_fields() {
	printf 'category\t%s\nlayer\tmodified\ncontentChanged\ttrue\n' "$CATEGORY"
	file_fields processes.0.libraries.0 "$LIBLZMA" "$TAMPERED"
	intel_fields malicious "xz-backdoor CVE-2024-3094" "$(sha256_of "$TAMPERED")"
	container_fields
}

# The attack: the library is replaced in the running container, then xz runs.
xz_loads_tampered_liblzma() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$TAMPERED" "$LIBLZMA" 0644
	from=$(mark)
	ctr "$C_ID" /usr/bin/xz --version >/dev/null
	expect_finding "$3: modified_liblzma_loaded_by_xz_reports_finding" "$from" \
		"$(library_fields
		printf 'processes.0.binary.path\t/usr/bin/xz\nprocesses.0.name\txz\n'
		args_fields /usr/bin/xz --version)" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID"
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	expect_silence "$3: modified_liblzma_reported_once_and_nothing_else" "$from" \
		"containers.0.id=$C_ID" "$NOT_SENTINEL" \
		"category!=$(q "$CATEGORY")"
	expect_silence "$3: one finding for one load" "$((from + 1))" "category=$(q "$CATEGORY")"
	container_remove "$C_ID"
}

# The evasion: map the tampered library read-only, then add PROT_EXEC with mprotect.
mprotect_does_not_evade() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$TAMPERED" "$LIBLZMA" 0644
	from=$(mark)
	ctr "$C_ID" /usr/local/bin/probe mprotect-exec "$LIBLZMA" >/dev/null
	expect_finding "$3: modified_liblzma_made_executable_by_mprotect_reports_finding" "$from" \
		"$(library_fields
		printf 'processes.0.binary.path\t/usr/local/bin/probe\n'
		args_fields /usr/local/bin/probe mprotect-exec "$LIBLZMA")" \
		"category=$(q "$CATEGORY")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

for_each_run xz_loads_tampered_liblzma
for_each_run mprotect_does_not_evade

# Those layers came through the layout the relay read from this kernel's BTF (where its
# overlayfs has BTF; else the compiled table), and d_real() refused no read through it.
src=$(status_get provenance.source) || src=""
unconfirmed=$(status_get provenance.unconfirmed) || unconfirmed=""
want=table
[ -e /sys/kernel/btf/overlay ] && want=btf
if [ "$src" = "$want" ]; then
	ok "layer provenance came from $want"
else
	not_ok "layer provenance came from $want" "status says '$src'"
fi
if [ "$unconfirmed" = 0 ]; then
	ok "every overlayfs layout read was confirmed ($(status_get provenance.confirmed) reads)"
else
	not_ok "every overlayfs layout read was confirmed" "unconfirmed '$unconfirmed'"
fi
finish
