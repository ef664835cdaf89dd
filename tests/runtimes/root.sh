#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# root.sh - the root file system the runtimes guest mounts: Debian 12 (the host's own suite) with
# Debian's docker.io, containerd and podman installed by its own apt, as on a container host, packed
# into an ext4 image that QEMU attaches read-only (its writes go to a throw-away snapshot). It also
# holds gcc, libc6-dev and make: mounted read-only as an image's layer, it is the build image of
# the exec-rules suite's benign workload (tests/e2e/t-70-exec-rules.sh), Debian's own toolchain.
#
#   root.sh image      make (once) and print the image's path
#
# Cached in $WHORL_RUNTIMES_CACHE (~/.cache/whorl/runtimes): root/ (the debootstrap tree), root.img
# and the logs. Nothing is installed into the host; no daemon starts while the tree is made
# (policy-rc.d says no, and there is no init in a chroot). A newer package on the mirror is picked
# up when the cache is removed, not silently: the image's package versions are in root.versions.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
cache=${WHORL_RUNTIMES_CACHE:-$HOME/.cache/whorl/runtimes}
suite=bookworm
packages="docker.io containerd podman gcc libc6-dev make"

die() { echo "root.sh: $*" >&2; exit 1; }
say() { echo "root.sh: $*" >&2; }

make_root() {
	local dir=$cache/root
	# the tree is kept while it holds this package list (the marker names it)
	[ -f "$dir/.whorl-ready" ] && [ "$(cat "$dir/.whorl-ready")" = "$packages" ] && return 0
	say "debootstrap $suite with $packages (once; cached in $dir)"
	umount "$dir/proc" 2>/dev/null || true
	rm -rf "$dir"
	mkdir -p "$cache"
	debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir" \
		"$(whorl_mirror debian)" >"$cache/debootstrap.log" 2>&1 ||
		die "debootstrap failed: $cache/debootstrap.log"
	{
		echo "deb $(whorl_mirror debian) $suite main"
		echo "deb $(whorl_mirror debian) $suite-updates main"
		echo "deb $(whorl_mirror debian-security) $suite-security main"
	} >"$dir/etc/apt/sources.list"
	apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
		>"$dir/etc/apt/apt.conf.d/99whorl-host" || true
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 0755 "$dir/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
	mount -t proc proc "$dir/proc"
	if ! env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive chroot "$dir" sh -c "apt-get -qq update &&
		apt-get -y -qq --no-install-recommends install $packages" >"$cache/install.log" 2>&1; then
		umount "$dir/proc"
		die "$packages did not install: $cache/install.log"
	fi
	umount "$dir/proc"
	chroot "$dir" dpkg-query -W $packages runc >"$cache/root.versions"
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*_Packages
	echo "$packages" >"$dir/.whorl-ready"
}

make_image() {
	local dir=$cache/root img=$cache/root.img mb
	[ -f "$img" ] && [ "$img" -nt "$dir/.whorl-ready" ] && return 0
	# the tree, and room for what the daemons write (images, containers, their upper layers)
	mb=$(($(du -sm "$dir" | cut -f1) + 768))
	rm -f "$img.tmp"
	mke2fs -q -t ext4 -L whorl-rt -d "$dir" "$img.tmp" "${mb}M" >"$cache/mke2fs.log" 2>&1 ||
		die "mke2fs failed: $cache/mke2fs.log"
	mv "$img.tmp" "$img"
}

case ${1:-} in
image)
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	make_root
	make_image
	echo "$cache/root.img"
	;;
*) die "usage: root.sh image" ;;
esac
