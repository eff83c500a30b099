# SPDX-License-Identifier: GPL-2.0
#
# tscmon: the module, the client and their tests.
#
#   make                 module (against KDIR) and client
#   make demo            the module and the client in a QEMU 6.1 guest
#   make check           every test on every kernel of the matrix
#   make vm-run KERNEL=6.1|6.12|7.2 SCRIPT=file [SMP=n]
#   make matrix          build against 6.1, 6.12, 7.2 and the debug kernel, W=1, sparse
#   make checkpatch      checkpatch.pl --strict over module/
#   make dkms-install    copy the module source to /usr/src, dkms add + install
#   make dkms-check      dkms add/build/install/remove against 6.1 and 6.12
#   make bench [QUICK=1] precision, overhead and cost figures (bench/results/)
#   make install / uninstall   (DESTDIR, PREFIX)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
KERNELS := 6.1 6.12 7.2 debug
KERNEL ?= 6.1
SMP ?= 2
TIMEOUT ?= 300
PREFIX ?= /usr/local

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/tscmon-$(VERSION)
VM := selftests/vm
KSH := $(VM)/kernel.sh
OUT := $(CURDIR)/build

.PHONY: all modules test-modules client clean deps kernels matrix $(addprefix matrix-,$(KERNELS)) \
	checkpatch dkms-source dkms-install dkms-uninstall dkms-check vm-run demo check bench install install-modules-load uninstall

all: modules client

# Kbuild reads Kbuild files; this Makefile only drives it. DKMS runs
# "make modules"; the test-only drivers are built only for the tests.
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

test-modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/drivers modules

client:
	$(MAKE) -C userspace

deps:
	@$(VM)/../deps.sh

kernels: deps
	@for k in $(KERNELS); do $(KSH) fetch $$k || exit 1; done

# A warning-free build with W=1 and sparse on each kernel; a fault-injection
# build beside it for the guests. Any compiler or sparse warning fails.
matrix: $(addprefix matrix-,$(KERNELS))
$(addprefix matrix-,$(KERNELS)): matrix-%: deps
	@$(VM)/build.sh $*

# DKMS: the source tree DKMS builds from holds only what the module needs.
dkms-source:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	tar -cf - Kbuild Makefile dkms.conf module | tar -C $(DKMS_SRC) -xf -

dkms-install: dkms-source
	dkms add tscmon/$(VERSION)
	dkms install tscmon/$(VERSION)

dkms-uninstall:
	-dkms remove tscmon/$(VERSION) --all
	rm -rf $(DKMS_SRC)

dkms-check: deps
	@selftests/dkms-check.sh

checkpatch: deps
	@$(VM)/checkpatch.sh

vm-run: deps
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run KERNEL=6.1|6.12|7.2 SCRIPT=file [SMP=n]" >&2; exit 64; }
	@$(VM)/run.sh --kernel $(KERNEL) --smp $(SMP) --timeout $(TIMEOUT) --script $(SCRIPT)

demo: deps
	@$(VM)/run.sh --kernel 6.1 --smp 2 --timeout $(TIMEOUT) --script $(VM)/demo.sh

check: deps
	@selftests/check.sh

# Performance figures, as ratios taken in one run (docs/performance.md).
# QUICK=1 is the short form make check runs so the benchmark cannot rot.
bench: deps
	@$(MAKE) -s -C bench QUICK=$(QUICK)

# For hosts that do not use DKMS. The module goes where DKMS would put it
# (updates/), so either can replace the other. The systemd units name
# /usr/local; another PREFIX is written into them as they are installed.
# The module-load file is installed only on request (install-modules-load).
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/updates
BINDIR = $(DESTDIR)$(PREFIX)/bin
LIBEXECDIR = $(DESTDIR)$(PREFIX)/libexec/tscmon
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
DOCDIR = $(DESTDIR)$(PREFIX)/share/doc/tscmon
UNITDIR = $(DESTDIR)$(PREFIX)/lib/systemd/system
MODLOADDIR = $(DESTDIR)/etc/modules-load.d
UNITS = contrib/systemd/tscmon-export.service contrib/systemd/tscmon-export.timer

install: all
	install -D -m 0644 module/tscmon.ko $(MODDIR)/tscmon.ko
	install -D -m 0755 userspace/tscmon $(BINDIR)/tscmon
	install -D -m 0755 contrib/systemd/tscmon-export $(LIBEXECDIR)/tscmon-export
	install -d $(UNITDIR) $(DOCDIR)
	for u in $(UNITS); do \
		sed 's|/usr/local|$(PREFIX)|g' $$u > $(UNITDIR)/$${u##*/} && \
		chmod 0644 $(UNITDIR)/$${u##*/} || exit 1; done
	if [ -f docs/tscmon.1 ]; then install -D -m 0644 docs/tscmon.1 $(MANDIR)/tscmon.1; fi
	install -m 0644 README.md docs/*.md $(DOCDIR)/
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

install-modules-load:
	install -D -m 0644 contrib/modules-load.d/tscmon.conf $(MODLOADDIR)/tscmon.conf

uninstall:
	rm -f $(MODDIR)/tscmon.ko $(BINDIR)/tscmon $(LIBEXECDIR)/tscmon-export \
		$(MANDIR)/tscmon.1 $(MODLOADDIR)/tscmon.conf
	rm -f $(addprefix $(UNITDIR)/,$(notdir $(UNITS)))
	-rmdir $(LIBEXECDIR) 2>/dev/null
	rm -rf $(DOCDIR)
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C userspace clean
	rm -rf $(OUT) selftests/out
