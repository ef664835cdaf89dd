#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-43-adv-forged-provenance.sh - provenance and attribution a container can forge:
# - a user.overlay.origin xattr on a file it added, on a mount whose overlayfs keeps its own
#   xattrs in trusted. (rootful Docker and containerd): the implant stays "added";
# - a cgroup named after another container (docker-<victim>.scope), made below its own as a
#   container with a writable cgroupfs can: its findings stay its own;
# - an image library replaced without copy-up, by renaming a new file over it or deleting it and
#   writing it again: still "modified" (the image's copy is found under its name), and its
#   content compared with the image's.
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
	wait_ctr_cmd "$C_CGROUP" "/bin/sh -c while [ ! -e /tmp/go ]"
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

# replaced HOW: the tampered liblzma put over the image's by HOW (rename, or rm then write)
replaced() {
	local how=$4 tampered=$E2E_DATA/liblzma.so.5.tampered
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	case $how in
	rename)
		ctr_copy_in "$C_ID" "$tampered" "$LIBLZMA.new" 0644
		check "$3: container_renames_over_the_image_library" \
			ctr "$C_ID" /tmp/adv rename "$LIBLZMA.new" "$LIBLZMA"
		;;
	recreate)
		check "$3: container_deletes_the_image_library" ctr "$C_ID" /usr/bin/rm "$LIBLZMA"
		ctr_copy_in "$C_ID" "$tampered" "$LIBLZMA" 0644
		;;
	esac
	from=$(mark)
	ctr "$C_ID" /usr/bin/xz --version >/dev/null
	expect_finding "$3: library_replaced_by_${how}_is_modified" "$from" \
		"$(printf 'category\tExecution: Modified Malicious Library Loaded\nlayer\tmodified\n'
		printf 'contentChanged\ttrue\nprocesses.0.libraries.0.path\t%s\n' "$LIBLZMA"
		printf 'processes.0.libraries.0.sha256\t%s\n' "$(sha256_of "$tampered")"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.libraries.0.path=$LIBLZMA"
	container_remove "$C_ID"
}
replaced_by_rename() { replaced "$@" rename; }
replaced_by_recreate() { replaced "$@" recreate; }

for_each_run forged_origin
for_each_run forged_cgroup
for_each_run replaced_by_rename
for_each_run replaced_by_recreate
finish
