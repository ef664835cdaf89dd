#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-01-runtime.sh - the ground the scenarios stand on, without the module: runc and crun start
# containers of the three-layer image on an overlay snapshot, in Docker's and Kubernetes' cgroups,
# running the image's real Debian programs, and a write inside lands in the upper layer.
. /e2e/lib.sh

# Here every runtime under every cgroup layout (on the debug kernels, several times slower, the
# pairings the scenarios use); the scenarios then take one pairing each.
if [ "${WHORL_DEBUG:-0}" = 1 ]; then
	PAIRS=$RUNS
else
	PAIRS="runc:docker runc:k8s crun:docker crun:k8s"
fi
for run in $PAIRS; do
	runtime=${run%%:*}
	style=${run##*:}
	t="$runtime/$style"
	if ! SHM_EXEC="exec" container_start "$style" "$runtime" /bin/sleep infinity; then
		not_ok "$t: container starts" "see the diagnostics above"
		continue
	fi
	ok "$t: container starts"

	case $style in
	docker) want="^/system.slice/docker-$C_ID.scope\$" ;;
	k8s) want="^/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod[0-9a-f_]*.slice/cri-containerd-$C_ID.scope\$" ;;
	esac
	got=$(cgroup_of "$C_PID")
	if echo "$got" | grep -q "$want"; then
		ok "$t: init is in the runtime's cgroup"
		diag "$t: $got"
	else
		not_ok "$t: init is in the runtime's cgroup" "expected $want, got '$got'"
	fi

	# The image's xz (layer 2) with the image's liblzma, through the dynamic loader of layer 1.
	out=$(ctr "$C_ID" /usr/bin/xz --version 2>&1)
	case $out in
	*"liblzma 5."*) ok "$t: image xz runs with image liblzma" ;;
	*) not_ok "$t: image xz runs with image liblzma" "xz --version said: $out" ;;
	esac
	exec_cg=$(ctr "$C_ID" /bin/cat /proc/self/cgroup)
	if [ "$exec_cg" = "0::/" ]; then
		ok "$t: exec'd processes see their own cgroup namespace root"
	else
		not_ok "$t: exec'd processes see their own cgroup namespace root" "got '$exec_cg'"
	fi

	# A tampered library streamed in over the image's copy: copy-up into the upper layer.
	lib=/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1
	ctr_copy_in "$C_ID" "$E2E_DATA/liblzma.so.5.tampered" "$lib" 0644
	if [ -f "$C_UPPER$lib" ] &&
		[ "$(sha256_of "$C_UPPER$lib")" = "$(sha256_of "$E2E_DATA/liblzma.so.5.tampered")" ]; then
		ok "$t: overwritten image library is copied up"
	else
		not_ok "$t: overwritten image library is copied up" "no matching $C_UPPER$lib"
	fi
	out=$(ctr "$C_ID" /usr/bin/xz --version 2>&1)
	case $out in
	*"liblzma 5."*) ok "$t: xz still runs with the tampered liblzma" ;;
	*) not_ok "$t: xz still runs with the tampered liblzma" "xz --version said: $out" ;;
	esac

	# The probe's ways to run code: dlopen, memfd, /dev/shm.
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /dev/shm/hello
	check "$t: a binary runs from an executable /dev/shm" ctr "$C_ID" /dev/shm/hello
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /tmp/hello
	check "$t: a binary runs from a memfd" ctr "$C_ID" /usr/local/bin/probe memfd-exec /tmp/hello x
	ctr_copy_in "$C_ID" "$E2E_DATA/libsystemd-shim.so" /tmp/libsystemd-shim.so 0644
	check "$t: an added library loads" ctr "$C_ID" /usr/local/bin/probe dlopen /tmp/libsystemd-shim.so
	container_remove "$C_ID"
	if [ -d "/sys/fs/cgroup$C_CGROUP" ]; then
		not_ok "$t: container removal removes its cgroup" "/sys/fs/cgroup$C_CGROUP remains"
	else
		ok "$t: container removal removes its cgroup"
	fi
done
finish
