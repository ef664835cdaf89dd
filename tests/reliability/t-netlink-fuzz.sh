#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-netlink-fuzz.sh - hostile netlink: whorl-nlfuzz sends malformed and random generic netlink
# messages to the whorl family (one TAP case per class, its counts in a diag line); afterwards the
# module still answers, its intel set and configuration are the ones it had, the kernel log holds
# no complaint, and the module unloads.
#
# Knobs on the kernel command line (run.sh -A): whorl.fuzz_count (messages, default 12000),
# whorl.fuzz_seed (default: random, printed). A failing class prints the command that rebuilds its
# first bad message: whorl-nlfuzz -s SEED -c CLASS -i INDEX -v.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rlib.sh"

COUNT=$(param fuzz_count) || COUNT=12000
SEED=$(param fuzz_seed) || SEED=$(od -An -tu8 -N8 /dev/urandom | tr -d ' ')

if ! whorl_load; then
	not_ok "module loads" "insmod $WHORL_KO failed"
	finish
fi
ok "module loads"
# A live set that is not empty, so that a message wrongly taken as a commit or a clear shows.
if "$WHORL" intel load "$INTEL" >"$E2E_TMP/intel.out" 2>&1; then
	ok "the e2e intel set loads"
else
	not_ok "the e2e intel set loads" "$(cat "$E2E_TMP/intel.out")"
	finish
fi
status_save "$E2E_TMP/before.json" || { not_ok "status before fuzzing" "$(cat "$E2E_TMP/before.json.err")"; finish; }

kernel_log_mark
diag "whorl-nlfuzz -n $COUNT -s $SEED"
started=$(cut -d. -f1 /proc/uptime)
"$REL_BIN/whorl-nlfuzz" -n "$COUNT" -s "$SEED" >"$E2E_TMP/nlfuzz.out" 2>"$E2E_TMP/nlfuzz.err"
rc=$?
cat "$E2E_TMP/nlfuzz.out"
diag "whorl-nlfuzz: exit $rc after $(($(cut -d. -f1 /proc/uptime) - started)) s"
# Its own verdicts are in the TAP above; exit 0 or 1 is one of them, anything else a crash.
if [ "$rc" -gt 1 ]; then
	not_ok "whorl-nlfuzz runs to its end" "exit $rc: $(tail -n 3 "$E2E_TMP/nlfuzz.err" | tr '\n' ' ')"
fi

# The tool's view, independent of the fuzzer's own checks.
if status_save "$E2E_TMP/after.json"; then
	ok "whorl status answers after fuzzing"
	for k in intel.hashes intel.rules intel.bytes config.kindsMask config.dedupMs config.mode; do
		want=$(jfield "$E2E_TMP/before.json" "$k")
		got=$(jfield "$E2E_TMP/after.json" "$k")
		if [ "$got" = "$want" ]; then
			ok "after fuzzing $k is still $want"
		else
			not_ok "after fuzzing $k is still $want" "now '$got'"
		fi
	done
else
	not_ok "whorl status answers after fuzzing" "$(cat "$E2E_TMP/after.json.err")"
fi

# The harness fails the run on any splat; this names the test that caused it.
kernel_log_since >"$E2E_TMP/klog.txt"
if grep -qE "$KERNEL_SPLAT" "$E2E_TMP/klog.txt"; then
	not_ok "kernel log clean after fuzzing" "$(grep -m 3 -E "$KERNEL_SPLAT" "$E2E_TMP/klog.txt" | tr '\n' ' ')"
else
	ok "kernel log clean after fuzzing"
fi
diag "kernel log lines while fuzzing: $(wc -l <"$E2E_TMP/klog.txt" | tr -d ' ') (netlink's own rate-limited warnings: $(grep -c 'netlink:' "$E2E_TMP/klog.txt"))"

if rmmod whorl; then
	ok "module unloads after fuzzing"
else
	not_ok "module unloads after fuzzing" "rmmod whorl failed"
fi
finish
