#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-module.sh - the module loads into the guest's kernel and unloads again, leaving nothing behind.

ko=${WHORL_KO:-/whorl/whorl.ko}
name=$(/usr/bin/modinfo -F name "$ko" 2>/dev/null)
[ -n "$name" ] || name=whorl

if insmod "$ko"; then
	echo "ok insmod_loads_the_module"
else
	echo "not ok insmod_loads_the_module - insmod $ko failed"
	exit 1
fi

if [ -d "/sys/module/$name" ] && grep -q "^$name " /proc/modules; then
	echo "ok loaded_module_is_listed"
else
	echo "not ok loaded_module_is_listed - no /sys/module/$name after insmod"
fi

if rmmod "$name"; then
	echo "ok rmmod_unloads_the_module"
else
	echo "not ok rmmod_unloads_the_module - rmmod $name failed"
	exit 1
fi

if [ ! -e "/sys/module/$name" ] && ! grep -q "^$name " /proc/modules; then
	echo "ok unloaded_module_is_gone"
else
	echo "not ok unloaded_module_is_gone - /sys/module/$name still present"
fi
