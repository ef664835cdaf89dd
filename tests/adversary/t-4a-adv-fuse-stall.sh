#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-4a-adv-fuse-stall.sh - a read that never ends cannot blind whorl. A container given /dev/fuse
# serves libraries from FUSE servers that take every read request and never answer it (a killed
# reader waits too), and maps more of them than whorl has workers: each is reported as
# "Defense Evasion: Unfingerprintable Executable" (the filesystem did not answer within
# read_timeout), another container's attack is reported meanwhile, rmmod says "in use" instead
# of hanging, and once the servers are gone the stalled reads end and the module unloads.
. /e2e/adv-lib.sh
UNHASHABLE="Defense Evasion: Unfingerprintable Executable"
STALLS=${STALLS:-4}	# whorl has 4 workers; a container may hold 2 of them
TIMEOUT=5		# read_timeout, seconds

if [ ! -c /dev/fuse ]; then
	ok "$E2E_NAME # SKIP this kernel has no FUSE (/dev/fuse)"
	finish
fi
adv_setup read_timeout=$TIMEOUT

refcnt() { cat /sys/module/whorl/refcnt 2>/dev/null; }

stalled() {
	local staller servers="" mappers="" i from t0 n r0
	start "$3" "$1" "$2" || return
	staller=$C_ID
	r0=$(status_get counters.readTimeouts) || r0=0
	ctr_copy_in "$staller" "$ADV/adv" /tmp/adv
	i=1
	while [ "$i" -le "$STALLS" ]; do
		ctr "$staller" /usr/bin/mkdir -p "/fuse$i"
		"$ADV/fusestall" "$C_PID" "/fuse$i" libstall.so 1048576 2>>"$E2E_TMP/fusestall.err" &
		servers="$servers $!"
		i=$((i + 1))
	done
	i=1
	while [ "$i" -le "$STALLS" ]; do
		if ! wait_ctr_mount "$C_PID" "/fuse$i"; then
			not_ok "$3: fuse_servers_mount_in_the_container" "$(cat "$E2E_TMP/fusestall.err")"
			kill $servers 2>/dev/null
			container_remove "$staller"
			return
		fi
		i=$((i + 1))
	done
	ok "$3: $STALLS fuse_servers_mounted_in_the_container"
	from=$(mark)
	t0=$(now)
	i=1
	while [ "$i" -le "$STALLS" ]; do
		ctr "$staller" /tmp/adv map "/fuse$i/libstall.so" 600 >/dev/null 2>&1 &
		mappers="$mappers $!"
		i=$((i + 1))
	done
	# Meanwhile, in another container, the implant.
	start "$3" "$1" "$2" || { kill $servers $mappers 2>/dev/null; container_remove "$staller"; return; }
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1
	expect_finding "$3: attack_in_another_container_is_reported_while_reads_stall" "$from" \
		"$(implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant"
	diag "$3: the other container's finding came $(elapsed "$t0") s after the stalls began"
	i=1
	while [ "$i" -le "$STALLS" ]; do
		expect_finding "$3: stalled_library_$i""_is_reported_unfingerprintable" "$from" \
			"$(printf 'category\t%s\neventType\tmmap\nlayer\tvolume\n' "$UNHASHABLE"
			printf 'processes.0.libraries.0.path\t/fuse%s/libstall.so\n' "$i"
			printf "fingerprintError.reason\tthe filesystem did not answer the module's read within read_timeout\n")" \
			"containers.0.id=$staller" "processes.0.libraries.0.path=/fuse$i/libstall.so"
		i=$((i + 1))
	done
	n=$(status_get counters.readTimeouts) || n=0
	if [ "$((n - r0))" -ge "$STALLS" ]; then
		ok "$3: status_counts_the_cut_reads (readTimeouts +$((n - r0)))"
	else
		not_ok "$3: status_counts_the_cut_reads" "readTimeouts $r0 -> $n, want +$STALLS"
	fi
	# The stalled reads hold the module: rmmod refuses, at once, and unloads nothing.
	if rmmod whorl 2>"$E2E_TMP/rmmod.err"; then
		not_ok "$3: rmmod_refuses_while_reads_are_stalled" "it unloaded (refcnt was $(refcnt))"
		whorl_load read_timeout=$TIMEOUT
	elif grep -q '^whorl ' /proc/modules &&
		grep -qiE 'in use|temporarily unavailable' "$E2E_TMP/rmmod.err"; then
		# (kmod's rmmod says "in use"; busybox's prints EWOULDBLOCK's message)
		ok "$3: rmmod_refuses_while_reads_are_stalled, and returns ($(head -c 80 "$E2E_TMP/rmmod.err"))"
	else
		not_ok "$3: rmmod_refuses_while_reads_are_stalled" "$(cat "$E2E_TMP/rmmod.err")"
	fi
	# The servers gone, FUSE aborts their connections: the reads fail and their threads end.
	kill $servers 2>/dev/null
	wait $servers 2>/dev/null
	i=0
	while [ "$(refcnt)" != 0 ] && [ "$i" -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	if [ "$(refcnt)" = 0 ]; then
		ok "$3: stalled_reads_end_when_their_servers_go (module refcount 0)"
	else
		not_ok "$3: stalled_reads_end_when_their_servers_go" "refcnt $(refcnt)"
	fi
	kill $mappers 2>/dev/null
	container_remove "$C_ID"
	container_remove "$staller"
	wait $mappers 2>/dev/null
}

for_each_run stalled
finish
