#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel.sh - build (once, cached) a KUnit + debug test kernel from Debian's linux-source tarballs.
#
#   tests/qemu/kernel.sh list            the source series found, one per line (e.g. 6.1, 6.12)
#   tests/qemu/kernel.sh build SERIES    build if not cached; print the kernel's cache directory
#
# The cache directory (~/.cache/whorl/kernels/<series>-<package version>-<config hash>/, or under
# $WHORL_CACHE) holds:
#   src/     the extracted source tree (tools/testing/kunit/kunit.py lives here)
#   build/   the O= build tree: build modules with `make -C <dir>/build M=<tree> modules`
#   bzImage  the kernel to boot
#   kernelrelease
# The key covers the fragments (*.config here), this script and the source package's version, so
# changing any of them builds a new kernel and an unchanged one is a cache hit.
#
# One kernel per source version is both the KUnit kernel and the debug kernel (KASAN, lockdep,
# debugobjects, kmemleak all on): building two kernels per version would double the cold build,
# while the checkers cost the guest only a few seconds of TCG boot time. Measured on this 2-core
# machine: see tests/qemu/README.md.
#
# Configuration: `make allnoconfig` with the fragments as KCONFIG_ALLCONFIG, then olddefconfig;
# every line of every fragment is then checked against .config, and a symbol that did not end up
# as asked (a missing dependency, a renamed option) fails the build loudly.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${WHORL_CACHE:-$HOME/.cache/whorl}/kernels
jobs=${WHORL_JOBS:-$(nproc)}

die() { echo "kernel.sh: $*" >&2; exit 1; }

tarballs() {
	ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V
}

series_of() {
	local t=${1##*/linux-source-}
	echo "${t%.tar.xz}"
}

list() {
	local t
	for t in $(tarballs); do series_of "$t"; done
}

# The source package's version (or, for a tarball no package owns, its size and mtime).
source_version() {
	local tarball=$1 pkg
	if pkg=$(dpkg -S "$tarball" 2>/dev/null | cut -d: -f1) && [ -n "$pkg" ]; then
		dpkg-query -W -f='${Version}' "$pkg" | tr '~+:' '___'
	else
		stat -c '%s-%Y' "$tarball"
	fi
}

config_hash() {
	cat "$here"/*.config "$here/kernel.sh" | sha256sum | cut -c1-12
}

# Every fragment line "CONFIG_X=v" must read exactly so in .config, "# CONFIG_X is not set" must
# not be set. A symbol this source's Kconfig does not define at all (an option newer than the
# tree, e.g. KUNIT_DEFAULT_ENABLED on 6.1) is reported and skipped.
defined() {
	grep -rqx --include='Kconfig*' -E "(menu)?config $1" "$2/src"
}
verify_config() {
	local dir=$1 config=$1/build/.config line sym bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF -- "$line" "$config" && continue
			sym=${line%%=*}
			if ! defined "${sym#CONFIG_}" "$dir"; then
				echo "kernel.sh: $sym is not defined in this source; skipped" >&2
				continue
			fi
			echo "kernel.sh: wanted '$line', got '$(grep -E "^(# )?$sym[= ]" "$config" || echo "$sym absent")'" >&2
			bad=1
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -q "^$sym=" "$config"; then
				echo "kernel.sh: wanted '$line', got '$(grep "^$sym=" "$config")'" >&2
				bad=1
			fi
			;;
		esac
	done < <(cat "$here"/*.config)
	return "$bad"
}

build() {
	local series=$1 tarball="/usr/src/linux-source-$1.tar.xz" key dir log start
	[ -f "$tarball" ] || die "no $tarball (apt-get install linux-source-$series)"
	key="$series-$(source_version "$tarball")-$(config_hash)"
	dir="$cache/$key"
	mkdir -p "$cache"
	# One builder per key: a second caller waits for the first and then finds the cache filled.
	exec 9>"$cache/$key.lock"
	flock 9
	if [ -f "$dir/done" ]; then
		echo "kernel.sh: $key cached" >&2
		echo "$dir"
		return 0
	fi

	start=$(date +%s)
	# Build in place; only the 'done' marker, written last, makes a directory a cache hit, so an
	# interrupted build is thrown away and redone. (The O= tree records the source tree's
	# absolute path: the directory cannot be renamed after the build.)
	rm -rf "$dir"
	mkdir -p "$dir/src" "$dir/build"
	log="$dir/build.log"
	trap 'echo "kernel.sh: build of $series failed; log: $log" >&2; tail -n 40 "$log" >&2' ERR

	echo "kernel.sh: building $key (log: $log)" >&2
	tar -xJf "$tarball" -C "$dir/src" --strip-components=1
	cat "$here"/*.config > "$dir/fragments.config"
	local mk=(make -C "$dir/src" O="$dir/build" ARCH=x86_64 -j"$jobs")
	"${mk[@]}" KCONFIG_ALLCONFIG="$dir/fragments.config" allnoconfig >"$log" 2>&1
	"${mk[@]}" olddefconfig >>"$log" 2>&1
	verify_config "$dir" || die "configuration of $series lacks wanted options"
	"${mk[@]}" >>"$log" 2>&1
	"${mk[@]}" -s kernelrelease > "$dir/kernelrelease"
	cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage"
	trap - ERR
	echo "$(($(date +%s) - start))" > "$dir/build-seconds"
	touch "$dir/done"
	echo "kernel.sh: built $key in $(cat "$dir/build-seconds") s" >&2
	echo "$dir"
}

case "${1:-}" in
list) list ;;
build) [ $# -eq 2 ] || die "usage: kernel.sh build SERIES"; build "$2" ;;
*) die "usage: kernel.sh list | build SERIES" ;;
esac
