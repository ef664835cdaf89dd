#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cgroup-fixture.sh - run in the KUnit guest before whorl_kunit.ko loads: real cgroup v2 cgroups
# shaped as the runtimes make them, which container_test.c resolves (its FIXTURE_* paths).
set -eu
cg=/sys/fs/cgroup
grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg
mkdir -p "$cg/system.slice/docker-d024d0482510dcc20f26ed6a1a575d5b2925b0bf00790a316034ac8096f9ea64.scope"
mkdir -p "$cg/kubepods/burstable/pod2bde21f8-3973-420e-9809-ce375d7ae9b0/a2eaba3e3dfaaf6741f3523ddd6f401634995af569bdb89a71dbc020c26e9af1"
mkdir -p "$cg/machine.slice/libpod-conmon-7dd7ac952aef1501d333d7bceb84eeb491eea2b625711f4125ec8b30af935d7b.scope"
