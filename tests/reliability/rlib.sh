# SPDX-License-Identifier: GPL-2.0
# rlib.sh - what the reliability scripts share on top of the end-to-end library (/e2e/lib.sh: TAP,
# the module, the relay, runc/crun containers): the static programs, kernel command-line knobs,
# status fields. Sourced by t-*.sh in this directory (busybox sh); installed next to them.

E2E_DIR=${E2E_DIR:-/e2e}
if [ ! -f "$E2E_DIR/lib.sh" ]; then
	echo "not ok $(basename "$0" .sh) - $E2E_DIR/lib.sh missing: install tests/e2e with -e too"
	exit 1
fi
. "$E2E_DIR/lib.sh"
# t-loss and the storms count subscribers and deliveries: one relay, no SCC twin.
RELAY_SCC=0

# The programs tests/reliability/build.sh puts into the payload.
REL_BIN=${REL_BIN:-/reliability/bin}
for p in whorl-nlfuzz whorl-nlprobe whorl-runas whorl-spawn; do
	if [ ! -x "$REL_BIN/$p" ]; then
		not_ok "$E2E_NAME: $p present" "no $REL_BIN/$p: merge the output of tests/reliability/build.sh with -p"
		finish
	fi
done

# param NAME: whorl.NAME=VALUE from the kernel command line (run.sh -A), e.g. whorl.fuzz_count.
param() {
	local w
	for w in $(cat /proc/cmdline); do
		case "$w" in "whorl.$1="*) echo "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# status_save FILE: `whorl status --json` into FILE, and flattened (json.awk) into FILE.flat;
# fails if the tool does.
status_save() {
	"$WHORL" status --json >"$1" 2>"$1.err" || return 1
	awk -f "$E2E_DIR/json.awk" "$1" | cut -f2- >"$1.flat"
}

# jfield FILE KEY: one field of a saved status (keys as json.awk flattens them: counters.hookExec,
# intel.hashes, config.dedupMs); fails when absent. Parsing the JSON is the slow part under TCG:
# it is done once per file.
jfield() {
	[ -f "$1.flat" ] || awk -f "$E2E_DIR/json.awk" "$1" | cut -f2- >"$1.flat"
	awk -F '\t' -v k="$2" '$1 == k { print $2; found = 1 } END { exit !found }' "$1.flat"
}

# kernel_log_mark: a line in the kernel log; kernel_log_since prints what came after it.
kernel_log_mark() {
	KLOG_MARK="whorl-reliability: $E2E_NAME mark $(cut -d' ' -f1 /proc/uptime)"
	echo "$KLOG_MARK" >/dev/kmsg
}
kernel_log_since() {
	dmesg | awk -v m="$KLOG_MARK" 'found { print } index($0, m) { found = 1 }'
}

# The kernel's own complaints: what run.sh counts as a splat, seen from inside the guest.
KERNEL_SPLAT='BUG:|WARNING:|Oops|general protection fault|kernel BUG|UBSAN:|KASAN|ODEBUG:|possible circular locking|inconsistent lock state|sleeping function called'
