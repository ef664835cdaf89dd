#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-00-foundation.sh - the module loads, `whorl status --json` answers, and an exec and an
# executable mmap in the guest raise the hook counters it reports; the module unloads cleanly.
. /e2e/lib.sh

# counter PATTERN FILE: the sum of the status counters whose flattened key matches PATTERN.
counter() {
	awk -f "$E2E_DIR/json.awk" "$2" |
		awk -F '\t' -v p="$1" 'tolower($2) ~ /counter/ && tolower($2) ~ p { s += $3; n++ }
			END { if (!n) exit 1; print s }'
}

if whorl_load; then ok "module loads"; else not_ok "module loads" "insmod $WHORL_KO failed"; finish; fi
if "$WHORL" status --json >"$E2E_TMP/status0.json" 2>"$E2E_TMP/status.err"; then
	ok "whorl status --json answers"
else
	not_ok "whorl status --json answers" "$(cat "$E2E_TMP/status.err")"
	finish
fi
# Layer provenance: the module's compiled table (where it has one) at load; then the layout the
# tool reads from this kernel's BTF, which the module checks and cross-checks against that table.
src0=$(status_get provenance.source) || src0=""
why0=$(status_get provenance.reason) || why0=""
diag "provenance at load: ${src0:-none} (${why0:-no reason})"
if [ -n "$src0" ] && [ -n "$why0" ]; then
	ok "status says where layer provenance comes from ($src0)"
else
	not_ok "status says where layer provenance comes from" "source '$src0', reason '$why0'"
fi
if [ -e /sys/kernel/btf/overlay ]; then
	if "$WHORL" layout load 2>"$E2E_TMP/layout.err"; then
		ok "the layout from this kernel's BTF is loaded"
	else
		not_ok "the layout from this kernel's BTF is loaded" "$(cat "$E2E_TMP/layout.err")"
	fi
	diag "$("$WHORL" layout show 2>&1 | tr '\n' ';')"
	src=$(status_get provenance.source) || src=""
	check=$(status_get provenance.tableCheck) || check=""
	diag "provenance: $src, $(status_get provenance.reason)"
	if [ "$src" = btf ]; then
		ok "provenance comes from BTF"
	else
		not_ok "provenance comes from BTF" "source '$src'"
	fi
	# A compiled table that covers this kernel and disagrees with its BTF is wrong here.
	if [ "$check" = agrees ] || [ "$check" = no-table ]; then
		ok "the compiled table does not contradict BTF ($check)"
	else
		not_ok "the compiled table does not contradict BTF" "tableCheck '$check'"
	fi
else
	# No BTF for overlayfs on this kernel (5.10's modules carry none): the tool says why and
	# the module keeps its table, or has provenance off, loudly.
	if "$WHORL" layout load 2>"$E2E_TMP/layout.err"; then
		not_ok "without overlay BTF, layout load says why" "it succeeded"
	elif grep -q BTF "$E2E_TMP/layout.err"; then
		ok "without overlay BTF, layout load says why"
	else
		not_ok "without overlay BTF, layout load says why" "$(cat "$E2E_TMP/layout.err")"
	fi
	src=$(status_get provenance.source) || src=""
	if [ "$src" = "$src0" ] && [ "$src" != btf ]; then
		ok "without overlay BTF, provenance stays $src"
	else
		not_ok "without overlay BTF, provenance stays as loaded" "'$src0' -> '$src'"
	fi
fi

exec0=$(counter exec "$E2E_TMP/status0.json") || exec0=""
mmap0=$(counter mmap "$E2E_TMP/status0.json") || mmap0=""
diag "status: $(cut -c1-600 "$E2E_TMP/status0.json")"

/usr/bin/xz --version >/dev/null			# an exec, and ld.so maps liblzma executable
/usr/sbin/runc --version >/dev/null

"$WHORL" status --json >"$E2E_TMP/status1.json"
exec1=$(counter exec "$E2E_TMP/status1.json") || exec1=""
mmap1=$(counter mmap "$E2E_TMP/status1.json") || mmap1=""
for c in "exec $exec0 $exec1" "mmap $mmap0 $mmap1"; do
	set -- $c
	if [ $# -eq 3 ] && [ "$3" -gt "$2" ]; then
		ok "$1 hook counter rises ($2 -> $3)"
	else
		not_ok "$1 hook counter rises" "before '${2:-}' after '${3:-}' (no counter key with '$1'?)"
	fi
done

rmmod whorl && ok "module unloads" || not_ok "module unloads" "rmmod failed"
if grep -q '^whorl ' /proc/modules; then not_ok "module is gone" "still in /proc/modules"; fi
finish
