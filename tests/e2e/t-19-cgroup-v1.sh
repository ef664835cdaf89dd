#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-19-cgroup-v1.sh - a host that runs cgroup v1: every task sits in the v2 root, and the container's
# cgroup is in the v1 hierarchies, where Docker's cgroupfs driver makes /docker/<id>. The pids
# controller is moved to a real v1 hierarchy for the test; a process in fresh mount and pid
# namespaces, chrooted into the image's overlay, is put in /docker/<id> there and runs the image's
# intel-listed miner -> Built in Malicious Binary, attributed to that container and cgroup.
# The controller goes back to cgroup v2 at the end, for the runtimes of the scenarios after.
. /e2e/lib.sh
setup
V1=/run/whorl-e2e-v1
CG2=/sys/fs/cgroup

# Cgroups earlier scenarios' runtimes left (empty parents such as /system.slice), deepest first:
# a controller enabled in one of them keeps it on cgroup v2.
prune_cgroups() {
	find "$CG2" -mindepth 1 -type d | sort -r | while read -r d; do rmdir "$d" 2>/dev/null; done
	return 0
}

v1_up() {
	prune_cgroups
	echo -pids >"$CG2/cgroup.subtree_control" || return 1
	mkdir -p "$V1"
	# The controller leaves v2 once its css there are gone, which is asynchronous: retry a while.
	for i in $(seq 1 50); do
		mount -t cgroup -o pids whorl-v1 "$V1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

v1_down() {
	# Unmounting an empty v1 hierarchy destroys it after an RCU grace period, which gives the
	# controller back to cgroup v2; one with a removed cgroup still being released outlives its
	# mount, so then mount the same hierarchy again, empty it and retry.
	for try in 1 2 3 4 5; do
		[ -d "$V1/docker" ] && find "$V1/docker" -depth -type d -exec rmdir {} \; 2>/dev/null
		umount "$V1" 2>/dev/null
		for i in $(seq 1 50); do
			grep -qw pids "$CG2/cgroup.controllers" && break
			sleep 0.2
		done
		echo +pids >"$CG2/cgroup.subtree_control" 2>/dev/null && return 0
		mount -t cgroup -o pids whorl-v1 "$V1" 2>/dev/null
	done
	return 1
}

if ! v1_up; then
	not_ok "pids controller moves to a cgroup v1 hierarchy" "$(cat $CG2/cgroup.subtree_control)"
	v1_down
	finish
fi
ok "pids controller moves to a cgroup v1 hierarchy"

id=$(hex64)
snap=$E2E_TMP/v1-snap
root=$E2E_TMP/v1-root
mkdir -p "$snap" "$root" "$V1/docker/$id"
mount -t tmpfs v1-snap "$snap" && mkdir -p "$snap/fs" "$snap/work" &&
	mount -t overlay overlay -o "lowerdir=$LOWERDIR,upperdir=$snap/fs,workdir=$snap/work" "$root" ||
	not_ok "image overlay mounts" "mount failed"

from=$(mark)
/usr/bin/busybox unshare -m -p -f /bin/sh -c "echo 0 >$V1/docker/$id/cgroup.procs &&
	exec /usr/bin/busybox chroot $root /usr/local/bin/kworkerd --v1" >/dev/null 2>&1
CATEGORY="Execution: Built in Malicious Binary Executed"
MINER=$E2E_DATA/kworkerd
expect_finding "v1: image_binary_in_intel_in_a_cgroup_v1_container_is_attributed_to_it" "$from" \
	"$(printf 'category\t%s\nlayer\timage\nprocesses.0.binary.path\t/usr/local/bin/kworkerd\n' "$CATEGORY"
	printf 'processes.0.binary.sha256\t%s\n' "$(sha256_of "$MINER")"
	printf 'containers.0.id\t%s\ncontainers.0.runtime\tdocker\nresource.cgroup\t/docker/%s\n' "$id" "$id"
	args_fields /usr/local/bin/kworkerd --v1)" \
	"category=$(q "$CATEGORY")" "containers.0.id=$id"

umount "$root" 2>/dev/null
umount "$snap" 2>/dev/null
if v1_down; then
	ok "pids controller returns to cgroup v2"
else
	not_ok "pids controller returns to cgroup v2" "subtree_control: $(cat $CG2/cgroup.subtree_control); controllers: $(cat $CG2/cgroup.controllers); $(grep pids /proc/cgroups); $(grep whorl-v1 /proc/mounts); $(ls $V1 2>&1 | head -3 | tr '\n' ' '); $(echo +pids 2>&1 >$CG2/cgroup.subtree_control)"
fi
finish
