#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# demo-attack.sh - the guest side of `make demo`: whorl watching while a container is attacked the
# way CVE-2024-3094 would be met in production (the image's liblzma swapped for a backdoored copy,
# then loaded by the real xz) and a container escape tool is dropped in and run. Prints the findings
# as the relay emits them, then a summary; exits 0 only if both expected findings appeared.
# The person watching reads the console: every line for them goes there at once, marked "demo| "
# (tests/demo.sh shows only those); the verdict is TAP on stdout, as for every guest script.
. /e2e/lib.sh

CONSOLE=${DEMO_CONSOLE:-/dev/console}
show() { sed 's/^/demo| /' >"$CONSOLE"; }
say() { printf '\n==> %s\n' "$*" | show; }

say "loading the whorl kernel module ($(uname -r))"
whorl_load || { not_ok "module loads" "insmod $WHORL_KO failed"; exit 1; }
"$WHORL" status 2>&1 | head -n 20 | sed 's/^/    /' | show

say "intel: $(grep -vc '^#' "$INTEL") entries (sha256 of the tampered liblzma, the escape tool, ...)"
sed 's/^/    /' "$INTEL" | show

say "starting the relay: whorl relay --intel $INTEL --format text"
if ! relay_start --intel "$INTEL"; then
	show <"$E2E_TMP/relay.err"
	not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	exit 1
fi
# A second relay writes the same findings as text, echoed to the console as they arrive.
: >"$E2E_TMP/demo.txt"
"$WHORL" relay --format text >"$E2E_TMP/demo.txt" 2>"$E2E_TMP/demo.err" &
text_pid=$!
tail -f "$E2E_TMP/demo.txt" 2>/dev/null |
	awk '{ print "demo|     [whorl] " $0; fflush() }' >"$CONSOLE" &
tail_pid=$!
trap 'kill $text_pid $tail_pid 2>/dev/null; cleanup' EXIT
for i in $(seq 1 100); do
	grep -q ready "$E2E_TMP/demo.err" && break
	sleep 0.1
done

say "a container, as Docker starts it: runc, image layers from containerd's overlay snapshotter"
container_start docker runc /bin/sleep infinity || { not_ok "container starts" "runc run failed"; exit 1; }
printf '    id      %s\n    cgroup  %s\n    rootfs  overlay lowerdir=%s\n' "$C_ID" "$C_CGROUP" "$LOWERDIR" | show

say "attacker: replaces the image's liblzma with a backdoored copy, then runs xz (sshd would do the same)"
ctr_copy_in "$C_ID" "$E2E_DATA/liblzma.so.5.tampered" "$LIBLZMA" 0644
from=$(mark)
ctr "$C_ID" /usr/bin/xz --version | sed 's/^/    $ /' | show
wait_finding "$from" "category=$(q "Execution: Modified Malicious Library Loaded")" "containers.0.id=$C_ID"
lib_ok=$?

say "attacker: drops a container escape tool into /tmp and runs it"
ctr_copy_in "$C_ID" "$E2E_DATA/escape" /tmp/.x
from=$(mark)
ctr "$C_ID" /tmp/.x | sed 's/^/    $ /' | show
wait_finding "$from" "category=$(q "Execution: Container Escape")" "containers.0.id=$C_ID"
escape_ok=$?
sleep 1

say "the findings, as JSON (one per line, as a log pipeline reads them)"
show <"$FINDINGS"
say "the liblzma finding, field by field"
n=$(findings_matching 0 "category=$(q "Execution: Modified Malicious Library Loaded")" | head -n 1)
[ -n "$n" ] && sed -n "${n}p" "$FINDINGS" | awk -f "$E2E_DIR/json.awk" | cut -f2- |
	sed 's/\t/ = /; s/^/    /' | show

say "summary"
if [ "$lib_ok" -eq 0 ]; then
	ok "Execution: Modified Malicious Library Loaded (tampered liblzma loaded by xz)"
	echo "    FOUND    Execution: Modified Malicious Library Loaded (tampered liblzma loaded by xz)" | show
else
	not_ok "Execution: Modified Malicious Library Loaded" "no finding (${FINDING_TIMEOUT}s without progress)"
	echo "    MISSING  Execution: Modified Malicious Library Loaded" | show
fi
if [ "$escape_ok" -eq 0 ]; then
	ok "Execution: Container Escape (escape tool run in the container)"
	echo "    FOUND    Execution: Container Escape (escape tool run in the container)" | show
else
	not_ok "Execution: Container Escape" "no finding (${FINDING_TIMEOUT}s without progress)"
	echo "    MISSING  Execution: Container Escape" | show
fi
sed 's/^/# whorl-finding /' "$FINDINGS"
[ "$E2E_FAILED" -eq 0 ]
