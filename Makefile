# dactyl -- hand-written, flat Makefile (minimap2 style).
#   make              optimised build: ./dactyl
#   make asan=1       AddressSanitizer + UBSan build in build-asan/
#   make deps         install the Debian packages that are missing
#   make demo         deps + build + assemble the bundled dataset under mpirun -np 2
#   make check        every test, optimised and under ASan+UBSan
#   make bench        the benchmark harness (bench/README.md)
#   make install      PREFIX=/usr/local (and DESTDIR for staging): the binary,
#                     man page, Slurm scripts and docs; make uninstall

CC      ?= cc
PKGS     = htslib hwloc zlib
MPIPKG   = ompi-c
OPT     ?= -O3
CFLAGS_W = -Wall -Wextra
CSTD     = -std=gnu11
DEPFLAGS = -MMD -MP
SAN      =
B        = build
PREFIX  ?= /usr/local
DESTDIR ?=

ifeq ($(asan),1)
  OPT  = -O1 -fno-omit-frame-pointer
  SAN += -fsanitize=address,undefined -fno-sanitize-recover=undefined
  B    = build-asan
endif
ifeq ($(tsan),1)
  OPT  = -O1 -fno-omit-frame-pointer
  SAN += -fsanitize=thread
  B    = build-tsan
endif

# ISA-L's inflater where installed (libisal-dev, which install-deps.sh
# installs): 4.8x zlib on gzip input; without it, zlib (src/reads.c).
# isal=0 builds with zlib alone.
ifneq ($(isal),0)
  ifeq ($(shell pkg-config --exists libisal 2>/dev/null && echo y),y)
    PKGS += libisal
    ISAL_DEF = -DDY_HAVE_ISAL
  endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(ISAL_DEF)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
MPI_CFLAGS := $(shell pkg-config --cflags $(MPIPKG) 2>/dev/null)
MPI_LIBS   := $(shell pkg-config --libs $(MPIPKG) 2>/dev/null)

BASEFLAGS = $(CSTD) $(OPT) -g $(CFLAGS_W) -fopenmp $(SAN) $(DEPFLAGS) -Iinclude -Ikernels
# kernels/ get no MPI or htslib include path: an #include <mpi.h> there breaks the build.
# kernels: also -Wshadow -Wconversion; the one exception, -Wno-sign-conversion,
# because k, m, thread and partition counts are int (non-negative by
# construction, checked at the options) used as sizes: ~60 casts that would
# say nothing
KCFLAGS   = $(BASEFLAGS) -Wshadow -Wconversion -Wno-sign-conversion
SCFLAGS   = $(BASEFLAGS) -Isrc $(MPI_CFLAGS) $(PKG_CFLAGS)
LDLIBS    = $(MPI_LIBS) $(PKG_LIBS) -lm

KSRC  = $(sort $(wildcard kernels/*.c))
SSRC  = $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
KOBJ  = $(patsubst %.c,$(B)/%.o,$(KSRC))
SOBJ  = $(patsubst %.c,$(B)/%.o,$(SSRC))
UTSRC = $(sort $(wildcard tests/unit/test_*.c))
UTBIN = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UTSRC))
TOOLSRC = $(sort $(wildcard tests/tools/*.c))
TOOLBIN = $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOLSRC))
BENCHBIN = $(patsubst bench/kernels/%.c,$(B)/bench/%,$(sort $(wildcard bench/kernels/*.c)))
PROG  = $(B)/dactyl

# Fuzz targets (tests/fuzz/fuzz_NAME.c) and the sources each one covers.
# make check replays each committed corpus (tests/fuzz/corpus/NAME) with
# the build's compiler and sanitizers (tests/fuzz/replay.c, no libFuzzer);
# make fuzz builds the libFuzzer binaries with clang in $(B)/fuzz/.
FUZZ        = reads input split skm frag opt gfa
FZSRC_reads = src/fastx.c
FZSRC_input = src/reads.c src/reads_sam.c src/fastx.c src/split.c
FZLIBS_input = $(PKG_LIBS)
FZSRC_split = src/fastx.c src/split.c
FZSRC_skm   = $(KSRC)
FZSRC_frag  = $(KSRC)
FZSRC_opt   = src/opt.c $(KSRC)
FZSRC_gfa   = src/write.c src/status.c src/log.c src/opt.c src/stats.c src/reads.c src/reads_sam.c src/split.c src/fastx.c $(KSRC)
FZLIBS_gfa  = $(MPI_LIBS) $(PKG_LIBS)
FZFLAGS     = -DDY_FUZZING -Iinclude -Ikernels -Isrc $(MPI_CFLAGS) $(PKG_CFLAGS)
REPLAYBIN   = $(patsubst %,$(B)/tests/replay-%,$(FUZZ))
FUZZBIN     = $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ))


.PHONY: all deps demo check check-opt check-asan unit bench print-flags clean fuzz install uninstall
.SUFFIXES:

all: $(PROG) $(if $(filter build,$(B)),dactyl) $(TOOLBIN) $(BENCHBIN) $(B)/tests/example $(REPLAYBIN)

dactyl: $(PROG)
	ln -sf $(PROG) dactyl

$(B)/libdactyl.a: $(KOBJ) $(SOBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(PROG): $(B)/src/main.o $(B)/libdactyl.a
	$(CC) $(BASEFLAGS) -o $@ $^ $(LDLIBS)

$(B)/kernels/%.o: kernels/%.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c -o $@ $<

$(B)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(SCFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libdactyl.a
	@mkdir -p $(@D)
	$(CC) $(SCFLAGS) -Itests/unit -o $@ $< $(B)/libdactyl.a $(LDLIBS)

$(B)/tests/example: tests/example.c $(B)/libdactyl.a
	@mkdir -p $(@D)
	$(CC) $(SCFLAGS) -o $@ $< $(B)/libdactyl.a $(LDLIBS)

define fuzz_rules
$(B)/tests/replay-$(1): tests/fuzz/replay.c tests/fuzz/fuzz_$(1).c $(FZSRC_$(1)) $(wildcard src/*.h kernels/*.h include/*.h)
	@mkdir -p $$(@D)
	$(CC) $(BASEFLAGS) $(FZFLAGS) -o $$@ tests/fuzz/replay.c tests/fuzz/fuzz_$(1).c $(FZSRC_$(1)) $(FZLIBS_$(1)) -lz -lm
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FZSRC_$(1)) $(wildcard src/*.h kernels/*.h include/*.h)
	@mkdir -p $$(@D)
	clang -std=gnu11 -g -O1 -fopenmp -fsanitize=fuzzer,address,undefined $(FZFLAGS) -o $$@ tests/fuzz/fuzz_$(1).c $(FZSRC_$(1)) $(FZLIBS_$(1)) -lz -lm
endef
$(foreach t,$(FUZZ),$(eval $(call fuzz_rules,$(t))))

# make fuzz: the libFuzzer binaries (needs clang and libomp-dev); run one with
#   build/fuzz/fuzz_reads -max_total_time=600 -jobs=2 tests/fuzz/corpus/reads
fuzz:
	@command -v clang > /dev/null || { echo "make fuzz needs clang: apt-get install -y clang libomp-dev"; exit 1; }
	$(MAKE) $(FUZZBIN)

# the benchmark programs (bench/kernels/*.c: machine, limits, kernels, all-to-all), built by make all
$(B)/bench/%: bench/kernels/%.c $(B)/libdactyl.a
	@mkdir -p $(@D)
	$(CC) $(SCFLAGS) -o $@ $< $(B)/libdactyl.a $(LDLIBS)

$(B)/tools/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -o $@ $< $(PKG_LIBS) -lm

deps:
	@bash pipelines/install-deps.sh

unit: $(UTBIN) $(B)/tests/example
	@bash tests/run-unit.sh $(B)

demo: deps
	$(MAKE) all
	bash pipelines/demo.sh

# The whole suite, optimised then under ASan+UBSan (tests/check.sh says what runs).
check: deps
	$(MAKE) check-opt
	$(MAKE) check-asan

check-opt:
	$(MAKE) all unit
	bash tests/check.sh build

check-asan:
	$(MAKE) asan=1 all unit
	bash tests/check.sh build-asan

bench: deps
	$(MAKE) all
	bench/run --quick

# the compiler and flags of this build, for the benchmark reports
print-flags:
	@echo '$(CC) $(SCFLAGS)'

# the optimised build only: a sanitizer build is not for installing
INSTALLED = bin/dactyl share/man/man1/dactyl.1 share/dactyl/slurm/dactyl.sbatch \
            share/dactyl/slurm/dactyl-requeue.sbatch share/dactyl/slurm/dactyl-scaling.sbatch \
            share/doc/dactyl/README.md share/doc/dactyl/design.md
install: $(PROG)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/dactyl/slurm $(DESTDIR)$(PREFIX)/share/doc/dactyl
	install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/dactyl
	install -m 644 man/dactyl.1 $(DESTDIR)$(PREFIX)/share/man/man1/dactyl.1
	install -m 755 pipelines/slurm/dactyl.sbatch pipelines/slurm/dactyl-requeue.sbatch \
	    pipelines/slurm/dactyl-scaling.sbatch $(DESTDIR)$(PREFIX)/share/dactyl/slurm/
	install -m 644 README.md docs/design.md $(DESTDIR)$(PREFIX)/share/doc/dactyl/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))
	-rmdir $(DESTDIR)$(PREFIX)/share/dactyl/slurm $(DESTDIR)$(PREFIX)/share/dactyl $(DESTDIR)$(PREFIX)/share/doc/dactyl 2> /dev/null

clean:
	rm -rf build build-asan build-tsan dactyl

-include $(KOBJ:.o=.d) $(SOBJ:.o=.d) $(B)/src/main.d
