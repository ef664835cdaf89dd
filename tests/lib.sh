# SPDX-License-Identifier: GPL-2.0
# lib.sh - host-side shell helpers shared by whorl's test scripts (source it; bash only).
#
#   whorl_top                    the repository's top directory
#   whorl_logdir                 where logs go: $WHORL_LOGDIR or <top>/build/logs
#   whorl_distro_releases        the newest installed Debian kernel release of each series (6.1,
#                                6.12, ...) that has headers and a /boot/vmlinuz, one per line
#   whorl_tree_copy DEST         a copy of the source tree (no build products, no .git) in DEST,
#                                so builds for different kernels never clobber each other
#   whorl_build_module DEST LOG MAKEARGS...
#                                copy the tree to DEST, `make module MAKEARGS W=1 WERROR=1` there;
#                                fails on a build error or on any warning in the log
#   whorl_build_verdict DEST LOG a finished build's verdict: fails on any warning in LOG or
#                                without DEST/whorl.ko (also for builds made elsewhere)
#   whorl_test_kernel SERIES     build (or find cached) the KUnit + debug kernel; prints its dir
#   whorl_guest NAME KERNEL MODE SRCTREE -- INITRAMFS-ARGS...
#                                pack an initramfs (tests/qemu/initramfs.sh) and boot it
#                                (tests/qemu/run.sh); counts land in <logdir>/NAME/counts;
#                                $WHORL_GUEST_TIMEOUT bounds the boot (default 2700 s),
#                                $WHORL_GUEST_APPEND adds to the kernel command line,
#                                $WHORL_GUEST_DISK attaches a disk image (run.sh -D)

whorl_top() {
	(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
}

whorl_logdir() {
	echo "${WHORL_LOGDIR:-$(whorl_top)/build/logs}"
}

# whorl_is_rt RELEASE: are the installed headers of RELEASE a PREEMPT_RT kernel's?
whorl_is_rt() {
	grep -q '^CONFIG_PREEMPT_RT=y' "/lib/modules/$1/build/.config" 2>/dev/null
}

# whorl_rt_releases: the installed kernel headers that are PREEMPT_RT's (Debian's -rt flavour),
# the newest of each series: whorl builds a module for them that refuses to load.
whorl_rt_releases() {
	local rel series
	declare -A newest=()
	for rel in $(ls /lib/modules 2>/dev/null | sort -V); do
		[ -f "/lib/modules/$rel/build/Makefile" ] && whorl_is_rt "$rel" || continue
		series=$(echo "$rel" | grep -oE '^[0-9]+\.[0-9]+')
		newest[$series]=$rel
	done
	for series in "${!newest[@]}"; do echo "${newest[$series]}"; done | sort -V
}

# whorl_rt_image RELEASE: RELEASE's kernel image package from the host's own suite, extracted
# (never installed) into ~/.cache/whorl/rt/RELEASE, with its modules.dep; prints the directory.
whorl_rt_image() {
	local rel=$1 dir tmp
	dir=${WHORL_CACHE:-$HOME/.cache/whorl}/rt/$rel
	if [ ! -f "$dir/done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		tmp=$(mktemp -d)
		if ! (cd "$tmp" && apt-get download -qq "linux-image-$rel") >&2 ||
			! dpkg-deb -x "$tmp"/linux-image-"$rel"_*.deb "$dir" ||
			[ ! -f "$dir/boot/vmlinuz-$rel" ] || ! depmod -b "$dir" "$rel"; then
			echo "whorl_rt_image: could not fetch and extract linux-image-$rel" >&2
			rm -rf "$tmp"
			return 1
		fi
		rm -rf "$tmp"
		touch "$dir/done"
	fi
	echo "$dir"
}

# whorl_mirror KIND: the host's URI for the debian (or debian-security) archive
whorl_mirror() {
	local kind=$1 uri
	uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
		2>/dev/null | grep -v '^[[:space:]]*#' |
		grep -oE '(https?|ftp)://[^ ]+' | sed 's|/*$||' | grep -E "/$kind\$" | head -n 1 || true)
	echo "${uri:-http://deb.debian.org/$kind}"
}

whorl_distro_releases() {
	local rel series
	declare -A newest=()
	for rel in $(ls /lib/modules 2>/dev/null | sort -V); do
		[ -f "/lib/modules/$rel/build/Makefile" ] && [ -f "/boot/vmlinuz-$rel" ] || continue
		# PREEMPT_RT kernels are refused at build (tests/packaging/dkms.sh tests that)
		whorl_is_rt "$rel" && continue
		series=$(echo "$rel" | grep -oE '^[0-9]+\.[0-9]+')
		newest[$series]=$rel
	done
	for series in "${!newest[@]}"; do echo "${newest[$series]}"; done | sort -V
}

whorl_tree_copy() {
	local dest=$1 top
	top=$(whorl_top)
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -C "$top" --exclude=./.git --exclude=./build --exclude=./out \
		--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' -cf - . | tar -C "$dest" -xf -
}

whorl_build_module() {
	local dest=$1 log=$2
	shift 2
	whorl_tree_copy "$dest"
	if ! make -C "$dest" module "$@" W=1 WERROR=1 > "$log" 2>&1; then
		echo "build failed: $log" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
	whorl_build_verdict "$dest" "$log"
}

whorl_build_verdict() {
	local dest=$1 log=$2
	if grep -iE 'warning' "$log" >&2; then
		echo "build warned (a warning is a failure): $log" >&2
		return 1
	fi
	[ -f "$dest/whorl.ko" ] || { echo "no whorl.ko after the build: $log" >&2; return 1; }
}

whorl_test_kernel() {
	bash "$(whorl_top)/tests/qemu/kernel.sh" build "$1"
}

whorl_guest() {
	local name=$1 kernel=$2 mode=$3 srctree=$4 logdir initrd
	shift 4
	[ "${1:-}" = -- ] && shift
	logdir=$(whorl_logdir)/$name
	mkdir -p "$logdir"
	rm -f "$logdir/counts"
	initrd=$logdir/initramfs.cpio.gz
	bash "$(whorl_top)/tests/qemu/initramfs.sh" -o "$initrd" "$@" || return 1
	bash "$(whorl_top)/tests/qemu/run.sh" -n "$name" -k "$kernel" -i "$initrd" -m "$mode" \
		${srctree:+-K "$srctree"} -T "${WHORL_GUEST_TIMEOUT:-2700}" \
		${WHORL_GUEST_APPEND:+-A "$WHORL_GUEST_APPEND"} ${WHORL_GUEST_DISK:+-D "$WHORL_GUEST_DISK"}
}
