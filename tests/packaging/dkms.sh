#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh - add, build and install whorl with DKMS for every installed distro kernel, as users do.
#
# Usage: tests/packaging/dkms.sh [--out DIR] [--kernel RELEASE]...
#
#   --out DIR        keep the module DKMS installed for each kernel as
#                    DIR/<release>/whorl.ko (decompressed if DKMS compressed it),
#                    for the end-to-end suite to load; its origin in DIR/<release>/origin
#   --kernel REL     test only these kernels (default: every /lib/modules/* with a build dir)
#
# Runs as root: it writes /usr/src/whorl-<version>, /var/lib/dkms/whorl and
# /lib/modules/<release>/updates/dkms, and removes all three again on exit.
# Prints TAP lines; exits non-zero if any case fails.
# shellcheck disable=SC2016 # bash -c '...' _ args: $1, $2 expand in the child
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=$(cat "$repo/VERSION")
src="/usr/src/whorl-$version"
# What a DKMS source package holds: the Kbuild and what it compiles.
dkms_sources=(dkms.conf Kbuild VERSION include kmod tests/kunit)

out=""
kernels=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--kernel) kernels+=("$2"); shift 2 ;;
	-h|--help) sed -n '3,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) echo "dkms.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

if [ ${#kernels[@]} -eq 0 ]; then
	while read -r rel; do
		[ -f "/lib/modules/$rel/build/Makefile" ] && kernels+=("$rel")
	done < <(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V)
fi
[ ${#kernels[@]} -gt 0 ] || { echo "dkms.sh: no kernel headers in /lib/modules/*/build" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "dkms.sh: must run as root (dkms writes /usr/src and /lib/modules)" >&2; exit 1; }
command -v dkms >/dev/null || { echo "dkms.sh: dkms is not installed (bash tests/deps.sh)" >&2; exit 1; }

n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check()  { # check <description> <command...>: one TAP line for one command
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

log=$(mktemp -d /tmp/whorl-dkms.XXXXXX)

# Remove whorl/<version> from DKMS (every kernel) and its source copy.
remove_whorl() {
	if [ -e "/var/lib/dkms/whorl/$version" ]; then
		dkms remove -m whorl -v "$version" --all >>"$log/remove.log" 2>&1 || true
	fi
	rm -rf "$src" "/var/lib/dkms/whorl/$version"
	rmdir /var/lib/dkms/whorl 2>/dev/null || true
}

cleanup() {
	local rc=$?
	remove_whorl
	rm -rf "$log"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The module DKMS installed for <release>, wherever the distro's DKMS puts it
# (/updates/dkms on Debian and Ubuntu, /extra on RHEL-like hosts).
installed_module() {
	find "/lib/modules/$1" -path "/lib/modules/$1/kernel" -prune -o \
		-type f -name 'whorl.ko*' -print 2>/dev/null
}

dkms_log_tail() { # the build log of the last dkms build, or what dkms said
	local mk="/var/lib/dkms/whorl/$version/build/make.log"
	echo "# --- $1 (tail) ---"
	tail -n 30 "$2" | sed 's/^/# /'
	[ -f "$mk" ] && { echo "# --- $mk (tail) ---"; tail -n 30 "$mk" | sed 's/^/# /'; }
	return 0
}

decompress_to() { # decompress_to <module file> <plain .ko>
	case $1 in
	*.ko.xz)  xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -qdc "$1" >"$2" ;;
	*.ko.gz)  gzip -dc "$1" >"$2" ;;
	*.ko)     cp "$1" "$2" ;;
	*)        return 1 ;;
	esac
}

echo "# whorl $version, DKMS $(dkms --version 2>/dev/null | sed 's/^dkms-//'), kernels: ${kernels[*]}"

# An earlier run that died half-way must not make this one fail.
remove_whorl

# The source copy a user makes (docs/INSTALL.md), then dkms add.
mkdir -p "$src"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
	# tracked and untracked-but-not-ignored files only: no build products
	(cd "$repo" && git ls-files -co --exclude-standard -z -- "${dkms_sources[@]}" |
		xargs -0 cp --parents -t "$src")
else
	(cd "$repo" && cp -r --parents "${dkms_sources[@]}" "$src")
fi
check "dkms.conf version equals VERSION ($version)" \
	bash -c '. "$1/dkms.conf" && [ "$PACKAGE_NAME" = whorl ] && [ "$PACKAGE_VERSION" = "$2" ]' _ "$src" "$version"
if dkms add -m whorl -v "$version" >"$log/add.log" 2>&1; then
	ok "dkms add whorl/$version from $src"
else
	not_ok "dkms add whorl/$version from $src"; dkms_log_tail "dkms add" "$log/add.log"
	echo "1..$n"; exit 1
fi

for rel in "${kernels[@]}"; do
	# A failed kernel must not leave an earlier run's module for the e2e suite.
	[ -z "$out" ] || rm -f "$out/$rel/whorl.ko" "$out/$rel/origin"
	if dkms build -m whorl -v "$version" -k "$rel" >"$log/build.log" 2>&1; then
		ok "$rel: dkms build"
	else
		not_ok "$rel: dkms build"; dkms_log_tail "dkms build -k $rel" "$log/build.log"
		continue
	fi
	# DKMS keeps the build log per kernel once the build succeeded.
	mk="/var/lib/dkms/whorl/$version/$rel/$(uname -m)/log/make.log"
	if [ ! -s "$mk" ]; then
		not_ok "$rel: the DKMS build has no compiler warnings (no build log at $mk)"
	elif grep -E -q '(warning|error):' "$mk"; then
		not_ok "$rel: the DKMS build has no compiler warnings"
		grep -E '(warning|error):' "$mk" | head -n 20 | sed 's/^/# /'
	else
		ok "$rel: the DKMS build has no compiler warnings"
	fi

	if dkms install -m whorl -v "$version" -k "$rel" >"$log/install.log" 2>&1; then
		ok "$rel: dkms install"
	else
		not_ok "$rel: dkms install"; dkms_log_tail "dkms install -k $rel" "$log/install.log"
		continue
	fi

	mapfile -t found < <(installed_module "$rel")
	if [ ${#found[@]} -eq 1 ]; then
		ok "$rel: exactly one whorl module under /lib/modules/$rel: ${found[0]}"
	else
		not_ok "$rel: exactly one whorl module under /lib/modules/$rel (found ${#found[@]}: ${found[*]:-none})"
		continue
	fi
	ko=${found[0]}
	check "$rel: dkms status says installed" \
		bash -c 'dkms status -m whorl -v "$1" -k "$2" 2>/dev/null | grep -q ": installed"' _ "$version" "$rel"
	got=$(modinfo -F version "$ko")
	check "$rel: modinfo version is $version (got '$got')" [ "$got" = "$version" ]
	got=$(modinfo -F vermagic "$ko" | awk '{print $1}')
	check "$rel: modinfo vermagic is $rel (got '$got')" [ "$got" = "$rel" ]
	got=$(modinfo -F name "$ko")
	check "$rel: modinfo name is whorl (got '$got')" [ "$got" = whorl ]
	# PREEMPT_RT: DKMS builds and installs the module that refuses to load (kmod/unsupported.c;
	# tests/rt boots such a kernel), so that a kernel upgrade's autoinstall does not fail
	got=$(modinfo -F description "$ko")
	if grep -q '^CONFIG_PREEMPT_RT=y' "/lib/modules/$rel/build/.config" 2>/dev/null; then
		check "$rel: PREEMPT_RT: the module is the one that refuses to load (got '$got')" \
			bash -c '[[ $1 == *"PREEMPT_RT; refuses to load"* ]]' _ "$got"
	else
		check "$rel: the module is the whole of whorl (got '${got:0:40}...')" \
			bash -c '[[ $1 == *"overlayfs layer provenance"* ]]' _ "$got"
	fi
	# depmod ran: modprobe (for that kernel) finds exactly this file.
	got=$(modprobe -S "$rel" --show-depends whorl 2>&1 | awk '/^insmod/ {print $2}' | tail -n 1)
	check "$rel: modprobe -S $rel resolves whorl to $ko (got '$got')" [ "$got" = "$ko" ]
	# Secure Boot: DKMS signs with its MOK; that certificate is the one to enroll.
	cert=$(sed -n 's/^Public certificate (MOK): //p' "$log/build.log" | tail -n 1)
	if [ -n "$cert" ] && [ -f "$cert" ]; then
		serial=$(openssl x509 -inform DER -in "$cert" -noout -serial | sed 's/^serial=//; s/../&:/g; s/:$//')
		got=$(modinfo -F sig_key "$ko" || true)
		check "$rel: signed with DKMS's MOK $cert (sig_key '${got:-none}')" [ "${got^^}" = "${serial^^}" ]
	else
		echo "# $rel: this DKMS did not sign modules (no MOK certificate named in its build output)"
	fi

	# AUTOINSTALL=yes: what the kernel postinst hook runs for a new kernel.
	dkms uninstall -m whorl -v "$version" -k "$rel" >"$log/uninstall.log" 2>&1 || true
	check "$rel: dkms uninstall removes the module" bash -c '[ -z "$1" ]' _ "$(installed_module "$rel")"
	if dkms autoinstall -k "$rel" >"$log/autoinstall.log" 2>&1 && [ "$(installed_module "$rel")" = "$ko" ]; then
		ok "$rel: dkms autoinstall installs it again (AUTOINSTALL=yes)"
	else
		not_ok "$rel: dkms autoinstall installs it again (AUTOINSTALL=yes)"
		dkms_log_tail "dkms autoinstall -k $rel" "$log/autoinstall.log"
		continue
	fi

	if [ -n "$out" ]; then
		mkdir -p "$out/$rel"
		if decompress_to "$ko" "$out/$rel/whorl.ko" &&
			[ "$(modinfo -F vermagic "$out/$rel/whorl.ko" | awk '{print $1}')" = "$rel" ]; then
			printf '%s sha256:%s\n' "$ko" "$(sha256sum <"$out/$rel/whorl.ko" | cut -d' ' -f1)" >"$out/$rel/origin"
			ok "$rel: DKMS module kept as $out/$rel/whorl.ko"
		else
			not_ok "$rel: DKMS module kept as $out/$rel/whorl.ko"
		fi
	fi
done

# Removal leaves nothing behind, in any kernel's tree.
dkms remove -m whorl -v "$version" --all >"$log/remove.log" 2>&1 || dkms_log_tail "dkms remove" "$log/remove.log"
left=$(for rel in "${kernels[@]}"; do installed_module "$rel"; done)
check "dkms remove --all leaves no whorl module in /lib/modules (left: ${left:-none})" [ -z "$left" ]
check "dkms remove --all forgets whorl/$version" bash -c '! dkms status -m whorl -v "$1" 2>/dev/null | grep -q .' _ "$version"

# The one-command path docs/INSTALL.md and README.md give: make dkms-install / dkms-uninstall.
rel=${kernels[${#kernels[@]}-1]}
if make -C "$repo" dkms-install KERNELRELEASE="$rel" >"$log/make-dkms.log" 2>&1 &&
	[ -n "$(installed_module "$rel")" ]; then
	ok "$rel: make dkms-install installs the module with DKMS"
else
	not_ok "$rel: make dkms-install installs the module with DKMS"
	dkms_log_tail "make dkms-install" "$log/make-dkms.log"
fi
make -C "$repo" dkms-uninstall >>"$log/make-dkms.log" 2>&1 || true
check "make dkms-uninstall removes it and its sources" \
	bash -c '[ -z "$1" ] && [ ! -e "$2" ]' _ "$(installed_module "$rel")" "$src"

echo "1..$n"
echo "# dkms: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
