#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build.sh - build the reliability tests' guest programs, static, into a payload directory.
#
#   bash tests/reliability/build.sh OUTDIR
# OUTDIR/reliability/bin/ gets whorl-nlfuzz, whorl-nlprobe, whorl-runas and whorl-spawn; merge
# OUTDIR into the guest's root with `tests/qemu/initramfs.sh -p OUTDIR`. Static, so that the
# same binaries run on the host, in the guest and inside a container's image-less rootfs.
set -euo pipefail

out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cflags=(-static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$top/include/uapi" -I"$here/src")
gcc "${cflags[@]}" -o "$tmp/whorl-nlfuzz" "$here/src/nlfuzz.c" "$here/src/rnl.c"
gcc "${cflags[@]}" -o "$tmp/whorl-nlprobe" "$here/src/nlprobe.c" "$here/src/rnl.c"
gcc "${cflags[@]}" -o "$tmp/whorl-runas" "$here/src/runas.c"
gcc "${cflags[@]}" -o "$tmp/whorl-spawn" "$here/src/spawn.c"

mkdir -p "$out/reliability/bin"
install -m 0755 "$tmp"/whorl-* "$out/reliability/bin/"
echo "build.sh: $(ls "$out/reliability/bin" | tr '\n' ' ')in $out/reliability/bin" >&2
