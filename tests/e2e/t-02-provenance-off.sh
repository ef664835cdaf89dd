#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-02-provenance-off.sh - layer provenance off, loudly: the module loaded without its compiled
# overlayfs table (ovl_table=0) and the relay told not to hand it BTF's (--no-layout), as on a
# kernel whorl has no layout for. Status says provenance is off and why; a known-malicious binary
# dropped into a container is still found by its hash, its layer unknown with the reason; then the
# layout from this kernel's BTF turns provenance on, and the same drop is "added".
. /e2e/lib.sh
MINER=$E2E_DATA/kworkerd
MINER_SHA=$(sha256_of "$MINER")
OFF_REASON="layer provenance is off on this kernel (whorl status)"

if whorl_load ovl_table=0; then
	ok "module loads with ovl_table=0"
else
	not_ok "module loads with ovl_table=0" "insmod $WHORL_KO ovl_table=0 failed"
	finish
fi
src=$(status_get provenance.source) || src=""
why=$(status_get provenance.reason) || why=""
if [ "$src" = off ] && [ -n "$why" ]; then
	ok "status says provenance is off, and why ($why)"
else
	not_ok "status says provenance is off, and why" "source '$src', reason '$why'"
fi
if ! relay_start --intel "$INTEL" --no-layout; then
	not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	finish
fi

# drop NAME CATEGORY LAYER [REASON]: the miner copied into a fresh container and run
drop() {
	start "$1" runc docker || return
	ctr_copy_in "$C_ID" "$MINER" /tmp/kworkerd
	from=$(mark)
	ctr "$C_ID" /tmp/kworkerd -o stratum+tcp://pool.invalid:3333 >/dev/null
	expect_finding "$1" "$from" \
		"$(printf 'category\t%s\nlayer\t%s\n' "$2" "$3"
		printf 'processes.0.binary.layer\t%s\n' "$3"
		printf 'processes.0.binary.layerReason\t%s\n' "${4:-<absent>}"
		intel_fields malicious xmrig-miner "$MINER_SHA"
		container_fields)" \
		"category=$(q "$2")" "containers.0.id=$C_ID"
	container_remove "$C_ID"
}

drop "without provenance, the hash still finds the binary; its layer is unknown, with the reason" \
	"Execution: Malicious Binary Executed" unknown "$OFF_REASON"

if [ -e /sys/kernel/btf/overlay ]; then
	if "$WHORL" layout load 2>"$E2E_TMP/layout.err"; then
		ok "the layout from BTF is loaded"
	else
		not_ok "the layout from BTF is loaded" "$(cat "$E2E_TMP/layout.err")"
	fi
	src=$(status_get provenance.source) || src=""
	if [ "$src" = btf ]; then ok "provenance is on, from BTF"; else not_ok "provenance is on, from BTF" "source '$src'"; fi
	drop "with the layout from BTF, the same drop is added" \
		"Execution: Added Malicious Binary Executed" added
else
	ok "provenance turned on from BTF # SKIP this kernel's overlayfs has no BTF"
fi
finish
