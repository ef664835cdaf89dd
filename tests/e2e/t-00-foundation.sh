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
