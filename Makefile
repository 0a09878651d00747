# ratewin: rate-window I/O throttling for Linux 6.12.
#
#   make test    install what is missing, build, and run every test
#   make demo    build the patched kernel, boot it under QEMU, show ratewin
#   make bench   benchmarks against io.max, tc and trickle (bench/README.md)
#   make deb     Debian packages of the patched kernel and of ratectl
#   make test-distro  boot that kernel package under QEMU and test it
#   make series  the series as a git branch to change (kernel/README.md)
#   make series-export  that branch back into patches/
#   make check   checkpatch --strict, sparse and W=1, and each patch built and booted
#   make install install ratectl, its man page, completions and unit
#
# Everything big lives under RATEWIN_CACHE, never in the repository: the
# pristine source, the patched tree (hard links into the pristine one), the
# build directories and ccache.

RATEWIN_CACHE ?= /var/tmp/ratewin
PRISTINE      := $(RATEWIN_CACHE)/pristine
TREE          := $(RATEWIN_CACHE)/linux
KUNIT_BUILD   := $(RATEWIN_CACHE)/build-kunit
KUNIT_I386_BUILD := $(RATEWIN_CACHE)/build-kunit-i386
VM_BUILD      := $(RATEWIN_CACHE)/build-x86_64
DEBUG_BUILD   := $(RATEWIN_CACHE)/build-x86_64-debug
BENCH_BUILD   := $(RATEWIN_CACHE)/build-x86_64-bench
VANILLA_BUILD := $(RATEWIN_CACHE)/build-x86_64-vanilla
VM_DIR        := $(RATEWIN_CACHE)/vm
RESULTS       := $(RATEWIN_CACHE)/results
RATECTL_BUILD := $(RATEWIN_CACHE)/ratectl
FUZZ_SECONDS  ?= 60
JOBS          ?= $(shell nproc)

export RATEWIN_CACHE
export CCACHE_DIR ?= $(RATEWIN_CACHE)/ccache
# Depend mode hashes the compiler's own dependency list instead of running
# the preprocessor: cold kernel builds lose far less time to ccache.
export CCACHE_DEPEND := 1

KMAKE     = $(MAKE) -s -C $(TREE) O=$(VM_BUILD) ARCH=x86_64 CC="ccache gcc" -j$(JOBS)
BZIMAGE   = $(VM_BUILD)/arch/x86/boot/bzImage
DEBUG_BZIMAGE = $(DEBUG_BUILD)/arch/x86/boot/bzImage
BUILD_KERNEL  = CC="ccache gcc" JOBS=$(JOBS) scripts/build-kernel.sh
INITRAMFS = $(VM_DIR)/initramfs.cpio.gz
SELFTESTS = $(TREE)/tools/testing/selftests
# $(call install_selftests,DIR,BUILD): the kernel's ratewin selftests, built
# in BUILD with -Werror and installed in DIR as kselftest installs them
# (run_kselftest.sh, kselftest/, ratewin/).
install_selftests = $(MAKE) -s -C $(SELFTESTS) TARGETS=ratewin O=$(2) \
	USERCFLAGS=-Werror KSFT_INSTALL_PATH=$(1) install >/dev/null

.PHONY: all test test-debug demo deps pristine series series-export check-patches tree kunit kunit-i386 kernel \
	kernel-debug kernel-bench kernel-vanilla bench-bin bench-tools bench-deps bench bench-snapshot vm-tools vm-bin vm-test vm-test-debug \
	check-series deb deb-ratectl deb-distro vm-test-distro test-distro check checkpatch sparse ratectl ratectl-test install fuzz clean

all: kernel ratectl

# What make test needs beyond deps.sh's list: the fuzzers' compiler.
TEST_DEPS = clang libclang-rt-14-dev
# Only test, demo, bench and deb install packages; the other targets check.
CHECK_DEPS = scripts/deps.sh --check

test: deps tree
	scripts/deps.sh $(TEST_DEPS)
	tests/run.sh

# The repository and the guest binaries are shared again at their own
# paths: under /tmp (a CI clone, say) the guest's tmpfs would hide them.
BOOT = tests/vm/boot.sh --share $(CURDIR) --share $(VM_DIR)/bin

demo: deps kernel vm-tools
	scripts/deps.sh gnuplot-nox
	$(BOOT) $(BZIMAGE) $(INITRAMFS) $(VM_DIR)/demo tests/vm/demo.sh
	gnuplot -e "data='$(VM_DIR)/demo/demo.dat'; out='$(VM_DIR)/demo/demo.png'" tests/vm/demo.gp
	@echo "demo: the timeline drawn: $(VM_DIR)/demo/demo.png"

deps:
	scripts/deps.sh

pristine:
	$(CHECK_DEPS)
	scripts/pristine.sh $(PRISTINE)

# patches/ is the kernel source; $(SERIES) the git branch to change it in.
SERIES ?= $(RATEWIN_CACHE)/series

series: pristine
	scripts/series.sh checkout $(PRISTINE) patches $(SERIES)

series-export:
	scripts/series.sh export $(SERIES) patches

# Every patch applies with git am, in the form series-export writes.
check-patches: pristine
	tests/check-patches.sh $(PRISTINE) patches

tree: pristine
	scripts/tree.sh $(PRISTINE) patches $(TREE)

KUNIT = cd $(TREE) && ./tools/testing/kunit/kunit.py run \
	--kunitconfig=kernel/ratewin/.kunitconfig --jobs=$(JOBS) --make_options CC="ccache gcc"

kunit: tree
	@mkdir -p $(KUNIT_BUILD) $(RESULTS)
	$(KUNIT) --build_dir=$(KUNIT_BUILD) > $(RESULTS)/kunit.log 2>&1; \
		status=$$?; cat $(RESULTS)/kunit.log; exit $$status

# The same suite on a 32-bit kernel under QEMU: it catches u64 constants
# that overflow a long and divisions that need the div64 helpers (with
# -Werror, as a warning would otherwise pass). SMP and lockdep make the
# locks that ratewin_read_u64() takes only there real, and checked: taken
# twice, they are reported, not a hang. One CPU: no race is exercised.
kunit-i386: tree
	@mkdir -p $(KUNIT_I386_BUILD) $(RESULTS)
	$(KUNIT) --arch=i386 --kconfig_add CONFIG_SMP=y --kconfig_add CONFIG_WERROR=y \
		--kconfig_add CONFIG_DEBUG_KERNEL=y --kconfig_add CONFIG_PROVE_LOCKING=y \
		--build_dir=$(KUNIT_I386_BUILD) > $(RESULTS)/kunit-i386.log 2>&1; \
		status=$$?; cat $(RESULTS)/kunit-i386.log; exit $$status

kernel: tree
	$(BUILD_KERNEL) $(TREE) $(VM_BUILD) kernel/configs/test.config

# The same kernel with KASAN, UBSAN, debug objects and the lockup detectors.
kernel-debug: tree
	$(BUILD_KERNEL) $(TREE) $(DEBUG_BUILD) kernel/configs/test.config kernel/configs/debug.config

vm-tools: kernel vm-bin
	tests/vm/mkinitramfs.sh $(VM_BUILD)/usr/gen_init_cpio $(INITRAMFS)

# What the guest runs, for any kernel: the selftests and ratectl.
vm-bin: tree ratectl
	rm -rf $(VM_DIR)/bin && mkdir -p $(VM_DIR)/bin
	$(call install_selftests,$(VM_DIR)/bin,$(VM_DIR)/selftests)
	cp $(RATECTL_BUILD)/ratectl $(VM_DIR)/bin/ratectl

# A fresh ext4 file system on a virtio disk for each run: the tests throttle
# a real file system, not only tmpfs. Its inode tables and journal are
# written now, not by ext4lazyinit in the guest while the tests measure.
DISK = $(VM_DIR)/disk.img
MKDISK = rm -f $(DISK) && truncate -s 1G $(DISK) && \
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 $(DISK)

vm-test: vm-tools
	$(MKDISK)
	$(BOOT) --disk $(DISK) $(BZIMAGE) $(INITRAMFS) $(VM_DIR)/test tests/vm/guest-test.sh \
		$(CURDIR) $(VM_DIR)/bin

ratectl:
	$(CHECK_DEPS)
	$(MAKE) -s -C tools/ratectl O=$(RATECTL_BUILD)

ratectl-test: ratectl
	$(MAKE) -s -C tools/ratectl O=$(RATECTL_BUILD) test

# libFuzzer over ratectl's parsers, FUZZ_SECONDS a harness; new inputs and
# any crash go to $(RATEWIN_CACHE)/fuzz, the seed corpus stays as it is.
fuzz:
	$(CHECK_DEPS) $(TEST_DEPS)
	$(MAKE) -s -C tools/ratectl O=$(RATECTL_BUILD) fuzzers
	tests/fuzz/run.sh $(RATECTL_BUILD) $(RATEWIN_CACHE)/fuzz $(FUZZ_SECONDS)

# PREFIX=/usr/local and DESTDIR are passed on to tools/ratectl/Makefile.
install: ratectl
	$(MAKE) -C tools/ratectl O=$(RATECTL_BUILD) install

# The benchmark kernels: the test kernel without lock debugging, patched
# and, as the overhead benchmark's reference, from the pristine source.
BENCH_CONFIG = kernel/configs/test.config kernel/configs/bench.config

kernel-bench: tree
	$(BUILD_KERNEL) $(TREE) $(BENCH_BUILD) $(BENCH_CONFIG)

kernel-vanilla: pristine
	$(BUILD_KERNEL) $(PRISTINE) $(VANILLA_BUILD) $(BENCH_CONFIG) kernel/configs/vanilla.config

# make bench: BENCH_PARTS (default all), BENCH_SECONDS, BENCH_ROUNDS,
# BENCH_WORKLOADS (accuracy workloads, separated by commas; default all);
# see bench/README.md. Results and plots go to $(BENCH_DIR)/results, and
# make bench-snapshot copies the tables and plots to bench/results/, the
# snapshot bench/README.md shows. Variables set on make's command line
# reach bench/run.sh in its environment.
BENCH_DIR := $(RATEWIN_CACHE)/bench
BENCH_CC   = gcc -O2 -Wall -Wextra -Werror -pthread

bench-bin:
	@mkdir -p $(BENCH_DIR)/bin
	$(BENCH_CC) -o $(BENCH_DIR)/bin/flow bench/src/flow.c -luring
	$(BENCH_CC) -o $(BENCH_DIR)/bin/syscost bench/src/syscost.c

BENCH_DEPS = trickle gnuplot-nox e2fsprogs

# The selftests' lib.sh puts ratewin back to its defaults between runs.
bench-tools: kernel-bench bench-bin
	$(CHECK_DEPS) $(BENCH_DEPS)
	$(call install_selftests,$(BENCH_DIR)/bin,$(BENCH_DIR)/selftests)
	tests/vm/mkinitramfs.sh $(BENCH_BUILD)/usr/gen_init_cpio $(BENCH_DIR)/initramfs.cpio.gz

bench-deps: deps
	scripts/deps.sh $(BENCH_DEPS)

bench: bench-deps kernel-bench kernel-vanilla bench-tools
	bench/run.sh $(RATEWIN_CACHE) $(PRISTINE) $(BENCH_BUILD)/arch/x86/boot/bzImage \
		$(VANILLA_BUILD)/arch/x86/boot/bzImage $(BENCH_PARTS)

bench-snapshot:
	cp $(BENCH_DIR)/results/tables.md $(BENCH_DIR)/results/*.png bench/results/

# Every VM test again, on the debug kernel; make test runs it too.
vm-test-debug: vm-tools kernel-debug
	$(MKDISK)
	$(BOOT) --disk $(DISK) $(DEBUG_BZIMAGE) $(INITRAMFS) \
		$(VM_DIR)/test-debug tests/vm/guest-test.sh $(CURDIR) $(VM_DIR)/bin

test-debug: deps tree
	scripts/deps.sh $(TEST_DEPS)
	tests/run.sh debug

# Debian packages of the patched kernel, from Debian's own configuration
# (scripts/deb-kernel.sh), and of ratectl, in $(DEB_DIR). DEB_MODULES=FILE
# (lsmod's output) or DEB_MODULES=local builds only those modules.
DEB_DIR ?= $(RATEWIN_CACHE)/deb
DEB_DEPS = linux-config-6.12 dpkg-dev debhelper rsync openssl zstd

deb: tree
	scripts/deps.sh $(DEB_DEPS)
	JOBS=$(JOBS) scripts/deb-kernel.sh $(TREE) $(DEB_DIR)/build-kernel $(DEB_MODULES)
	scripts/deb-ratectl.sh $(DEB_DIR)/build-ratectl $(DEB_DIR)

deb-ratectl:
	scripts/deps.sh dpkg-dev
	scripts/deb-ratectl.sh $(DEB_DIR)/build-ratectl $(DEB_DIR)

# make test-distro's packages: the kernel with only the modules a QEMU
# guest needs, booted with them; the sysfs test, file and network
# throttling, ratectl from its package. Not part of make test: see README.md.
DISTRO_DEB_DIR := $(RATEWIN_CACHE)/deb-distro

deb-distro:
	$(MAKE) deb DEB_DIR=$(DISTRO_DEB_DIR) DEB_MODULES=tests/distro/lsmod

vm-test-distro: vm-bin
	$(MKDISK)
	tests/distro/boot.sh $(DISTRO_DEB_DIR) $(VM_DIR) $(DISK) $(VM_DIR)/test-distro

test-distro: deps tree
	scripts/deps.sh $(DEB_DEPS)
	tests/run.sh distro

check: check-patches checkpatch sparse check-series

# Each patch of the series, with those before it, builds and boots.
check-series: pristine vm-tools
	CC="ccache gcc" JOBS=$(JOBS) tests/check-series.sh $(PRISTINE) patches $(RATEWIN_CACHE) $(INITRAMFS)

checkpatch: pristine
	tests/checkpatch.sh $(PRISTINE) patches

# C=2 checks our files whether or not they need rebuilding; W=1 adds the
# extra compiler warnings. Any report on kernel/ratewin fails.
sparse: kernel
	@mkdir -p $(RESULTS)
	$(KMAKE) C=2 W=1 kernel/ratewin/ > $(RESULTS)/sparse.log 2>&1; \
		status=$$?; cat $(RESULTS)/sparse.log; exit $$status
	! grep -E '^(.*/)?kernel/ratewin/.*(warning|error)' $(RESULTS)/sparse.log

clean:
	rm -rf $(TREE) $(KUNIT_BUILD) $(KUNIT_I386_BUILD) $(VM_BUILD) $(VM_BUILD).config $(DEBUG_BUILD) \
		$(DEBUG_BUILD).config $(VM_DIR) $(RESULTS) $(RATECTL_BUILD) $(DEB_DIR) \
		$(DISTRO_DEB_DIR) $(RATEWIN_CACHE)/check
