#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh - install, idempotently, the Debian packages whorl's build and tests need.
set -euo pipefail

packages=(
	# building the module against Debian's distro kernels (6.1 and 6.12)
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio xz-utils
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# Debian 12's PREEMPT_RT flavour: headers only, to test that whorl refuses it
	linux-headers-rt-amd64
	# the kernel matrix (tests/matrix/kernels.sh): a chroot per other Debian suite
	debootstrap
	# sources for the KUnit and debug kernels
	linux-source-6.1 linux-source-6.12
	# the tool
	pkg-config libmnl-dev libjson-c-dev libyaml-dev libpcre2-dev libbpf-dev libcmocka-dev clang
	# the strict proto3 parse of SCC findings (userspace/tests/scc_validate.py)
	python3-protobuf protobuf-compiler libprotobuf-dev
	# guests and what runs inside them (e2fsprogs: the runtimes suite's disk image)
	qemu-system-x86 busybox-static runc crun python3 python3-jsonschema e2fsprogs
	# the e2e image's application layer (curl and its libraries, as apt installs them); strace:
	# the exec stream of a real build for the shipped rules' silence (rules/tests/check.sh)
	curl strace
	# packaging (tests/packaging: DKMS, manifests, the rsyslog snippet)
	dkms python3-yaml rsyslog rsyslog-gnutls
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; install these packages: ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
