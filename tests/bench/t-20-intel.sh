#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-20-intel.sh - a large intel set: INTEL_N generated SHA-256 hashes loaded with `whorl intel load`;
# its load time, the module's own figure for the memory it holds, and the kernel's slab and vmalloc
# use before and after (the module loaded with an empty set as the baseline).
. /e2e/lib.sh
. /e2e/bench-lib.sh

# load times are wall-clock figures: the instruction-clock guest leaves them to the other
if [ "$CLOCK" = icount ]; then
	ok "large intel set # SKIP measured in the wall-clock guest"
	finish
fi

feed=$BT/feed.intel
if "$BIN/bench-intel" "$INTEL_N" >"$feed"; then
	ok "feed of $INTEL_N hashes written"
else
	not_ok "feed written" "bench-intel $INTEL_N failed"
	finish
fi
info intel.feed "$INTEL_N hashes, $(wc -c <"$feed") bytes"

# meminfo KEY: a /proc/meminfo figure, in kB.
meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}
# whorl_vmalloc: bytes of the vmalloc areas the module's code allocated (/proc/vmallocinfo names
# the caller; the size there includes the guard page).
whorl_vmalloc() {
	awk '/\[whorl\]/ { s += $2 } END { printf "%d\n", s }' /proc/vmallocinfo
}

# mem_snap N: the memory figures now, the page cache dropped first, as slabN sunrN vmN viN
mem_snap() {
	sync
	echo 1 >/proc/sys/vm/drop_caches 2>/dev/null
	eval "slab$1=$(meminfo Slab) sunr$1=$(meminfo SUnreclaim) vm$1=$(meminfo VmallocUsed) vi$1=$(whorl_vmalloc)"
}

whorl_load || { not_ok "module loads" "insmod failed"; finish; }
mem_snap 0

# wall time, and the CPU time the tool spent in its own code (parsing) and in the kernel (netlink,
# the module building the set)
for i in $(seq 1 "$INTEL_LOADS"); do
	t=$("$BIN/bench-time" -q -r "$WHORL" intel load "$feed" 2>"$BT/intel.err")
	set -- $t
	sample intel.load.ns "${1:-}" "whorl intel load ($(cat "$BT/intel.err"))"
	sample intel.load.user_ns "${2:-}" "user time of whorl intel load"
	fig intel.load.sys_ns "${3:-0}"
done

mem_snap 1
status "$BT/intel.json"
n=$(sget "$BT/intel.json" intel.hashes)
if [ "$n" = "$INTEL_N" ]; then
	ok "the module holds $n hashes"
else
	not_ok "the module holds every hash" "intel.hashes is '$n', not $INTEL_N"
fi
sample intel.hashes "$n" "whorl status (intel.hashes)"
sample intel.bytes "$(sget "$BT/intel.json" intel.bytes)" "whorl status (intel.bytes)"
# kB deltas; a delta can be 0 or negative (other allocations come and go): figures only if positive
fig mem.slab.delta_kB "$((slab1 - slab0))"
fig mem.sunreclaim.delta_kB "$((sunr1 - sunr0))"
sample mem.vmalloc.delta_kB "$((vm1 - vm0))" "VmallocUsed delta"
sample mem.vmallocinfo.whorl_bytes "$((vi1 - vi0))" "/proc/vmallocinfo [whorl] delta"
info mem.meminfo "Slab $slab0 -> $slab1 kB, SUnreclaim $sunr0 -> $sunr1 kB, VmallocUsed $vm0 -> $vm1 kB"
[ -r /proc/slabinfo ] && info mem.slabinfo "present" || info mem.slabinfo "absent"

"$WHORL" intel clear >/dev/null
rm -f "$feed"
finish
