#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# payload.sh - assemble, on the build host, what the end-to-end guest needs besides busybox, the module
# and the tool: Debian's runc and crun with their libraries, a three-layer image laid out as
# containerd's overlay snapshotter keeps it (real Debian dash, coreutils, xz and liblzma), the attack
# files kept outside the image, intel files holding their real SHA-256, and an OCI config template.
#
#   bash tests/e2e/payload.sh OUTDIR        (OUTDIR is merged into the initramfs root)
set -euo pipefail

out=${1:?usage: payload.sh OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

snapshots=$out/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots
data=$out/e2e-data
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

die() { echo "payload: $*" >&2; exit 1; }

# The path a host file has in a merged-/usr tree: /lib/x/liblzma.so.5 -> /usr/lib/x/liblzma.so.5.
usr_path() {
	local dir
	dir=$(cd "$(dirname "$1")" && pwd -P)
	echo "$dir/$(basename "$1")"
}

# copy_file ROOT HOSTPATH [AS]: HOSTPATH into ROOT at its merged-/usr path (or AS), following its
# symlink chain as Debian ships it (each link recreated, then the real file).
copy_file() {
	local root=$1 src=$2 as=${3:-} dst target
	while :; do
		dst=$root${as:-$(usr_path "$src")}
		mkdir -p "$(dirname "$dst")"
		if [ -L "$src" ]; then
			target=$(readlink "$src")
			ln -sfn "$target" "$dst"
			case $target in
			/*) src=$target ;;
			*) src=$(dirname "$src")/$target ;;
			esac
			as=
		else
			cp -p "$src" "$dst"
			return
		fi
	done
}

# The shared libraries a program loads, and its ELF interpreter, as ldd resolves them.
libs_of() {
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
}

# in_layers PATH LAYER...: is PATH (merged-/usr) already shipped by one of the layers?
in_layers() {
	local p=$1 l
	shift
	for l in "$@"; do
		[ -e "$l$p" ] || [ -L "$l$p" ] && return 0
	done
	return 1
}

# image_libs LAYER "LOWER LAYERS" PROGRAM...: the libraries the programs need that no lower layer
# already has, as a Dockerfile RUN apt-get install would add them.
image_libs() {
	local layer=$1 lowers=$2 prog lib
	shift 2
	for prog in "$@"; do
		for lib in $(libs_of "$prog"); do
			# shellcheck disable=SC2086
			in_layers "$(usr_path "$lib")" "$layer" $lowers || copy_file "$layer" "$lib"
		done
	done
}

# image_add LAYER "LOWER LAYERS" PROGRAM...: host programs at their own paths, with their libraries.
image_add() {
	local prog
	for prog in "${@:3}"; do
		copy_file "$1" "$prog"
	done
	image_libs "$@"
}

# --- the runtimes, runnable in the guest (libraries at the paths the loader looks in) ---
for rt in /usr/sbin/runc /usr/bin/crun; do
	[ -x "$rt" ] || die "$rt missing (run tests/deps.sh)"
	install -D -m 0755 "$rt" "$out$rt"
	for lib in $(libs_of "$rt"); do
		[ -e "$out$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$out$lib"
	done
done

# --- the image: three lower layers, as containerd's overlay snapshotter lays them out ---
rm -rf "$snapshots"
l1=$snapshots/1/fs l2=$snapshots/2/fs l3=$snapshots/3/fs
mkdir -p "$l1" "$l2" "$l3"

# Layer 1, a bookworm-slim-like base: merged /usr, dash as /bin/sh, a few coreutils.
mkdir -p "$l1"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64} "$l1"/{etc,root,tmp,proc,sys,dev,run,var/tmp}
chmod 1777 "$l1/tmp" "$l1/var/tmp"
ln -s usr/bin "$l1/bin"
ln -s usr/sbin "$l1/sbin"
ln -s usr/lib "$l1/lib"
ln -s usr/lib64 "$l1/lib64"
image_add "$l1" "" /usr/bin/dash /usr/bin/cat /usr/bin/cp /usr/bin/ls /usr/bin/sleep \
	/usr/bin/sha256sum /usr/bin/rm /usr/bin/mkdir /usr/bin/chmod /usr/bin/id /usr/bin/uname \
	/usr/bin/true /usr/bin/env /usr/bin/stat /usr/bin/head /usr/bin/find /usr/bin/grep
ln -s dash "$l1/usr/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
	>"$l1/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$l1/etc/group"
cp /etc/os-release "$l1/etc/os-release" 2>/dev/null || cp /usr/lib/os-release "$l1/etc/os-release"

# Layer 2, "RUN apt-get install xz-utils": the real xz and its real liblzma.so.5 symlink chain.
image_add "$l2" "$l1" /usr/bin/xz
ln -s xz "$l2/usr/bin/unxz"
[ -f "$l2/usr/lib/x86_64-linux-gnu/liblzma.so.5" ] || die "liblzma.so.5 not in layer 2"

# Layer 3, the application: the tests' probe, a sentinel for barriers, and a miner baked into the
# image (the "built in malicious binary").
for prog in probe escape miner hello; do
	gcc -O2 -Wall -Wextra -Werror -o "$build/$prog" "$here/src/$prog.c"
done
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$build/evil.so" "$here/src/evil.c"
gcc -O2 -Wall -Wextra -Werror -o "$build/revshell" "$here/src/revshell.c"
install -D -m 0755 "$build/probe" "$l3/usr/local/bin/probe"
install -D -m 0755 "$build/hello" "$l3/usr/local/bin/e2e-sentinel"
install -D -m 0755 "$build/miner" "$l3/usr/local/bin/kworkerd"
image_libs "$l3" "$l2 $l1" "$build/probe" "$build/hello" "$build/miner"
# ... and what an application image installs beside its program: curl (with its libraries, as
# "apt-get install curl" brings them) and busybox (static: httpd, wget) for a web server.
image_add "$l3" "$l2 $l1" /usr/bin/curl
copy_file "$l3" /usr/bin/busybox
# dpkg, with the programs it runs, to install a package at run time (its database empty).
image_add "$l3" "$l2 $l1" /usr/bin/dpkg /usr/bin/dpkg-deb /usr/bin/dpkg-split /usr/bin/dpkg-query \
	/usr/bin/dpkg-trigger /usr/bin/tar /usr/bin/diff /usr/sbin/ldconfig /usr/sbin/start-stop-daemon
mkdir -p "$l3/var/lib/dpkg/info" "$l3/var/lib/dpkg/updates" "$l3/var/lib/dpkg/triggers"
: >"$l3/var/lib/dpkg/status"
: >"$l3/var/lib/dpkg/available"

# --- attack files, outside the image: an attacker brings them in at run time ---
rm -rf "$data"
mkdir -p "$data/intel"
lzma=$(readlink -f /usr/lib/x86_64-linux-gnu/liblzma.so.5)
# The CVE-2024-3094 stand-in: the real library with bytes appended past its section headers, so
# ld.so still maps it and xz still works, but its hash is new.
cp "$lzma" "$data/liblzma.so.5.tampered"
printf 'whorl-e2e: CVE-2024-3094 stand-in, not the real backdoor\n' >>"$data/liblzma.so.5.tampered"
cp "$lzma" "$data/liblzma.so.5.unlisted"
printf 'whorl-e2e: modified, in no intel set\n' >>"$data/liblzma.so.5.unlisted"
install -m 0755 "$build/escape" "$data/escape"
install -m 0755 "$build/miner" "$data/kworkerd"
install -m 0755 "$build/hello" "$data/hello"
install -m 0755 "$build/revshell" "$data/revshell"
# A package for the benign workload to install: a file and a maintainer script, as packages have.
pkg=$build/e2e-app
mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/e2e-app"
echo 'whorl e2e: an application package' >"$pkg/usr/share/e2e-app/README"
printf 'Package: e2e-app\nVersion: 1.0\nArchitecture: all\nMaintainer: whorl <whorl@example.invalid>\nDescription: whorl e2e benign workload package\n' \
	>"$pkg/DEBIAN/control"
printf '#!/bin/sh\nset -e\necho configured >/usr/share/e2e-app/state\n' >"$pkg/DEBIAN/postinst"
chmod 0755 "$pkg/DEBIAN/postinst"
dpkg-deb --build --root-owner-group "$pkg" "$data/e2e-app.deb" >/dev/null
# A program's sources and Makefile for the benign build (built in the guest with the build image's gcc).
mkdir -p "$data/build-app"
cp "$here/build-app/"* "$data/build-app/"
# The rules whorl ships (rules/), for the relay's --rules; and SigmaHQ's Linux process_creation
# rules when ../shared has them (test data beside the repository, as CI places it).
mkdir -p "$data/rules/whorl"
cp "$here/../../rules/"*.yml "$data/rules/whorl/"
sigma=${WHORL_SIGMA_DIR:-$here/../../../shared/sigma/linux-process-creation}
if [ -d "$sigma" ]; then
	mkdir -p "$data/rules/sigmahq"
	cp "$sigma/"*.yml "$data/rules/sigmahq/"
fi
install -m 0644 "$build/evil.so" "$data/libsystemd-shim.so"
# A dropped #! script and the tampered shell it names as its interpreter: an exec of the script
# runs both, and each must be fingerprinted. The shell is the real dash with bytes appended (it
# still runs), so the image's own /bin/sh keeps a hash of its own.
cp /usr/bin/dash "$data/ish"
printf 'whorl-e2e: tampered interpreter\n' >>"$data/ish"
chmod 0755 "$data/ish"
printf '#!/tmp/.ish\necho dropped "$@"\n' >"$data/dropper"
chmod 0755 "$data/dropper"

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat >"$data/intel/e2e.intel" <<EOF
# whorl end-to-end intel, generated by tests/e2e/payload.sh from the files it ships
$(sha "$data/liblzma.so.5.tampered") malicious xz-backdoor CVE-2024-3094
$(sha "$data/escape") container-escape escape-tool
$(sha "$data/kworkerd") malicious xmrig-miner
$(sha "$data/libsystemd-shim.so") malicious evil-preload
$(sha "$data/dropper") malicious dropper-script
$(sha "$data/ish") malicious tampered-shell
name:cdk container-escape CDK
name:peirates k8s-attack Peirates
name:amicontained recon amicontained
name:e2e-sentinel recon e2e-barrier
url:http://malware.example/stage2.sh e2e-dropper-url
url:c2.example
EOF
# The image's own liblzma listed, as xz 5.6.0/5.6.1 images were once the backdoor was known.
cat >"$data/intel/image-liblzma.intel" <<EOF
$(sha "$lzma") malicious xz-5.6-backdoor-in-image
EOF

# --- an OCI config template: runc's own spec, made non-interactive and Docker-like ---
(cd "$build" && runc spec)
python3 - "$build/config.json" "$data/config.json.in" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
proc = spec["process"]
proc["terminal"] = False
proc["args"] = ["@ARGS@"]
proc["cwd"] = "/"
caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]  # Docker's default set
for k in ("bounding", "effective", "permitted"):
    proc["capabilities"][k] = caps
proc["capabilities"].pop("inheritable", None)
proc["capabilities"].pop("ambient", None)
spec["root"] = {"path": "rootfs", "readonly": False}
spec["hostname"] = "@HOSTNAME@"
spec["linux"]["cgroupsPath"] = "@CGROUPS_PATH@"
spec["linux"]["namespaces"].append({"type": "cgroup"})
# /dev/shm is noexec as Docker and containerd mount it; a pod that mounts a memory emptyDir there
# (the usual way to enlarge it) makes it executable: lib.sh picks one per container.
for m in spec["mounts"]:
    if m["destination"] == "/dev/shm":
        m["options"] = ["@SHM_EXEC@" if o == "noexec" else o for o in m["options"]]
out = json.dumps(spec, indent=1).replace('"@ARGS@"', "@ARGS@")
open(sys.argv[2], "w").write(out + "\n")
# The same container privileged and sharing the host's pid namespace (a `hostPID: true`,
# `privileged: true` pod, `docker run --pid=host --privileged`): what an escape starts from.
spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"] if n["type"] != "pid"]
for k in ("bounding", "effective", "permitted"):
    proc["capabilities"][k] = caps + ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE"]
out = json.dumps(spec, indent=1).replace('"@ARGS@"', "@ARGS@")
open(sys.argv[2].replace("config.json.in", "config-hostpid.json.in"), "w").write(out + "\n")
EOF

echo "payload: $(du -sh "$out" | cut -f1) in $out" >&2
