#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# overlay-fixture.sh - run in the KUnit guest before whorl_kunit.ko loads: a
# real overlayfs whose files are in each layer state overlay_test.c checks.
set -eu
base=/tmp/whorl-kunit
mkdir -p $base/lower $base/upper $base/work $base/merged
echo image >$base/lower/image-file
echo original >$base/lower/modified-file
echo original >$base/lower/chmod-file
echo library >$base/lower/memo-lib
echo library >$base/lower/memo-copyup
mount -t overlay overlay \
	-o lowerdir=$base/lower,upperdir=$base/upper,workdir=$base/work $base/merged
echo added >$base/merged/added-file
echo tampered >>$base/merged/modified-file
chmod 0700 $base/merged/chmod-file
