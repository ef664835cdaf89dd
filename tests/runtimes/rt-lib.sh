# SPDX-License-Identifier: GPL-2.0
# rt-lib.sh - the runtimes suite's guest side: Debian 12's own dockerd, containerd and podman,
# started from the root file system on /dev/vda (tests/runtimes/root.sh) in a chroot at $RT, with
# the cgroupfs driver (no systemd in the guest), no network (none is needed to run a local image),
# and the image archive tests/runtimes/build.sh made. Sourced after /e2e/lib.sh.
#
# The guest's root is its initramfs, and a mount namespace entered with setns(2) (as `docker exec`
# and every runtime's exec do) starts at that namespace's root and follows only mounts stacked on
# it. With the daemons in a plain chroot, an exec'd process landed on the initramfs, not in the
# container (measured: its /proc/self/mountinfo began with rootfs; a file it wrote was the
# guest's). So the daemons live in a mount namespace of their own whose root has the runtimes'
# disk moved onto it, as a host's root file system is: rt() enters it with nsenter. The tmpfs of
# /run and /tmp and the disk are the same file systems outside, under $RT, where the relay reads
# the runtimes' state.

RT=${RT:-/rt}
RT_DATA=$E2E_DATA/runtimes
RT_IMAGE=whorl-e2e/app:1.0
# the relay reads each runtime's state under the chroot, at the paths it has on a host
export WHORL_STATE_ROOT=$RT

RT_NS=""

# rt COMMAND...: COMMAND in the runtimes' mount namespace and root, as on a container host
rt() {
	nsenter -t "$RT_NS" -m -- /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"
}

# rt_wait_sock PATH: until the daemon's socket exists under $RT (a hang detector: the daemons
# start in seconds natively, and many times that under TCG)
rt_wait_sock() {
	local i
	for i in $(seq 1 1200); do
		[ -S "$RT$1" ] && return 0
		sleep 0.25
	done
	return 1
}

# rt_up: the disk mounted, the chroot's kernel file systems, containerd and dockerd running, the
# image loaded into Docker, containerd's k8s.io namespace and Podman. Fails (1) with a diagnostic.
rt_up() {
	mkdir -p "$RT"
	if ! mount -t ext4 /dev/vda "$RT"; then
		diag "rt_up: /dev/vda does not mount (is the runtimes disk attached?)"
		return 1
	fi
	mount -t proc proc "$RT/proc"
	mount -o rbind /sys "$RT/sys"
	mount -o rbind /dev "$RT/dev"
	mount -t tmpfs -o mode=0755 tmpfs "$RT/run"
	mount -t tmpfs -o mode=1777 tmpfs "$RT/tmp"
	ln -s /run "$RT/var/run" 2>/dev/null || true
	cp "$RT_DATA/image.tar" "$RT/tmp/image.tar"
	# the namespace: held by a sleeping process; its root is the disk, with all mounted above
	unshare -m /bin/sh -c "mount -o move $RT / && exec sleep 2147483647" &
	RT_NS=$!
	i=0
	while [ "$(readlink /proc/$RT_NS/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ] ||
		! nsenter -t "$RT_NS" -m -- /usr/bin/test -x /usr/bin/containerd 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 600 ] || ! kill -0 "$RT_NS" 2>/dev/null; then
			diag "rt_up: the runtimes' mount namespace did not come up"
			return 1
		fi
		sleep 0.1
	done
	rt /usr/bin/containerd --log-level warn >"$E2E_TMP/containerd.log" 2>&1 &
	if ! rt_wait_sock /run/containerd/containerd.sock; then
		diag "containerd did not start: $(tail -n 5 "$E2E_TMP/containerd.log" | tr '\n' ' ')"
		return 1
	fi
	rt /usr/sbin/dockerd --containerd /run/containerd/containerd.sock --bridge none \
		--iptables=false --ip6tables=false --ip-masq=false \
		--exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2 --log-level warn \
		>"$E2E_TMP/dockerd.log" 2>&1 &
	if ! rt_wait_sock /run/docker.sock; then
		diag "dockerd did not start: $(tail -n 5 "$E2E_TMP/dockerd.log" | tr '\n' ' ')"
		return 1
	fi
	return 0
}

# rt_down: every container gone, the daemons stopped, the namespace and the disk released, so
# that whatever runs next in this guest finds it as it was
rt_down() {
	local daemon i m
	[ -n "$RT_NS" ] || return 0
	rt sh -c 'docker rm -f $(docker ps -aq) >/dev/null 2>&1' 2>/dev/null
	rt_podman rm -af >/dev/null 2>&1
	for daemon in dockerd containerd; do
		killall "$daemon" 2>/dev/null
		for i in $(seq 1 300); do
			pidof "$daemon" >/dev/null || break
			sleep 0.1
		done
	done
	# (a process's name is cut to 15 characters: containerd-shim-runc-v2 is containerd-shim)
	killall containerd-shim conmon 2>/dev/null
	kill "$RT_NS" 2>/dev/null
	wait "$RT_NS" 2>/dev/null
	RT_NS=""
	for m in tmp run dev sys proc ""; do umount -l "$RT/$m" 2>/dev/null; done
}

# podman COMMAND...: Podman as root without systemd: cgroupfs, events to a file
rt_podman() {
	rt /usr/bin/podman --cgroup-manager cgroupfs --events-backend file "$@"
}

# rt_ctr COMMAND...: containerd's own client in the namespace the CRI (the kubelet's) uses
rt_ctr() {
	rt /usr/bin/ctr -n k8s.io "$@"
}
