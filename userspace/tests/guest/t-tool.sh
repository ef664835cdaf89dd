#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-tool.sh - the whorl tool against the real module in a QEMU guest, no containers needed:
# the module-not-loaded message, atomic intel loads (many batches; a bad file keeps the set),
# clear, config with the kernel's extack message, status, and the relay: ready, two subscribers,
# SIGHUP, resubscribing across a module unload and reload, SIGTERM/SIGINT exit 0.
# Guest side (busybox sh), run as tests/qemu's smoke or e2e scripts are: prints ok/not ok lines.
# On the host: bash tests/qemu/initramfs.sh ... -s <dir holding this file>, then tests/qemu/run.sh.

W=${WHORL:-/usr/bin/whorl}
KO=${WHORL_KO:-/whorl/whorl.ko}
T=/tmp/t-tool
mkdir -p $T

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }
check() {
	name=$1
	shift
	if "$@" >$T/out 2>&1; then ok "$name"; else not_ok "$name" "$(tr '\n' ' ' <$T/out | cut -c1-300)"; fi
}
expect() { # expect NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$3', got '$2'"; fi
}
# status_field SECTION KEY: a number from `whorl status --json`, e.g. intel hashes
status_field() {
	$W status --json | sed -n "s/.*\"$1\":{[^}]*\"$2\":\([0-9]*\).*/\1/p"
}
# lines FILE PATTERN: how many lines of FILE have PATTERN; 0 while FILE does not exist yet
# (a background command's redirection is made in its own process, maybe after we look).
lines() {
	n=$(grep -c "$2" "$1" 2>/dev/null)
	echo "${n:-0}"
}
# wait_for FILE PATTERN COUNT: until FILE has COUNT lines with PATTERN. The limit only
# detects a hang: a relay reads the kernel's BTF before it says ready, slow under TCG on a
# busy host.
wait_for() {
	i=0
	while [ $i -lt 3000 ] && [ "$(lines "$1" "$2")" -lt "$3" ]; do sleep 0.1; i=$((i + 1)); done
}
# wait_status SECTION KEY VALUE: until status shows it (a hang detector, as wait_for).
wait_status() {
	i=0
	while [ $i -lt 3000 ] && [ "$(status_field "$1" "$2")" != "$3" ]; do sleep 0.1; i=$((i + 1)); done
}

grep -q '^whorl ' /proc/modules && rmmod whorl
$W status >$T/nomod 2>&1
expect module_not_loaded_exits_1 $? 1
expect module_not_loaded_says_so "$(cat $T/nomod)" "whorl: kernel module not loaded (modprobe whorl)"
insmod $KO || { not_ok insmod "insmod $KO failed"; exit 1; }

cat >$T/good.intel <<'EOF_INTEL'
# four hashes (upper and lower case), three name rules
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD malicious xz-backdoor CVE-2024-3094
9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 container-escape escape-tool
248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1 recon
name:cdk container-escape CDK
name:peirates k8s-attack Peirates
name:amicontained recon amicontained
EOF_INTEL
check intel_load_succeeds $W intel load $T/good.intel
expect intel_load_sets_hashes "$(status_field intel hashes)" 4
expect intel_load_sets_rules "$(status_field intel rules)" 3

printf 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 nope\n' >$T/bad.intel
$W intel load $T/bad.intel >$T/out 2>&1
expect bad_intel_exits_1 $? 1
grep -q "$T/bad.intel:1: unknown category 'nope'" $T/out &&
	ok bad_intel_names_file_line_reason || not_ok bad_intel_names_file_line_reason "$(cat $T/out)"
expect bad_intel_keeps_the_live_set "$(status_field intel hashes)" 4

i=0
while [ $i -lt 20000 ]; do printf '%064x malicious big-%d\n' $i $i; i=$((i + 1)); done >$T/big.intel
check big_intel_loads_in_batches $W intel load $T/big.intel
expect big_intel_every_hash_lands "$(status_field intel hashes)" 20000
check intel_clear_succeeds $W intel clear
expect intel_clear_empties_the_set "$(status_field intel hashes)" 0

check config_enables_low_kinds $W config --enable added-binary --enable added-library
$W status --json | grep -q '"added-binary"' && ok enabled_kind_in_status || not_ok enabled_kind_in_status ""
check config_disables_low_kinds $W config --disable added-binary --disable added-library
$W status --json | grep -q '"added-binary"' && not_ok disabled_kind_gone "still on" || ok disabled_kind_gone
$W config --dedup-ms 100000000 >$T/out 2>&1
expect dedup_past_a_day_exits_1 $? 1
grep -q 'dedup window longer than a day' $T/out &&
	ok kernel_extack_message_printed || not_ok kernel_extack_message_printed "$(cat $T/out)"
check config_sets_dedup $W config --dedup-ms 5000
expect dedup_in_status "$(status_field config dedupMs)" 5000
check config_sets_enforce $W config --mode enforce
$W status --json | grep -q '"mode":"enforce"' && ok enforce_in_status || not_ok enforce_in_status ""
check config_sets_detect $W config --mode detect
$W status >$T/out 2>&1 && grep -q hookExec $T/out &&
	ok status_text_lists_counters || not_ok status_text_lists_counters "$(head -5 $T/out)"

$W relay --intel $T/good.intel >$T/r1.out 2>$T/r1.err &
R1=$!
wait_for $T/r1.err 'whorl: ready' 1
grep -q 'whorl: ready' $T/r1.err && ok relay_says_ready || not_ok relay_says_ready "$(cat $T/r1.err)"
expect relay_loaded_its_intel "$(status_field intel hashes)" 4
expect one_subscriber "$(status_field counters subscribers)" 1
$W relay --format text >$T/r2.out 2>$T/r2.err &
R2=$!
wait_for $T/r2.err 'whorl: ready' 1
expect two_subscribers "$(status_field counters subscribers)" 2
kill -HUP $R1
wait_for $T/r1.err 'intel loaded' 2
expect sighup_reloads_intel "$(lines $T/r1.err 'intel loaded')" 2

rmmod whorl && ok module_unloads_under_relays || not_ok module_unloads_under_relays "rmmod failed"
wait_for $T/r1.err 'unloaded; waiting' 1
grep -q 'unloaded; waiting' $T/r1.err && ok relay_notices_unload || not_ok relay_notices_unload "$(cat $T/r1.err)"
insmod $KO
wait_for $T/r1.err 'whorl: ready' 2
wait_for $T/r2.err 'whorl: ready' 2
expect relay_resubscribes_after_reload "$(lines $T/r1.err 'whorl: ready')" 2
expect both_relays_resubscribed "$(status_field counters subscribers)" 2
expect relay_reloads_intel_into_new_module "$(status_field intel hashes)" 4

# Unloaded and loaded again at once: the relay must not keep its stale socket.
rmmod whorl && insmod $KO
wait_for $T/r1.err 'whorl: ready' 3
expect relay_resubscribes_after_quick_reload "$(lines $T/r1.err 'whorl: ready')" 3
wait_for $T/r2.err 'whorl: ready' 3
expect both_relays_resubscribed_again "$(status_field counters subscribers)" 2

kill -TERM $R1
wait $R1
expect sigterm_exits_0 $? 0
grep -q 'relay stopped: 0 finding(s) written, 0 lost' $T/r1.err &&
	ok relay_prints_totals || not_ok relay_prints_totals "$(cat $T/r1.err)"
kill -INT $R2
wait $R2
expect sigint_exits_0 $? 0
wait_status counters subscribers 0
expect closed_relays_unsubscribe "$(status_field counters subscribers)" 0
rmmod whorl
exit 0
