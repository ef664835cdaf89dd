#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-43-adv-forged-provenance.sh - provenance and attribution a container can forge:
# - a user.overlay.origin xattr on a file it added, on a mount whose overlayfs keeps its own
#   xattrs in trusted. (rootful Docker and containerd): the implant stays "added";
# - a cgroup named after another container (docker-<victim>.scope), made below its own as a
#   container with a writable cgroupfs can: its findings stay its own.
. /e2e/adv-lib.sh
adv_setup

forged_origin() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	ctr "$C_ID" /tmp/adv setxattr /tmp/implant user.overlay.origin >"$E2E_TMP/out" 2>&1
	rc=$?
	if [ "$rc" = 2 ]; then
		# tmpfs before 6.6 keeps no user. xattrs: the upper layer itself refuses the forgery
		ok "$3: forged_origin_xattr_is_not_modified # SKIP the upper filesystem refuses user xattrs ($(head -c 120 "$E2E_TMP/out"))"
		container_remove "$C_ID"
		return
	fi
	check "$3: container_sets_user_overlay_origin" test "$rc" = 0
	from=$(mark)
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1
	expect_finding "$3: forged_origin_xattr_is_not_modified" "$from" \
		"$(implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant"
	container_remove "$C_ID"
}

forged_cgroup() {
	local victim attacker pid forged waiter
	start "$3" "$1" "$2" || return
	victim=$C_ID
	start "$3" "$1" "$2" || return
	attacker=$C_ID
	ctr_copy_in "$attacker" "$ADV/implant" /tmp/implant
	forged=/sys/fs/cgroup$C_CGROUP/system.slice/docker-$victim.scope
	mkdir -p "$forged"
	# the attacker's shell waits for its move into the forged cgroup, then runs the implant
	ctr "$attacker" /bin/sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; exec /tmp/implant' \
		>/dev/null 2>&1 &
	waiter=$!
	sleep 2
	for pid in $(cat "/sys/fs/cgroup$C_CGROUP/cgroup.procs"); do
		[ "$pid" = "$C_PID" ] || echo "$pid" >"$forged/cgroup.procs"
	done
	from=$(mark)
	ctr "$attacker" /usr/bin/cp /dev/null /tmp/go
	wait "$waiter"
	expect_finding "$3: finding_from_a_forged_victim_cgroup_names_the_attacker" "$from" \
		"$(printf 'containers.0.id\t%s\n' "$attacker")" \
		"processes.0.binary.path=/tmp/implant" "category=$(q "$ADDED_BINARY")"
	expect_silence "$3: nothing_is_attributed_to_the_victim" "$from" "containers.0.id=$victim"
	for pid in $(cat "$forged/cgroup.procs"); do
		echo "$pid" >"/sys/fs/cgroup$C_CGROUP/cgroup.procs"
	done
	rmdir "$forged" "${forged%/*}"
	container_remove "$attacker"
	container_remove "$victim"
}

for_each_run forged_origin
for_each_run forged_cgroup
finish
