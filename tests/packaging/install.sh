#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install.sh - `make install`/`make uninstall` into a DESTDIR for every installed kernel, and `make clean`.
#
# Usage: tests/packaging/install.sh [--kernel RELEASE]...
#
# Works on a copy of the source tree (tracked and not-ignored files, plus .git
# when there is one), never on the tree itself, and never installs into /.
# Prints TAP lines; exits non-zero if any case fails.
# shellcheck disable=SC2016 # bash -c '...' _ args: $1, $2 expand in the child
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=$(cat "$repo/VERSION")

kernels=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("$2"); shift 2 ;;
	-h|--help) sed -n '3,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
if [ ${#kernels[@]} -eq 0 ]; then
	while read -r rel; do
		[ -f "/lib/modules/$rel/build/Makefile" ] && kernels+=("$rel")
	done < <(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V)
fi
[ ${#kernels[@]} -gt 0 ] || { echo "install.sh: no kernel headers in /lib/modules/*/build" >&2; exit 1; }

n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip()   { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
check()  { # check <description> <command...>
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

work=$(mktemp -d /tmp/whorl-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
tree="$work/src"
mkdir -p "$tree"

# A fresh checkout's worth of files: build products of the live tree stay behind.
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree")
	cp -a "$(git -C "$repo" rev-parse --absolute-git-dir)" "$tree/.git"
	has_git=yes
else
	cp -a "$repo/." "$tree/"
	has_git=""
fi

files_of() { # every file and link under a directory, .git aside, sorted
	(cd "$1" && find . -path ./.git -prune -o \( -type f -o -type l \) -print | sort)
}
git_view() { # what git shows, ignored files included when $1 = --ignored
	git -C "$tree" status --porcelain --untracked-files=all "$@" | sort
}
same() { # same <label> <expected file> <actual file>: diff printed as TAP comments
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1"; diff "$2" "$3" | sed -n '1,25s/^/# /p' || true
	fi
}

files_of "$tree" >"$work/files.before"
[ -n "$has_git" ] && git_view >"$work/git.before" && git_view --ignored >"$work/git-ignored.before"

# The man page is the tool's; it is expected once userspace/ has one.
man_src=$(find "$tree/userspace" -maxdepth 1 -name 'whorl.[1-8]*' 2>/dev/null | head -n 1)

# Records any depmod call made while DESTDIR is set: there must be none.
printf '#!/bin/sh\necho "$@" >>"%s/depmod.calls"\n' "$work" >"$work/depmod"
chmod +x "$work/depmod"

# Headers missing: make stops before compiling and says what to install.
for args in "KDIR=$work/no-such-kernel" "KERNELRELEASE=0.0.0-none"; do
	if make -C "$tree" module "$args" >"$work/noheaders.log" 2>&1; then
		not_ok "make module $args fails when the kernel's headers are missing"
	elif grep -q 'install the headers' "$work/noheaders.log" &&
		grep -q 'linux-headers-' "$work/noheaders.log"; then
		ok "make module ${args%%=*}=<missing> fails and names the headers package to install"
	else
		not_ok "make module ${args%%=*}=<missing> fails and names the headers package to install"
		sed 's/^/# /' "$work/noheaders.log" | tail -n 10
	fi
done

for rel in "${kernels[@]}"; do
	dest="$work/dest/$rel"
	mod="$dest/lib/modules/$rel/extra/whorl.ko"
	rm -f "$work/depmod.calls"

	if make -C "$tree" install DESTDIR="$dest" KERNELRELEASE="$rel" DEPMOD="$work/depmod" \
		>"$work/install.log" 2>&1; then
		ok "$rel: make install DESTDIR=… KERNELRELEASE=$rel"
	else
		not_ok "$rel: make install DESTDIR=… KERNELRELEASE=$rel"
		tail -n 30 "$work/install.log" | sed 's/^/# /'
		make -C "$tree" clean KERNELRELEASE="$rel" >/dev/null 2>&1 || true
		continue
	fi

	# What lands where: <description> <test> <path under DESTDIR>
	while IFS='|' read -r what test path; do
		check "$rel: $what (/$path)" test "$test" "$dest/$path"
	done <<-EOF
	module under /lib/modules/<release>/extra|-f|lib/modules/$rel/extra/whorl.ko
	systemd unit|-f|lib/systemd/system/whorl.service
	modules-load.d entry|-f|usr/lib/modules-load.d/whorl.conf
	example intel file|-f|etc/whorl/intel.example
	the shipped Sigma rules, which the relay loads by default|-f|usr/share/whorl/rules/reverse_shell.yml
	EOF

	tools=()
	for t in usr/bin/whorl usr/sbin/whorl; do [ -e "$dest/$t" ] && tools+=("$t"); done
	check "$rel: the tool is installed once, executable, in /usr/bin or /usr/sbin (${tools[*]:-none})" \
		bash -c '[ $# -eq 1 ] && [ -x "$0/$1" ]' "$dest" "${tools[@]}"
	if [ "${#tools[@]}" -eq 1 ]; then
		check "$rel: the installed tool loads its shipped rules from where they were installed" \
			bash -c '"$0/$1" relay --help | grep -q "(/usr/share/whorl/rules, or"' \
			"$dest" "${tools[0]}"
		check "$rel: every installed rule loads" \
			"$dest/${tools[0]}" rules check "$dest/usr/share/whorl/rules"
	fi
	if [ -n "$man_src" ]; then
		man=$(cd "$dest" && find usr/share/man -path '*/man[1-8]/whorl.*' 2>/dev/null)
		check "$rel: the man page is installed under /usr/share/man (${man:-none})" [ -n "$man" ]
	else
		skip "$rel: the man page is installed (userspace/ has none yet)"
	fi

	if [ -f "$mod" ]; then
		got=$(modinfo -F vermagic "$mod" | awk '{print $1}')
		check "$rel: installed module is built for $rel (vermagic '$got')" [ "$got" = "$rel" ]
		got=$(modinfo -F version "$mod")
		check "$rel: installed module has version $version (got '$got')" [ "$got" = "$version" ]
	fi
	check "$rel: modules-load.d entry names the module" \
		grep -qx 'whorl' "$dest/usr/lib/modules-load.d/whorl.conf"
	exec_bin=$(sed -n 's/^ExecStart=[-@+!:]*\([^ ]*\).*/\1/p' "$dest/lib/systemd/system/whorl.service" 2>/dev/null | head -n 1)
	check "$rel: the unit's ExecStart ($exec_bin) is the installed tool" \
		bash -c '[ -n "$1" ] && [ -x "$2$1" ]' _ "$exec_bin" "$dest"
	if command -v systemd-analyze >/dev/null; then
		# --root has no sysinit.target to hang default dependencies on; anything else is a finding.
		problems=$(systemd-analyze verify --root="$dest" whorl.service 2>&1 |
			grep -v 'Unit [a-z.-]*\.target not found' || true)
		check "$rel: systemd-analyze verify finds no problem in the unit" [ -z "$problems" ]
		[ -z "$problems" ] || printf '# %s\n' "${problems//$'\n'/$'\n'# }"
	fi

	check "$rel: no depmod with DESTDIR set (calls: $(cat "$work/depmod.calls" 2>/dev/null || echo none))" \
		[ ! -e "$work/depmod.calls" ]
	check "$rel: no modules.dep written into DESTDIR" [ ! -e "$dest/lib/modules/$rel/modules.dep" ]
	# Without DESTDIR, make install ends with depmod for that release (dry run only).
	check "$rel: make -n install with empty DESTDIR runs 'depmod -a $rel'" \
		bash -c 'make -n -C "$1" install DESTDIR= KERNELRELEASE="$2" 2>/dev/null | grep -qx "depmod -a $2"' _ "$tree" "$rel"
	# depmod over the staged tree: modprobe resolves whorl to the installed file.
	cp -a "$dest" "$work/depmod-root"
	depmod -b "$work/depmod-root" "$rel" 2>/dev/null || true
	got=$(modprobe -d "$work/depmod-root" -S "$rel" --show-depends whorl 2>/dev/null |
		awk '/^insmod/ {print $2}' | tail -n 1)
	check "$rel: after depmod, modprobe resolves whorl to lib/modules/$rel/extra/whorl.ko (got '${got#"$work/depmod-root/"}')" \
		[ "$got" = "$work/depmod-root/lib/modules/$rel/extra/whorl.ko" ]
	rm -rf "$work/depmod-root"

	if [ -n "$has_git" ]; then
		git_view >"$work/git.after-build"
		same "$rel: build products are all in .gitignore (git status unchanged after make install)" \
			"$work/git.before" "$work/git.after-build"
	fi

	if make -C "$tree" uninstall DESTDIR="$dest" KERNELRELEASE="$rel" DEPMOD="$work/depmod" \
		>"$work/uninstall.log" 2>&1; then
		ok "$rel: make uninstall DESTDIR=… KERNELRELEASE=$rel"
	else
		not_ok "$rel: make uninstall DESTDIR=… KERNELRELEASE=$rel"
		tail -n 30 "$work/uninstall.log" | sed 's/^/# /'
	fi
	left=$(files_of "$dest" | tr '\n' ' ')
	check "$rel: make uninstall leaves only directories behind (left: ${left:-nothing})" [ -z "$left" ]
	check "$rel: no depmod on uninstall with DESTDIR set" [ ! -e "$work/depmod.calls" ]

	if make -C "$tree" clean KERNELRELEASE="$rel" >"$work/clean.log" 2>&1; then
		ok "$rel: make clean"
	else
		not_ok "$rel: make clean"; tail -n 30 "$work/clean.log" | sed 's/^/# /'
	fi
	files_of "$tree" >"$work/files.after"
	same "$rel: make clean leaves exactly the files of the fresh tree" "$work/files.before" "$work/files.after"
	if [ -n "$has_git" ]; then
		git_view --ignored >"$work/git-ignored.after"
		same "$rel: after make clean, git status --ignored shows nothing new" \
			"$work/git-ignored.before" "$work/git-ignored.after"
	fi
done

echo "1..$n"
echo "# install: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
