# dactyl -- hand-written, flat Makefile (minimap2 style).
#   make              optimised build: ./dactyl
#   make asan=1       AddressSanitizer + UBSan build in build-asan/
#   make deps         install the Debian packages that are missing
#   make demo         deps + build + assemble the bundled dataset under mpirun -np 2
#   make check        every test, optimised and under ASan+UBSan
#   make bench        the benchmark harness (bench/README.md)

CC      ?= cc
PKGS     = htslib hwloc zlib
MPIPKG   = ompi-c
OPT     ?= -O3
CFLAGS_W = -Wall -Wextra
CSTD     = -std=gnu11
DEPFLAGS = -MMD -MP
SAN      =
B        = build

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

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
MPI_CFLAGS := $(shell pkg-config --cflags $(MPIPKG) 2>/dev/null)
MPI_LIBS   := $(shell pkg-config --libs $(MPIPKG) 2>/dev/null)

BASEFLAGS = $(CSTD) $(OPT) -g $(CFLAGS_W) -fopenmp $(SAN) $(DEPFLAGS) -Iinclude -Ikernels
# kernels/ get no MPI or htslib include path: an #include <mpi.h> there breaks the build.
KCFLAGS   = $(BASEFLAGS)
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

.PHONY: all deps demo check check-opt check-asan unit bench clean fuzz
.SUFFIXES:

all: $(PROG) $(if $(filter build,$(B)),dactyl) $(TOOLBIN) $(BENCHBIN) $(B)/tests/example $(B)/tests/replay

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

# the fuzz corpus replayed without libFuzzer (gcc), for make check
$(B)/tests/replay: tests/fuzz/replay.c tests/fuzz/fuzz_reads.c src/fastx.c src/fastx.h
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -DDY_FUZZING -Isrc -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_reads.c src/fastx.c

# the libFuzzer target (clang): make fuzz; build/fuzz_reads -max_total_time=60 tests/fuzz/corpus
fuzz: $(B)/fuzz_reads
$(B)/fuzz_reads: tests/fuzz/fuzz_reads.c src/fastx.c src/fastx.h
	@mkdir -p $(@D)
	clang -g -O1 -DDY_FUZZING -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -o $@ tests/fuzz/fuzz_reads.c src/fastx.c

# kernel micro-benchmarks (bench/kernels/*.c), built by make bench
$(B)/bench/%: bench/kernels/%.c $(B)/libdactyl.a
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -o $@ $< $(B)/libdactyl.a $(LDLIBS)

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
	bash bench/run.sh

clean:
	rm -rf build build-asan build-tsan dactyl

-include $(KOBJ:.o=.d) $(SOBJ:.o=.d) $(B)/src/main.d
