#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build.sh - the runtimes suite's guest payload: the e2e image's three layers as an image archive
# (tests/runtimes/image.py) that Docker, Podman and containerd load as they load a pulled image,
# with the image id and layer diff_ids the findings must name.
#
#   bash tests/runtimes/build.sh OUTDIR [E2E-PAYLOAD]    (E2E-PAYLOAD: tests/e2e/payload.sh's OUTDIR;
#                                                       made in a temporary directory if not given)
# The root file system with the runtimes themselves is tests/runtimes/root.sh's disk image.
set -euo pipefail

out=${1:?usage: build.sh OUTDIR [E2E-PAYLOAD]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
payload=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$payload" ]; then
	payload=$tmp/payload
	bash "$here/../e2e/payload.sh" "$payload" >&2
fi
snap=$payload/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots
[ -d "$snap/3/fs" ] || { echo "build.sh: no image layers in $payload" >&2; exit 1; }
data=$out/e2e-data/runtimes
rm -rf "$data"
mkdir -p "$data"
python3 "$here/image.py" "$data/image.tar" whorl-e2e/app:1.0 \
	"$snap/1/fs" "$snap/2/fs" "$snap/3/fs" >"$data/image.ids"
# Which layer each file the seeds touch comes from, as overlayfs stacks them (the highest layer
# holding it): "PATH<TAB>INDEX<TAB>DIFF_ID", the index counted from 1 at the bottom.
liblzma=$(sed -n 's/^LIBLZMA=//p' "$here/../e2e/lib.sh")
for f in "$liblzma" /usr/bin/xz; do
	for i in 3 2 1; do
		if [ -e "$snap/$i/fs$f" ] || [ -L "$snap/$i/fs$f" ]; then
			printf '%s\t%s\t%s\n' "$f" "$i" "$(sed -n "$((i + 1))p" "$data/image.ids")"
			break
		fi
	done
done >"$data/layers"
[ "$(wc -l <"$data/layers")" = 2 ] || { echo "build.sh: a seed file is in no layer" >&2; exit 1; }
echo "runtimes payload: $(du -sh "$data/image.tar" | cut -f1), image $(head -n 1 "$data/image.ids")" >&2
