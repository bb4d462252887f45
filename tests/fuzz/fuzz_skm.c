/* fuzz_skm.c -- libFuzzer target over the super-k-mer wire decoder: the
 * bytes a rank receives in the all-to-all, counted by dy_ht_count_skm.
 *
 * Input: byte 0 picks k (odd, 15..127), byte 1 the thread count (1..3) and
 * partitions; the rest is the received buffer.  It must be refused
 * (DY_EFORMAT) or counted, never crash; the fast kernel and the reference
 * (dy_ht_count_skm_ref) reach the same verdict; and a counted buffer adds
 * exactly one count per k-mer its record headers announce, in both.  (The
 * slot layout is compared by the unit tests on records from the scanner: a
 * random record breaks the one-minimizer-per-record contract, which places
 * its k-mers, but must not break the counts.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"
#include "dy_kern_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int k, nt, plog, a, b;
	dy_ht_t *h1, *h2;
	size_t i;
	if (size < 2) return 0;
	k = 15 + 2 * (data[0] % 57);
	nt = 1 + data[1] % 3, plog = (data[1] >> 2) % 5;
	data += 2, size -= 2;
	h1 = dy_ht_init(k, 0, plog), h2 = dy_ht_init(k, 0, plog);
	if (h1 == NULL || h2 == NULL) abort();
	a = dy_ht_count_skm(h1, data, size, nt);
	b = dy_ht_count_skm_ref(h2, data, size);
	if ((a < 0) != (b < 0)) __builtin_trap();
	if (a == DY_OK) {
		uint64_t want = 0, got1 = 0, got2 = 0;
		size_t off = 0;
		while (off + DY_SKM_HDR <= size) {   /* the headers were accepted: sum their k-mers */
			uint32_t n;
			unsigned f = data[off + 4];
			memcpy(&n, data + off, 4);
			want += n - (uint32_t)k + 1 - (f & 1) - (f >> 1 & 1);
			off += dy_skm_size(n);
		}
		for (i = 0; i < dy_ht_capacity(h1); ++i) {
			dy_kmerw_t x;
			uint32_t c = 0, e = 0;
			if (dy_ht_slotw(h1, i, &x, &c, &e)) got1 += c;
		}
		for (i = 0; i < dy_ht_capacity(h2); ++i) {
			dy_kmerw_t x;
			uint32_t c = 0, e = 0;
			if (dy_ht_slotw(h2, i, &x, &c, &e)) got2 += c;
		}
		if (got1 != want || got2 != want) __builtin_trap();
	}
	dy_ht_destroy(h1), dy_ht_destroy(h2);
	return 0;
}
