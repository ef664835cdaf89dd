#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-rt-refused.sh - on a PREEMPT_RT kernel (Debian's -rt flavour) whorl.ko, as DKMS built it
# there, refuses to load and says why, and the tool tells the operator the same. Guest side
# (busybox sh), a smoke script of tests/qemu's guests (see tests/check.sh, rt_kernel).

W=${WHORL:-/usr/bin/whorl}
KO=${WHORL_KO:-/whorl/whorl.ko}
T=/tmp/t-rt
mkdir -p $T

ok() { echo "ok $1"; }
not_ok() { echo "not ok $1 - $2"; }

case "$(uname -v)" in
*PREEMPT_RT*) ok "the kernel is PREEMPT_RT ($(uname -r): $(uname -v | cut -c1-60))" ;;
*) not_ok "the kernel is PREEMPT_RT" "uname -v: $(uname -v)"; exit 1 ;;
esac

if insmod "$KO" >$T/insmod 2>&1; then
	not_ok "insmod whorl.ko is refused" "it loaded"
	rmmod whorl
else
	ok "insmod whorl.ko is refused ($(tr '\n' ' ' <$T/insmod | cut -c1-120))"
fi
grep -q 'Operation not supported' $T/insmod &&
	ok "the refusal is EOPNOTSUPP" || not_ok "the refusal is EOPNOTSUPP" "$(cat $T/insmod)"
dmesg | grep -q 'whorl: not loaded: PREEMPT_RT kernels are not supported' &&
	ok "the kernel log says why" || not_ok "the kernel log says why" "$(dmesg | grep whorl | tail -n 3)"
grep -q '^whorl ' /proc/modules && not_ok "nothing of whorl stays loaded" "listed in /proc/modules" ||
	ok "nothing of whorl stays loaded"
$W status >$T/status 2>&1
rc=$?
[ "$rc" = 1 ] && ok "whorl status exits 1" || not_ok "whorl status exits 1" "exit $rc"
grep -q 'this kernel is PREEMPT_RT' $T/status &&
	ok "whorl status names PREEMPT_RT ($(cat $T/status))" || not_ok "whorl status names PREEMPT_RT" "$(cat $T/status)"
exit 0
