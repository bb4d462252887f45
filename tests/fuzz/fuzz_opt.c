/* fuzz_opt.c -- libFuzzer target over option parsing (src/opt.c): the
 * input, cut at NUL bytes, is the argument vector of `dactyl asm`.
 *
 * Parsing and checking must accept or refuse it, never crash; a refusal
 * leaves a one-line message; an accepted set of options is in range (k odd
 * in DY_KMIN..DY_KMAX or 0, m valid for k, at least one input, an output
 * folder); and parsing twice in one process gives the same verdict (the
 * parser resets getopt's state). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dactyl.h"
#include "dy_kmer.h"

/* src/dy_priv.h declares it beside MPI types this target does not need */
int dy_opt_parse(int argc, char *argv[], dy_opt_t *o, char *msg, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse(int argc, char **argv, dy_opt_t *o, char *msg, size_t len)
{
	int r;
	dy_opt_init(o);
	msg[0] = 0;
	r = dy_opt_parse(argc, argv, o, msg, len);
	if (r == DY_OK) r = dy_opt_check(o, msg, len);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *argv[66], *argv2[66], msg[512], msg2[512];
	int argc = 1, r1, r2, i;
	size_t p;
	dy_opt_t o, o2;
	if (size > 4096) return 0;
	if ((text = malloc(size + 1)) == NULL) abort();
	memcpy(text, data, size), text[size] = 0;
	argv[0] = "asm";
	for (p = 0; p < size && argc < 64; ) {
		argv[argc++] = text + p;
		p += strlen(text + p) + 1;
	}
	argv[argc] = NULL;
	memcpy(argv2, argv, sizeof argv);   /* getopt may permute argv */
	r1 = parse(argc, argv, &o, msg, sizeof msg);
	r2 = parse(argc, argv2, &o2, msg2, sizeof msg2);
	if (r1 != r2) __builtin_trap();
	if (r1 < 0 && (msg[0] == 0 || strchr(msg, '\n'))) __builtin_trap();
	if (r1 == DY_OK) {
		int k = o.kmer.k;
		if (k != 0 && (k < DY_KMIN || k > DY_KMAX || k % 2 == 0)) __builtin_trap();
		if (k != 0 && (o.kmer.m < 7 || o.kmer.m > k - 2 || o.kmer.m % 2 == 0)) __builtin_trap();
		if (o.io.n_in < 1 || o.io.out_dir == NULL || o.io.out_dir[0] == 0) __builtin_trap();
		for (i = 0; i < o.io.n_in; ++i)
			if (o.io.in[i] == NULL) __builtin_trap();
	}
	free(text);
	return 0;
}
