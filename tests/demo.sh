#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh - `make demo`: from a fresh clone to whorl's findings on a scripted container attack.
#
# Installs what is missing (tests/deps.sh), builds whorl.ko for the newest installed Debian kernel
# and the whorl tool, assembles the guest's payload (runc, a layered image, the attack files,
# intel), boots that kernel in QEMU (no module-capable host kernel needed) and runs
# tests/e2e/demo-attack.sh there: the module loaded, the relay started with the sample intel, a
# runc container whose image liblzma is swapped for a tampered copy then loaded by xz, and an
# escape tool run. The demo's lines are shown live; exits 0 only if both findings appeared.
#
# Environment: WHORL_DEMO_KERNEL=<release> picks another installed kernel; WHORL_LOGDIR as for
# make check (the guest's full console is kept there, under demo/).
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh
top=$(pwd)
work=$top/build/demo
logs=$(whorl_logdir)
tail_pid=
stop_tail() {
	[ -n "$tail_pid" ] || return 0
	kill "$(cat "$work/tail.pid" 2>/dev/null)" "$tail_pid" 2>/dev/null
	tail_pid=
}
trap 'stop_tail' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "dependencies (tests/deps.sh)"
bash tests/deps.sh

rel=${WHORL_DEMO_KERNEL:-$(whorl_distro_releases | tail -n 1)}
[ -n "$rel" ] || { echo "demo: no Debian kernel with headers and /boot/vmlinuz installed" >&2; exit 1; }
mkdir -p "$work" "$logs"

step "building whorl.ko for $rel and the whorl tool"
whorl_build_module "$work/module" "$logs/demo-build.log" KERNELRELEASE="$rel"
make -s -C "$top" tool >"$logs/demo-tool.log" 2>&1 || { tail -n 30 "$logs/demo-tool.log" >&2; exit 1; }

step "assembling the guest: runc, a three-layer image, attack files, intel (tests/e2e/payload.sh)"
bash tests/e2e/payload.sh "$work/payload" 2>&1 | sed 's/^/   /' >&2
# The guest runs every /e2e/t-*.sh: here, only the demo.
rm -rf "$work/e2e"
mkdir -p "$work/e2e"
cp tests/e2e/lib.sh tests/e2e/json.awk "$work/e2e/"
install -m 0755 tests/e2e/demo-attack.sh "$work/e2e/t-demo.sh"

step "booting Debian's $rel in QEMU (TCG: about a minute)"
console=$logs/demo/console.log
mkdir -p "$logs/demo"
rm -f "$console"
# Follow the console QEMU creates (by descriptor: run.sh rewrites the file when the guest is done).
(
	echo "$BASHPID" >"$work/tail.pid"
	while [ ! -e "$console" ]; do sleep 0.2; done
	exec tail -n +1 -f "$console"
) 2>/dev/null | sed -un 's/\r$//; s/^demo| //p' &
tail_pid=$!
set +e
WHORL_GUEST_TIMEOUT=${WHORL_GUEST_TIMEOUT:-900} whorl_guest demo "/boot/vmlinuz-$rel" e2e "" -- \
	-k "$work/module/whorl.ko" -r "$rel" -e "$work/e2e" -p "$work/payload"
rc=$?
set -e
sleep 1
stop_tail || true

# Every finding the relay printed, checked against the published schema by a real validator.
sed -n 's/^# whorl-finding //p' "$logs/demo/data.log" >"$work/findings.jsonl" 2>/dev/null || true
if [ -s "$work/findings.jsonl" ] && [ -f docs/finding.schema.json ]; then
	if python3 userspace/tests/validate.py docs/finding.schema.json "$work/findings.jsonl"; then
		echo "   $(wc -l <"$work/findings.jsonl") findings valid against docs/finding.schema.json" >&2
	else
		echo "demo: findings do not match docs/finding.schema.json" >&2
		rc=1
	fi
fi

if [ "$rc" -eq 0 ]; then
	step "demo passed: whorl reported the tampered library and the escape tool"
else
	step "demo FAILED (logs in $logs/demo/)"
fi
exit "$rc"
