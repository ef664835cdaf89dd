#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernels.sh - the kernel matrix beyond the host's own Debian 12 kernels: for each other Debian
# suite, the newest kernel of its series that the mirror serves (found by query, never named
# here), extracted for QEMU, and a chroot of that suite to build whorl.ko as its DKMS would.
#
#   kernels.sh list                 the matrix suites, one per line
#   kernels.sh prepare SUITE        private apt lists updated; the newest kernel found; its vmlinuz
#                                   and /lib/modules/<rel> extracted; the suite's chroot made once
#                                   (debootstrap) with linux-headers-<rel> installed by its own
#                                   apt. Prints one line: `<rel> <dir>` (dir holds
#                                   boot/vmlinuz-<rel> and lib/modules/<rel>)
#   kernels.sh build SUITE TREE OUT LOG
#                                   copies TREE into the chroot, `make module KERNELRELEASE=<rel>
#                                   W=1 WERROR=1` there (any warning fails, as whorl_build_module),
#                                   copies whorl.ko to OUT; the build's output goes to LOG
#
# Nothing of another suite is installed into the host and the host's apt sources are untouched:
# apt runs with a private source list, lists and cache per suite. The mirror is the one the
# host's sources use. Everything is cached in $WHORL_MATRIX_CACHE (~/.cache/whorl/matrix):
# apt/<suite> (lists, debs), kernels/<suite>/<rel> (keyed by release and package version, so a
# newer kernel on the mirror is picked up), chroot/<name>. A lock per chroot keeps two runs
# from clobbering each other.
set -euo pipefail

cache=${WHORL_MATRIX_CACHE:-$HOME/.cache/whorl/matrix}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"

# suite -> "chroot apt-suites series" (series: a kernel series, or `meta` for the target of the
# suite's linux-image-amd64). The apt suites with -security come from the security archive.
declare -A matrix=(
	[bullseye]="bullseye bullseye,bullseye-security 5.10"
	[trixie]="trixie trixie,trixie-security 6.12"
	[sid]="sid sid meta"
	[trixie-backports]="trixie trixie-backports meta"
)
order=(bullseye trixie sid trixie-backports)
# what each chroot's own apt sees: a trixie-backports kernel is built by trixie's gcc, as a
# trixie host's DKMS would build it
declare -A chroot_suites=(
	[bullseye]="bullseye bullseye-security"
	[trixie]="trixie trixie-security trixie-backports"
	[sid]="sid"
)

die() { echo "kernels.sh: $*" >&2; exit 1; }
say() { echo "kernels.sh: $*" >&2; }

# source_line APT-SUITE: one deb line for it
source_line() {
	local kind=debian
	case $1 in *-security) kind=debian-security ;; esac
	echo "deb [signed-by=$keyring] $(whorl_mirror "$kind") $1 main"
}

# apt_private SUITE ARGS...: apt-get/apt-cache with SUITE's private list, lists and cache
apt_private() {
	local suite=$1 tool=$2 d=$cache/apt/$1
	shift 2
	# (APT::Sandbox::User=root: the cache is under root's home, which _apt cannot enter)
	"$tool" -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts="$d/none" \
		-o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts="$d/none" \
		-o APT::Sandbox::User=root \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::Cache::Archives="$d/debs" -o APT::Architectures::=amd64 "$@"
}

apt_update() {
	local suite=$1 d=$cache/apt/$1 s
	mkdir -p "$d/lists/partial" "$d/cache" "$d/debs/partial" "$d/none"
	read -r _ suites _ <<<"${matrix[$suite]}"
	for s in ${suites//,/ }; do source_line "$s"; done >"$d/sources.list"
	apt_private "$suite" apt-get -qq update
}

# newest SUITE: the kernel package to take, as `<package> <version>`
newest() {
	local suite=$1 series pkg ver images
	read -r _ _ series <<<"${matrix[$suite]}"
	if [ "$series" = meta ]; then
		# the meta package of this suite alone (its list holds a single suite for these)
		pkg=$(apt_private "$suite" apt-cache show linux-image-amd64 | awk '/^Version:/ {v=$2}
			/^Depends:/ {print v, $0}' | sort -V -k1,1 | tail -n 1 |
			grep -oE 'linux-image-[0-9][^ ,]*-amd64' | head -n 1)
	else
		# every flavourless amd64 image of the series, with its version: the newest wins
		mapfile -t images < <(apt_private "$suite" apt-cache pkgnames linux-image- |
			grep -E "^linux-image-${series//./\\.}[.0-9]*[-+][^ ]*-amd64\$" |
			grep -vE -- '-(dbg|unsigned|rt|cloud)-' || true)
		[ "${#images[@]}" -gt 0 ] || die "$suite: no linux-image-$series amd64 image on the mirror"
		pkg=$(apt_private "$suite" apt-cache show --no-all-versions "${images[@]}" |
			awk '/^Package:/ {p=$2} /^Version:/ {print $2, p}' | sort -V | tail -n 1 |
			cut -d' ' -f2)
	fi
	[ -n "$pkg" ] || die "$suite: no kernel image found on the mirror"
	ver=$(apt_private "$suite" apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' |
		head -n 1)
	echo "$pkg $ver"
}

lock() { # lock NAME: hold $cache/locks/NAME.lock until the script exits
	mkdir -p "$cache/locks"
	exec 9>"$cache/locks/$1.lock"
	flock 9
}

# in_chroot DIR CMD...: CMD in the chroot, /proc and /dev/pts mounted for its duration
in_chroot() {
	local dir=$1 rc=0
	shift
	mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
	cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive \
		chroot "$dir" "$@" || rc=$?
	umount "$dir/proc" 2>/dev/null || true
	return "$rc"
}

make_chroot() {
	local name=$1 dir=$cache/chroot/$1 s
	[ -f "$dir/.whorl-ready" ] && return 0
	say "debootstrap $name (once; cached in $dir)"
	rm -rf "$dir"
	mkdir -p "$cache/chroot"
	debootstrap --variant=minbase --include=build-essential,bc,kmod,xz-utils,ca-certificates \
		"$name" "$dir" "$(whorl_mirror debian)" >"$cache/chroot/$name.debootstrap.log" 2>&1 ||
		die "debootstrap $name failed: $cache/chroot/$name.debootstrap.log"
	for s in ${chroot_suites[$name]}; do
		case $s in *-security) echo "deb $(whorl_mirror debian-security) $s main" ;;
		*) echo "deb $(whorl_mirror debian) $s main" ;; esac
	done >"$dir/etc/apt/sources.list"
	touch "$dir/.whorl-ready"
}

prepare() {
	local suite=$1 chroot pkg ver rel kdir deb parts debs p
	[ -n "${matrix[$suite]:-}" ] || die "unknown suite '$suite' (see: kernels.sh list)"
	read -r chroot _ _ <<<"${matrix[$suite]}"
	lock "$chroot"
	apt_update "$suite" || die "$suite: apt-get update failed"
	read -r pkg ver < <(newest "$suite")
	rel=${pkg#linux-image-}
	kdir=$cache/kernels/$suite/$rel
	if [ "$(cat "$kdir/.version" 2>/dev/null)" != "$ver" ]; then
		say "$suite: $pkg $ver: download and extract"
		# from 7.x on the image package only depends on linux-binary-<rel> (vmlinuz) and
		# linux-modules-<rel>: take those too
		parts=$(apt_private "$suite" apt-cache show --no-all-versions "$pkg" |
			sed -n 's/^Depends: //p' | head -n 1 | tr ',|' '\n' |
			awk -v r="$rel" '$1 == "linux-binary-" r || $1 == "linux-modules-" r {print $1}')
		debs=$cache/apt/$suite/debs
		rm -f "$debs"/*.deb
		for p in $pkg $parts; do
			(cd "$debs" && apt_private "$suite" apt-get -qq download "$p=$ver") ||
				die "$suite: download of $p failed"
		done
		rm -rf "$kdir"
		mkdir -p "$kdir"
		for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$kdir"; done
		# one layout whatever the packaging: merged /usr, vmlinuz beside the modules (7.x)
		if [ -d "$kdir/usr/lib/modules/$rel" ] && [ ! -e "$kdir/lib/modules/$rel" ]; then
			mkdir -p "$kdir/lib/modules"
			mv "$kdir/usr/lib/modules/$rel" "$kdir/lib/modules/$rel"
		fi
		if [ -f "$kdir/lib/modules/$rel/vmlinuz" ] && [ ! -e "$kdir/boot/vmlinuz-$rel" ]; then
			mkdir -p "$kdir/boot"
			mv "$kdir/lib/modules/$rel/vmlinuz" "$kdir/boot/vmlinuz-$rel"
		fi
		[ -f "$kdir/boot/vmlinuz-$rel" ] && [ -d "$kdir/lib/modules/$rel" ] ||
			die "$suite: $pkg $parts hold no vmlinuz-$rel or modules"
		rm -f "$debs"/*.deb
		echo "$ver" >"$kdir/.version"
	fi
	# the package leaves modules.dep to its postinst: made here for `modinfo -b`
	# (its complaints about modules.order and modules.builtin, which 7.x packages lack, are noise)
	[ -f "$kdir/lib/modules/$rel/modules.dep" ] || depmod -b "$kdir" "$rel" 2>/dev/null
	make_chroot "$chroot"
	# the chroot's apt trusts the mirror as the host's does (a snapshot mirror's Release may
	# be past its Valid-Until; the host's apt is told to accept that)
	apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
		>"$cache/chroot/$chroot/etc/apt/apt.conf.d/99whorl-host" || true
	# (where the headers' files are: /lib/modules/<rel>/build may be an absolute link, which
	# only resolves inside the chroot)
	if [ ! -f "$cache/chroot/$chroot/usr/src/linux-headers-$rel/Makefile" ]; then
		say "$suite: linux-headers-$rel into the $chroot chroot"
		in_chroot "$cache/chroot/$chroot" sh -c "apt-get -qq update &&
			apt-get -y -qq --no-install-recommends install linux-headers-$rel" \
			>"$cache/chroot/$chroot.headers-$rel.log" 2>&1 ||
			die "$suite: linux-headers-$rel did not install: $cache/chroot/$chroot.headers-$rel.log"
	fi
	echo "$rel" >"$cache/kernels/$suite/current"
	echo "$rel $kdir"
}

build() {
	local suite=$1 tree=$2 out=$3 log=$4 chroot rel dest
	[ -n "${matrix[$suite]:-}" ] || die "unknown suite '$suite'"
	read -r chroot _ _ <<<"${matrix[$suite]}"
	rel=$(cat "$cache/kernels/$suite/current" 2>/dev/null) || die "$suite: not prepared"
	lock "$chroot"
	dest=$cache/chroot/$chroot/build/$suite
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -C "$tree" --exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' -cf - . | tar -C "$dest" -xf -
	if ! in_chroot "$cache/chroot/$chroot" make -C "/build/$suite" module KERNELRELEASE="$rel" \
		W=1 WERROR=1 >"$log" 2>&1; then
		echo "build failed: $log" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
	whorl_build_verdict "$dest" "$log" || return 1
	mkdir -p "$(dirname "$out")"
	cp "$dest/whorl.ko" "$out"
}

case ${1:-} in
list) printf '%s\n' "${order[@]}" ;;
prepare) [ $# -eq 2 ] || die "usage: kernels.sh prepare SUITE"; prepare "$2" ;;
build) [ $# -eq 5 ] || die "usage: kernels.sh build SUITE TREE OUT LOG"; build "$2" "$3" "$4" "$5" ;;
*) die "usage: kernels.sh list | prepare SUITE | build SUITE TREE OUT LOG" ;;
esac
