#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# overlay-fixture.sh - run in the KUnit guest before whorl_kunit.ko loads: a
# real overlayfs of two image layers whose files are in each layer state
# overlay_test.c checks.
set -eu
base=/tmp/whorl-kunit
mkdir -p $base/lower $base/lower2 $base/upper $base/work $base/merged
# the bottom image layer
mkdir -p $base/lower2/sub
echo deep >$base/lower2/deep-file
echo deep >$base/lower2/sub/sub-file
echo gone >$base/lower2/gone-file
# the top image layer: a whiteout (as image layers carry them) deletes gone-file
mkdir -p $base/lower/sub
echo image >$base/lower/image-file
echo original >$base/lower/modified-file
echo original >$base/lower/chmod-file
echo original >$base/lower/replaced-file
echo original >$base/lower/recreated-file
echo library >$base/lower/memo-lib
echo library >$base/lower/memo-copyup
mknod $base/lower/gone-file c 0 0
mount -t overlay overlay \
	-o lowerdir=$base/lower:$base/lower2,upperdir=$base/upper,workdir=$base/work $base/merged
m=$base/merged
echo added >$m/added-file
echo tampered >>$m/modified-file
chmod 0700 $m/chmod-file
# image files replaced by a rename over them, one per layer and one in a merged directory
for f in replaced-file deep-file sub/sub-file; do
	echo evil >$m/.new
	mv $m/.new $m/$f
done
# deleted, then written again under the same name
rm $m/recreated-file
echo new >$m/recreated-file
# the image deleted it (whiteout): written now, it is added
echo new >$m/gone-file
