#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-41-adv-enforce.sh - enforce mode holds whatever an operator chose to report: with the
# implant's kind of finding switched off, its first run is still killed once hashed and a
# later run refused (EPERM), each reported with its action.
. /e2e/adv-lib.sh
adv_setup

kind_off() {
	start "$3" "$1" "$2" || return
	"$WHORL" config --mode enforce --disable added-malicious-binary >/dev/null ||
		not_ok "$3: enforce with the kind off" "whorl config failed"
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	# first sight: not yet known at the hook; the worker kills it once hashed (it may be gone)
	from=$(mark)
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1
	barrier "$C_ID"
	from=$(mark)
	ctr "$C_ID" /tmp/implant >"$E2E_TMP/out" 2>&1
	printed "$3: cached_implant_is_refused_with_its_kind_off" "$E2E_TMP/out" "Operation not permitted"
	expect_finding "$3: refusal_is_reported_with_its_kind_off" "$from" \
		"$(printf 'action\tdenied\n'; implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant" "action=denied"
	"$WHORL" config --mode detect --enable added-malicious-binary >/dev/null
	container_remove "$C_ID"
}

for_each_run kind_off
finish
