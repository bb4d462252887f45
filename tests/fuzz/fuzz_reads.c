/* fuzz_reads.c -- libFuzzer target over the FASTA/FASTQ record parser.
 *
 *   clang -g -O1 -DDY_FUZZING -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *       tests/fuzz/fuzz_reads.c src/fastx.c -o fuzz_reads && ./fuzz_reads tests/fuzz/corpus
 *
 * Input: byte 0 sets the read size of the source (1..64 bytes, so records
 * straddle buffer refills), byte 1 picks a split point; the rest is the text.
 * Beyond "no crash", it checks two properties and traps if one fails:
 *   - output bases are never lower case;
 *   - when the whole text parses without error, reading [0, B] with limit B
 *     and then syncing at B and reading on gives the same records (the rule
 *     that lets ranks share a file).
 * DY_FUZZING caps the parser's buffers (fastx.c) so inputs cannot ask for
 * gigabytes.  tests/fuzz/replay.c runs this over the corpus without libFuzzer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fastx.h"

typedef struct {
	const uint8_t *p;
	size_t n, at, chunk;
} mem_t;

static int64_t mem_read(void *src, void *buf, size_t len)
{
	mem_t *m = src;
	size_t k = m->n - m->at;
	if (k > len) k = len;
	if (k > m->chunk) k = m->chunk;
	if (k) memcpy(buf, m->p + m->at, k);
	m->at += k;
	return (int64_t)k;
}

/* Parse p[from..n) (syncing first if sync) up to limit; records' lengths and
 * bases go to lens/seq. Returns the last code; *fmt in/out. */
static int parse(const uint8_t *p, size_t n, size_t from, int sync, int64_t limit, size_t chunk,
                 int *fmt, dy_fxbuf_t *seq, dy_fxbuf_t *lens)
{
	mem_t m = { p + from, n - from, 0, chunk };
	dy_fx_t fx;
	int ret = DY_OK;
	size_t i;
	dy_fx_init(&fx, mem_read, &m, (int64_t)from);
	fx.limit = limit, fx.fmt = *fmt;
	if (sync) ret = dy_fx_sync(&fx);
	while (ret == DY_OK) {
		size_t l0 = seq->l;
		uint32_t len;
		if ((ret = dy_fx_next(&fx, seq)) != DY_OK) break;
		for (i = l0; i < seq->l; ++i)
			if (seq->s[i] >= 'a' && seq->s[i] <= 'z') __builtin_trap();
		len = (uint32_t)(seq->l - l0);
		if (lens->l + 4 > lens->m) {
			char *q = realloc(lens->s, lens->m = lens->m * 2 + 64);
			if (q == 0) abort();
			lens->s = q;
		}
		memcpy(lens->s + lens->l, &len, 4), lens->l += 4;
	}
	*fmt = fx.fmt;
	dy_fx_free(&fx);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dy_fxbuf_t s0 = {0}, l0 = {0}, s1 = {0}, l1 = {0};
	size_t chunk, b;
	int fmt = 0, ret;
	if (size < 2) return 0;
	chunk = 1 + (data[0] & 63);
	b = data[1];
	data += 2, size -= 2;
	ret = parse(data, size, 0, 0, INT64_MAX, chunk, &fmt, &s0, &l0);
	if (ret == DY_EOF && fmt != 0 && size > 0) {
		b %= size;
		ret = parse(data, size, 0, 0, (int64_t)b, chunk, &fmt, &s1, &l1);
		if (ret != DY_EOF) __builtin_trap(); /* good text, yet an error before the split */
		ret = parse(data, size, b, 1, INT64_MAX, chunk, &fmt, &s1, &l1);
		if (ret != DY_EOF) __builtin_trap();
		if (s0.l != s1.l || l0.l != l1.l || (s0.l && memcmp(s0.s, s1.s, s0.l) != 0)
		    || (l0.l && memcmp(l0.s, l1.s, l0.l) != 0))
			__builtin_trap(); /* the two halves do not give the whole */
	}
	free(s0.s), free(l0.s), free(s1.s), free(l1.s);
	return 0;
}
