# SPDX-License-Identifier: GPL-2.0-or-later
#
# klpx: build everything with `make`, test in the guest with `make check`.
# `make help` lists the targets.  V=1 shows the full commands.

# The reference kernel: whatever linux-headers-amd64 resolves to.
ifndef KREL
KREL := $(shell scripts/kernel-release 2>/dev/null)
endif
KDIR ?= /usr/src/linux-headers-$(KREL)
KLPX_CACHE ?= /var/cache/klpx
VMLINUZ ?= $(KLPX_CACHE)/$(KREL)/vmlinuz

BUILD := build
CC := gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PYTHON ?= python3

CFLAGS := -Wall -Wextra -Werror -O2 -g -I include -I $(BUILD)
LDFLAGS := -static
LDLIBS := -lbpf -lelf -lz
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -I include -I . \
	-idirafter /usr/include/x86_64-linux-gnu -Wall -Werror

ifeq ($(V),1)
Q :=
msg :=
KBUILD_QUIET :=
else
Q := @
msg = @printf '  %-9s %s\n' '$(1)' '$(2)';
KBUILD_QUIET := -s
endif

.DELETE_ON_ERROR:
.SUFFIXES:

# Sources present in the tree: every target below builds whatever exists.
BPF_SRCS := $(sort $(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
LOADER_SRCS := $(sort $(wildcard loader/*.c))
LOADER_OBJS := $(patsubst loader/%.c,$(BUILD)/loader/%.o,$(LOADER_SRCS))
# A file cannot share the path of the loader/ source folder, so the binary is
# loader/loader here and /klpx/loader in the guest.
LOADER := $(if $(LOADER_SRCS),loader/loader)
TOOL_SRCS := $(sort $(wildcard selftests/tools/*.c))
TOOLS := $(patsubst selftests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

HAVE_ENGINE := $(wildcard kernel/Kbuild kernel/Makefile)
ENGINE_SYMVERS := $(CURDIR)/kernel/Module.symvers
# Module folders built with Kbuild, besides the engine, when they hold sources.
MODULE_DIRS := $(foreach d,samples selftests/modules,$(if $(wildcard $(d)/*.c),$(d)))

# Debian's headers have no vmlinux, so Kbuild cannot make module BTF and
# says so for every module: turn that step off instead.  (raw_tp programs
# on the engine's tracepoints need no module BTF.)
KBUILD_OPTS := $(KBUILD_QUIET) CONFIG_DEBUG_INFO_BTF_MODULES=
# Until the engine exists its symbols cannot resolve: modpost then warns
# instead of failing, so the rest of the tree still builds.
KBUILD = $(MAKE) $(KBUILD_OPTS) -C $(KDIR) M=$(CURDIR)/$(1) \
	$(if $(HAVE_ENGINE),KBUILD_EXTRA_SYMBOLS=$(ENGINE_SYMVERS),KBUILD_MODPOST_WARN=1)

.PHONY: all
all: engine modules bpf $(LOADER) tools

# --- kernel modules ---------------------------------------------------------

.PHONY: kdir-check engine modules $(addprefix module-dir/,$(MODULE_DIRS))
kdir-check:
	@test -d "$(KDIR)" || { echo "make: kernel headers not found at '$(KDIR)': run scripts/setup or set KDIR"; exit 1; }

engine: kdir-check
ifneq ($(HAVE_ENGINE),)
	$(call msg,KBUILD,kernel)
	+$(Q)$(MAKE) $(KBUILD_OPTS) -C $(KDIR) M=$(CURDIR)/kernel modules
endif

modules: $(addprefix module-dir/,$(MODULE_DIRS))

$(addprefix module-dir/,$(MODULE_DIRS)): module-dir/%: engine
	$(call msg,KBUILD,$*)
	+$(Q)$(call KBUILD,$*) modules

# --- BPF objects and skeletons ---------------------------------------------

.PHONY: bpf
bpf: $(BPF_OBJS) $(SKELS)

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c vmlinux.h $(wildcard include/klpx/*.h bpf/*.h) | $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< >$@

# --- the loader (static) and the test tools --------------------------------

$(BUILD)/loader/%.o: loader/%.c $(SKELS) | $(BUILD)/loader
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

loader/loader: $(LOADER_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: tools
tools: $(TOOLS)

$(BUILD)/tools/%: selftests/tools/%.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $<

$(BUILD) $(BUILD)/bpf $(BUILD)/loader $(BUILD)/tools:
	$(Q)mkdir -p $@

-include $(LOADER_OBJS:.o=.d)

# --- vmlinux.h from the reference kernel's BTF -----------------------------

# vmlinux.h is committed; it is regenerated only when asked for by name.
ifneq ($(filter vmlinux.h,$(MAKECMDGOALS)),)
.PHONY: vmlinux.h
vmlinux.h:
	@test -s "$(VMLINUZ)" || { echo "make: no reference kernel image at '$(VMLINUZ)': run scripts/setup"; exit 1; }
	$(call msg,GEN,$@)
	$(Q)BPFTOOL=$(BPFTOOL) scripts/gen-vmlinux-h $(VMLINUZ) $@
endif

# --- out-of-tree patch modules ---------------------------------------------

# make patch-module M=<dir>: build the module sources in <dir> against klpx
# and the reference kernel (the folder needs a Kbuild with obj-m lines).
.PHONY: patch-module
patch-module: engine
	@test -n "$(M)" || { echo "make: patch-module needs M=<folder with the module's Kbuild>"; exit 64; }
	@test -f "$(M)/Kbuild" || test -f "$(M)/Makefile" || \
		{ echo "make: $(M) has no Kbuild file; put one there with obj-m lines (README: Building a patch module outside the tree)"; exit 64; }
	$(call msg,KBUILD,$(M))
	+$(Q)$(MAKE) $(KBUILD_OPTS) -C $(KDIR) M=$(abspath $(M)) \
		KBUILD_EXTRA_SYMBOLS=$(ENGINE_SYMVERS) KCFLAGS=-I$(CURDIR)/include modules

# --- running in the guest --------------------------------------------------

# APPEND adds to the guest kernel's command line; TIMEOUT (seconds) bounds
# vm-run, demo, bench and soak.
VMRUN = $(PYTHON) selftests/vm/run --kernel $(VMLINUZ) --build $(BUILD) \
	$(if $(APPEND),--append '$(APPEND)')
VMTIMEOUT = $(if $(TIMEOUT),--timeout $(TIMEOUT))

.PHONY: setup check vm-run vm-shell demo bench soak initramfs
setup:
	$(Q)scripts/setup

initramfs: all
	$(Q)$(VMRUN) pack

# check, demo, bench, soak: setup first, since it may install the kernel
# headers and extract the kernel image; then the rest in a fresh make, which
# reads KREL, KDIR and VMLINUZ again.
check demo bench soak: setup
	$(Q)$(MAKE) --no-print-directory $@-in-guest

.PHONY: check-in-guest demo-in-guest bench-in-guest soak-in-guest
check-in-guest: all
	$(Q)$(VMRUN) check $(if $(T),--filter '$(T)')

demo-in-guest: all
	@test -f samples/demo.sh || { echo "make: samples/demo.sh does not exist yet"; exit 1; }
	$(Q)$(VMRUN) run --name demo --script samples/demo.sh $(VMTIMEOUT)

bench-in-guest: all
	$(Q)$(VMRUN) scripts --what bench --glob 'bench/*.sh' $(VMTIMEOUT)

soak-in-guest: all
	$(Q)$(VMRUN) scripts --what soak --glob 'selftests/soak/*.sh' $(VMTIMEOUT)

vm-run: all
	@test -n "$(SCRIPT)" || { echo "make: vm-run needs SCRIPT=<file>"; exit 64; }
	$(Q)$(VMRUN) run --script '$(SCRIPT)' $(if $(EXTRA),--extra '$(EXTRA)') $(VMTIMEOUT)

vm-shell: all
	$(Q)$(VMRUN) shell $(if $(EXTRA),--extra '$(EXTRA)')

# --- clean -------------------------------------------------------------------

KBUILD_PRODUCTS := '*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' '*.symvers' \
	'modules.order' '.*.d' '*.dwo' '.module-common.o'

.PHONY: clean
clean:
	$(call msg,CLEAN,build loader modules)
	$(Q)rm -rf $(BUILD) loader/loader
	$(Q)for d in kernel samples selftests/modules; do \
		[ -d $$d ] || continue; \
		find $$d \( $(foreach p,$(KBUILD_PRODUCTS),-name $(p) -o) -name '.tmp_versions' \) -prune -exec rm -rf {} +; \
	done

.PHONY: help
help:
	@echo 'make             build the engine, modules, BPF objects, skeletons and the loader'
	@echo 'make check       scripts/setup, build, run every test (T=<regex> for a subset)'
	@echo 'make demo        scripts/setup, build, run samples/demo.sh in the guest'
	@echo 'make vm-run SCRIPT=<file> [EXTRA=<dir>]   run one script in the guest'
	@echo 'make vm-shell [EXTRA=<dir>]               interactive shell in the guest'
	@echo 'make patch-module M=<dir>                 build an out-of-tree patch module'
	@echo 'make bench | soak                         benchmarks / soak tests in the guest'
	@echo 'make vmlinux.h   regenerate vmlinux.h from the reference kernel BTF'
	@echo 'make clean       remove every build product'
	@echo 'KDIR=<dir> builds against other kernel headers; V=1 shows commands'
	@echo 'guest runs: APPEND=<args> adds to the kernel command line, TIMEOUT=<s> bounds the run'
