#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-90-ima.sh - the incumbent: the same cached exec, mmap and first-sight workloads under the
# kernel's own IMA, whorl unloaded. The guest boots with no IMA policy (IMA is built in but measures
# nothing); the workloads run, then a policy that measures every exec and every executable mapping
# is written to securityfs, and they run again, in the same boot and the same container. The kernel
# takes one policy write (no CONFIG_IMA_WRITE_POLICY) and none can be undone: this script runs last.
. /e2e/lib.sh
. /e2e/bench-lib.sh

ima=/sys/kernel/security/ima
[ -d "$ima" ] || mount -t securityfs securityfs /sys/kernel/security
if [ ! -e "$ima/policy" ]; then
	not_ok "IMA policy file" "no $ima/policy: IMA not built in, or a policy was already written"
	finish
fi
ok "IMA policy file present"
mode_set off
bench_container
id=$C_ID

# count: IMA's measurement list length (the boot aggregate and whatever was measured since).
count() {
	cat "$ima/runtime_measurements_count"
}

# workloads TAG: IMA_ROUNDS rounds of cached exec, mmap and first sight.
workloads() {
	local r
	for r in $(seq 1 "$IMA_ROUNDS"); do
		cached "$id" "$1"
		first "$id" "$1"
	done
}

c0=$(count)
workloads ima-off
c1=$(count)
info ima.policy "measure func=BPRM_CHECK; measure func=MMAP_CHECK mask=MAY_EXEC"
if printf 'measure func=BPRM_CHECK\nmeasure func=MMAP_CHECK mask=MAY_EXEC\n' >"$ima/policy"; then
	ok "IMA policy written"
else
	not_ok "IMA policy written" "the kernel refused the policy: $(dmesg | grep -i ima | tail -n 3 | tr '\n' ' ')"
	finish
fi
WARM=""		# the first exec and mapping of each file under the policy is measured: warm again
workloads ima-on
c2=$(count)
sample ima.measurements.on "$((c2 - c1))" "IMA's measurement count under the policy"
info ima.measurements "list length $c0 at start, $c1 before the policy, $c2 after"
grep -m 3 "$CB/bench-nop\|first-ima-on" "$ima/ascii_runtime_measurements" 2>/dev/null |
	sed 's/^/# bench-info ima.entry /'
dmesg | grep -iE '(^|[] ])(ima|evm|integrity):' | sed 's/^/# bench-info ima.dmesg /'
ctr "$id" /bin/rm -f "$FIRST_LAST"
finish
