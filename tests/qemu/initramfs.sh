#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh - pack a test guest's initramfs: busybox, tests/qemu/guest-init, the modules, the tool, payloads.
#
#   tests/qemu/initramfs.sh -o OUT.cpio.gz [options]
#     -k FILE        a module to test, copied to /whorl/ (whorl.ko, whorl_kunit.ko); repeatable
#     -r RELEASE     copy overlay, sha256-ssse3 and fuse (and what they depend on, unless built in)
#                    from /lib/modules/RELEASE,
#                    decompressed, to /whorl/deps/ for the guest to load first; for distro kernels
#     -m NAME        with -r: one more kernel module to copy; repeatable
#     -B DIR         with -r: take the modules from DIR/lib/modules/RELEASE (an extracted kernel
#                    package, with its modules.dep) instead of /lib/modules
#     -s DIR         a smoke-test directory, copied to /smoke/
#     -e DIR         an end-to-end test directory, copied to /e2e/
#     -p DIR         a payload directory, its contents merged into / (runc, crun, image layers...);
#                    repeatable
#     -b PATH        a host binary to copy (with its libraries) to the same path; repeatable
#     -t FILE        the `whorl` tool (default userspace/whorl, if it was built)
# The guest protocol is described at the top of tests/qemu/guest-init.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

out=
release=
basedir=
kos=()
kmods=(overlay sha256-ssse3 fuse)
smoke=()
e2e=()
payloads=()
bins=(/usr/bin/xz)
tool=$top/userspace/whorl

die() { echo "initramfs.sh: $*" >&2; exit 1; }

while getopts "o:k:r:B:m:s:e:p:b:t:" opt; do
	case "$opt" in
	o) out=$OPTARG ;;
	k) kos+=("$OPTARG") ;;
	r) release=$OPTARG ;;
	B) basedir=$OPTARG ;;
	m) kmods+=("$OPTARG") ;;
	s) smoke+=("$OPTARG") ;;
	e) e2e+=("$OPTARG") ;;
	p) payloads+=("$OPTARG") ;;
	b) bins+=("$OPTARG") ;;
	t) tool=$OPTARG ;;
	*) die "unknown option (see the top of this script)" ;;
	esac
done
[ -n "$out" ] || die "-o OUT is required"
[ -z "$basedir" ] || [ -n "$release" ] || die "-B goes with -r"
modinfo=(modinfo ${basedir:+-b "$basedir"} -k "$release")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# A merged-/usr layout like the host's, so library paths from ldd are valid in the guest.
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,root,etc,whorl/deps}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

# busybox and its applets, as symlinks to it (never over the binary itself)
bb=$(command -v busybox) || die "busybox-static is not installed"
cp "$bb" "$root/usr/bin/busybox"
while read -r applet; do
	name=${applet##*/}
	[ "$name" = busybox ] && continue
	[ -e "$root/usr/bin/$name" ] || [ -e "$root/usr/sbin/$name" ] && continue
	ln -s /usr/bin/busybox "$root/usr/bin/$name"
done < <("$root/usr/bin/busybox" --list)

install -m 0755 "$here/guest-init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

# copy_bin PATH [DEST]: a host binary and every library it loads, the loader included
copy_bin() {
	local src=$1 dest=${2:-$1} lib
	rm -f "$root$dest"
	mkdir -p "$(dirname "$root$dest")"
	cp -L "$src" "$root$dest"
	for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+' || true); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$(dirname "$root$lib")"
		cp -L "$lib" "$root$lib"
	done
}

for b in "${bins[@]}"; do
	[ -x "$b" ] || die "no binary $b"
	copy_bin "$b"
done
if [ -x "$tool" ]; then
	copy_bin "$tool" /usr/bin/whorl
else
	echo "initramfs.sh: no tool at $tool; the guest has no /usr/bin/whorl" >&2
fi

for ko in "${kos[@]}"; do
	[ -f "$ko" ] || die "no module $ko"
	cp "$ko" "$root/whorl/"
done
# What the KUnit suites expect the guest to have set up before they load (a real overlayfs...).
mkdir -p "$root/whorl/fixtures"
for f in "$top"/tests/kunit/*-fixture.sh; do
	[ -e "$f" ] && install -m 0755 "$f" "$root/whorl/fixtures/"
done

# Kernel modules the distro kernel needs for whorl's tests, dependencies first, decompressed
# (busybox insmod reads neither .ko.xz nor modules.dep).
if [ -n "$release" ]; then
	n=0
	declare -A seen=()
	add_kmod() {
		local name=$1 file dep
		[ -n "${seen[$name]:-}" ] && return 0
		seen[$name]=1
		file=$("${modinfo[@]}" -n "$name" 2>/dev/null) || return 0
		case "$file" in /*) ;; *) return 0 ;; esac # built in
		for dep in $("${modinfo[@]}" -F depends "$name" | tr ',' ' '); do
			add_kmod "$dep"
		done
		n=$((n + 1))
		local dest
		dest="$root/whorl/deps/$(printf '%02d' "$n")-${file##*/}"
		case "$file" in
		*.ko.xz) xz -dc "$file" > "${dest%.xz}" ;;
		*.ko.zst) zstd -dc "$file" > "${dest%.zst}" ;;
		*.ko.gz) gzip -dc "$file" > "${dest%.gz}" ;;
		*) cp "$file" "$dest" ;;
		esac
	}
	for m in "${kmods[@]}"; do add_kmod "$m"; done
fi

copy_tree() {
	[ -d "$1" ] || die "no directory $1"
	mkdir -p "$2"
	tar -C "$1" -cf - . | tar -C "$2" -xf - --keep-directory-symlink --no-same-owner
}
for d in "${smoke[@]}"; do copy_tree "$d" "$root/smoke"; done
for d in "${e2e[@]}"; do copy_tree "$d" "$root/e2e"; done
for d in "${payloads[@]}"; do copy_tree "$d" "$root"; done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
