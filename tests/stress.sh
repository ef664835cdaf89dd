#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh - `make stress`: the stress scenarios (tests/stress/t-*.sh) in one QEMU guest on the newest
# distro kernel, in real runc/crun containers; --short is the bounded version `make check` runs.
#
#   bash tests/stress.sh [--short|--full] [--only GLOB]
#     --short      the short counts (see tests/stress/stress-lib.sh); default: the full ones
#     --only GLOB  only the scenarios whose file name matches GLOB (e.g. 't-52*'), for iterating
# Environment: WHORL_LOGDIR (logs, default build/logs; this run's in <logdir>/stress-<size>/),
# WHORL_STRESS_RELEASE (a distro kernel release instead of the newest), WHORL_STRESS_WORK (build
# directory, default build/stress), WHORL_E2E_PAYLOAD (an e2e payload already built, e.g. by
# tests/check.sh in build/check/payload; default: that one if present, else built here),
# WHORL_STRESS_KO (test this whorl.ko, built for the release, instead of the tree's: a candidate fix).
# Prints every test case and diagnostic the guest reported, then run.sh's verdict; exits non-zero
# on any failure.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh
top=$(pwd)

size=full
only='t-*.sh'
die() { echo "stress.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--short) size=short ;;
	--full) size=full ;;
	--only) only=${2:?--only needs a glob}; shift ;;
	-h | --help) sed -n '3,14p' "$0"; exit 0 ;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
	shift
done

rel=${WHORL_STRESS_RELEASE:-$(whorl_distro_releases | tail -n 1)}
[ -n "$rel" ] || die "no distro kernel with headers and /boot/vmlinuz found"
[ -f "/boot/vmlinuz-$rel" ] || die "no /boot/vmlinuz-$rel"
work=${WHORL_STRESS_WORK:-$top/build/stress}
logs=$(whorl_logdir)
name=stress-$size
mkdir -p "$work" "$logs/$name"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Guest time limits. The short run is part of `make check`: a few minutes of guest time. The full
# one is long: on the 2-core build machine t-50 took 25 minutes beside a make check, and past an
# hour when shared with three other guests (its storms 42 minutes, the 100 reloads 10); t-51 about
# 12. Scripts get a generous share each.
if [ "$size" = short ]; then
	limit=1500 script_limit=900
else
	limit=14400 script_limit=7200
fi

echo "== stress ($size) on $rel: build" >&2
tree=$work/tree-$rel
whorl_build_module "$tree" "$logs/$name/build.log" KERNELRELEASE="$rel"
make -C "$tree" tool >"$logs/$name/tool.log" 2>&1 || { tail -n 20 "$logs/$name/tool.log" >&2; exit 1; }
ko=${WHORL_STRESS_KO:-$tree/whorl.ko}
[ -f "$ko" ] || die "no module $ko"

payload=${WHORL_E2E_PAYLOAD:-}
if [ -z "$payload" ]; then
	if [ -x "$top/build/check/payload/usr/sbin/runc" ]; then
		payload=$top/build/check/payload
	else
		payload=$work/e2e-payload
		bash tests/e2e/payload.sh "$payload" >"$logs/$name/payload.log" 2>&1 ||
			{ tail -n 20 "$logs/$name/payload.log" >&2; exit 1; }
	fi
fi
bash tests/stress/build.sh "$work/stress-payload" >"$logs/$name/stress-build.log" 2>&1 ||
	{ tail -n 20 "$logs/$name/stress-build.log" >&2; exit 1; }

# The guest's /e2e: the end-to-end helpers the scenarios source, and the stress scenarios only.
mkdir -p "$stage/e2e"
cp tests/e2e/lib.sh tests/e2e/json.awk tests/stress/stress-lib.sh "$stage/e2e/"
n=0
for t in tests/stress/$only; do
	[ -f "$t" ] || continue
	install -m 0755 "$t" "$stage/e2e/"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no scenario matches $only"

echo "== stress ($size) on $rel: boot ($n scenario(s), limit $limit s)" >&2
initrd=$logs/$name/initramfs.cpio.gz
bash tests/qemu/initramfs.sh -o "$initrd" -k "$ko" -r "$rel" -t "$tree/userspace/whorl" \
	-e "$stage/e2e" -p "$payload" -p "$work/stress-payload"
set +e
bash tests/qemu/run.sh -n "$name" -k "/boot/vmlinuz-$rel" -i "$initrd" -T "$limit" -M 2G \
	-A "whorl.stress=$size whorl.test_timeout=$script_limit"
rc=$?
set -e

# What the guest said: its test cases and diagnostics (findings left out: there are thousands).
grep -E '^(e2e|guest): (not )?ok |^# ' "$logs/$name/data.log" | grep -v '^# whorl-finding ' || true
echo "(logs: $logs/$name; guest time $(cat "$logs/$name/seconds" 2>/dev/null || echo '?') s)"
exit "$rc"
