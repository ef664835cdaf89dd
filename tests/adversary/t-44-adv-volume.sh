#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-44-adv-volume.sh - a listed program run from a volume (a tmpfs mounted in the container, as a
# memory emptyDir is) is no image content: layer "volume", reported as added, never "Built in".
. /e2e/adv-lib.sh
adv_setup

from_volume() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr "$C_ID" /usr/bin/mkdir -p /vol
	check "$3: container_mounts_a_volume" \
		ctr_cap CAP_SYS_ADMIN "$C_ID" /tmp/adv mount-tmpfs /vol
	ctr_copy_in "$C_ID" "$ADV/implant" /vol/implant
	from=$(mark)
	ctr "$C_ID" /vol/implant >/dev/null 2>&1
	expect_finding "$3: implant_on_a_volume_is_added_from_a_volume" "$from" \
		"$(printf 'category\t%s\nlayer\tvolume\nprocesses.0.binary.path\t/vol/implant\n' "$ADDED_BINARY"
		printf 'processes.0.binary.sha256\t%s\n' "$IMPLANT_SHA"
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/vol/implant"
	container_remove "$C_ID"
}

for_each_run from_volume
finish
