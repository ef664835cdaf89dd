#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""image.py - an image archive in the format `docker save` writes (manifest.json, the image's
config, one tar per layer), which `docker load`, `podman load` and `ctr image import` all take:
the e2e payload's three layers, each its own layer with its own diff_id, so that the runtimes
store them as they store a pulled image's.

    image.py OUT.tar TAG LAYERDIR...      (lowest layer first; prints the diff_ids, one a line)
"""
import hashlib
import io
import json
import os
import sys
import tarfile

# A fixed time for every entry and the config: the same layers give the same digests.
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
CREATED = "2026-01-01T00:00:00Z"


def layer_tar(root):
    """The layer's tar, as a builder writes it: sorted, root-owned, times fixed."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            names = sorted(dirnames + filenames)
            for name in names:
                path = os.path.join(dirpath, name)
                info = tar.gettarinfo(path, arcname=os.path.relpath(path, root))
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = EPOCH
                if info.isreg():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
            # os.walk does not descend into symlinked directories: nothing to prune
    return buf.getvalue()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = EPOCH
    tar.addfile(info, io.BytesIO(data))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, tag, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    layers, diff_ids = [], []
    for d in dirs:
        data = layer_tar(d)
        digest = hashlib.sha256(data).hexdigest()
        layers.append((digest, data))
        diff_ids.append("sha256:" + digest)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["/bin/sh"],
            "Labels": {"org.opencontainers.image.title": "whorl-e2e",
                       "io.whorl.test": "runtimes"},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": CREATED, "created_by": "layer %d of %s" % (i + 1, tag)}
                    for i in range(len(dirs))],
    }
    cfg = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    manifest = [{"Config": cfg_name, "RepoTags": [tag],
                 "Layers": ["%s/layer.tar" % d for d, _ in layers]}]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for digest, data in layers:
            add_bytes(tar, digest + "/VERSION", b"1.0")
            add_bytes(tar, digest + "/layer.tar", data)
        add_bytes(tar, cfg_name, cfg)
        add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
    print("sha256:" + cfg_name[:-5])
    for d in diff_ids:
        print(d)


if __name__ == "__main__":
    main()
