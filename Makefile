# SPDX-License-Identifier: GPL-2.0
# Makefile - build, install and test whorl (the module and the tool).
#
#   make                     whorl.ko for the chosen kernel, and the tool
#   make check               every test, in QEMU guests (see README.md)
#   make demo                a scripted attack in a container, findings shown
#   make install/uninstall   honour DESTDIR and KERNELRELEASE
#   make dkms-install        the module with DKMS, rebuilt for every new kernel
#
# Kernel selection: KDIR= (a kernel build tree) or KERNELRELEASE= win;
# otherwise the running kernel's headers; otherwise the newest installed
# /lib/modules/*/build.

VERSION := $(shell cat VERSION)
PREFIX ?= /usr
DESTDIR ?=
DEPMOD ?= depmod

ifeq ($(KDIR),)
ifneq ($(KERNELRELEASE),)
KDIR := /lib/modules/$(KERNELRELEASE)/build
else
RUNNING := $(shell uname -r)
ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
KERNELRELEASE := $(RUNNING)
else
KERNELRELEASE := $(shell ls -d /lib/modules/*/build/Makefile 2>/dev/null | \
	sed 's|/lib/modules/||; s|/build/Makefile||' | sort -V | tail -n 1)
PICKED := yes
endif
KDIR := /lib/modules/$(KERNELRELEASE)/build
endif
endif
ifeq ($(KERNELRELEASE),)
KERNELRELEASE := $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
endif

# The release whose headers a user would install: the one asked for, else the running one.
WANTED := $(or $(KERNELRELEASE),$(shell uname -r))

MODULE_FLAGS := $(if $(W),W=$(W)) $(if $(WERROR),KCFLAGS=-Werror)

.PHONY: all module tool clean install uninstall dkms-install dkms-uninstall check demo bench \
	stress fuzz kernel-headers-check

all: module tool

kernel-headers-check:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "whorl: no kernel build tree at '$(KDIR)'." >&2; \
		echo "whorl: install the headers for your kernel, e.g." >&2; \
		echo "         apt-get install linux-headers-$(WANTED)   (Debian/Ubuntu)" >&2; \
		echo "         dnf install kernel-devel-$(WANTED)        (RHEL-like)" >&2; \
		echo "       or name one with KDIR=/path or KERNELRELEASE=<release>." >&2; \
		exit 1; \
	fi
	$(if $(PICKED),@echo "whorl: no headers for the running kernel $(RUNNING); building for $(KERNELRELEASE) ($(KDIR))")

module: kernel-headers-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(MODULE_FLAGS) modules

tool:
	$(MAKE) -C userspace

install: all
	install -d $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra
	install -m 0644 whorl.ko $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/whorl.ko
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -d $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/modules-load.d
	install -m 0644 deploy/systemd/whorl.service $(DESTDIR)/lib/systemd/system/whorl.service
	install -m 0644 deploy/systemd/whorl.conf $(DESTDIR)/usr/lib/modules-load.d/whorl.conf
	install -d $(DESTDIR)/etc/whorl
	install -m 0644 deploy/intel.example $(DESTDIR)/etc/whorl/intel.example
	install -d $(DESTDIR)$(PREFIX)/share/whorl/rules
	install -m 0644 rules/*.yml $(DESTDIR)$(PREFIX)/share/whorl/rules/
	$(if $(DESTDIR),,$(DEPMOD) -a $(KERNELRELEASE))

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/whorl.ko
	$(MAKE) -C userspace uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	rm -f $(DESTDIR)/lib/systemd/system/whorl.service
	rm -f $(DESTDIR)/usr/lib/modules-load.d/whorl.conf
	rm -f $(DESTDIR)/etc/whorl/intel.example
	rm -rf $(DESTDIR)$(PREFIX)/share/whorl/rules
	-rmdir $(DESTDIR)$(PREFIX)/share/whorl 2>/dev/null
	-rmdir $(DESTDIR)/etc/whorl 2>/dev/null
	$(if $(DESTDIR),,$(DEPMOD) -a $(KERNELRELEASE))

# DKMS: the module's sources (no build products) to /usr/src/whorl-<version>, then dkms add and
# install for the kernel make picked (above); DKMS rebuilds it for every kernel installed later.
DKMS_SRC := /usr/src/whorl-$(VERSION)
DKMS_SOURCES := dkms.conf Kbuild VERSION include kmod tests/kunit
dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	tar -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' --exclude='.*.cmd' \
		--exclude='compat-probed.h*' $(DKMS_SOURCES) | tar -x -C $(DKMS_SRC)
	dkms add -m whorl -v $(VERSION)
	dkms install -m whorl -v $(VERSION) -k $(KERNELRELEASE)

dkms-uninstall:
	-dkms remove -m whorl -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	-[ -f "$(KDIR)/Makefile" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f kmod/compat-probed.h
	$(MAKE) -C userspace clean

check:
	bash tests/check.sh

demo:
	bash tests/demo.sh

bench:
	bash tests/bench.sh

stress:
	bash tests/stress.sh

fuzz:
	$(MAKE) -C userspace fuzz
