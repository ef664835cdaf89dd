#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build.sh - build the stress tests' guest programs, static, into a payload directory that
# tests/qemu/initramfs.sh -p merges into the guest's root (as /stress-data/bin/).
#
#   bash tests/stress/build.sh OUTDIR
#     stress-storm   exec, mmap and burst storms (src/storm.c)
#     stress-mutate  a large file rewritten, truncated or deleted while hashed (src/mutate.c)
#     stress-peak    kernel memory sampler (src/peak.c)
#     stress-true    the tiny program the exec storms run, no libc (src/tiny.c)
# Static, so that they run both in the guest's root and inside the image's containers.
set -euo pipefail

out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$out/stress-data/bin
rm -rf "$out/stress-data"
mkdir -p "$bin"

cflags=(-static -O2 -Wall -Wextra -Werror)
for prog in storm mutate peak; do
	gcc "${cflags[@]}" -o "$bin/stress-$prog" "$here/src/$prog.c"
done
# No C library: an exec of it costs the exec path only; its ELF also heads the large files.
gcc "${cflags[@]}" -nostdlib -fno-stack-protector -o "$bin/stress-true" "$here/src/tiny.c"
"$bin/stress-true"
echo "stress payload: $(du -sh "$out/stress-data" | cut -f1) in $out/stress-data" >&2
