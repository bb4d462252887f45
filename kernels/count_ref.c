/* count_ref.c -- reference super-k-mer counter (dy_kern_ref.h).
 *
 * Unpack each record, and for each of its k-mers (the windows that skip
 * the flanks) call dy_ht_add with the bases on either side, in the read's
 * orientation: the table does the canonical mapping.  Headers are all
 * checked first, as in dy_ht_count_skm, so a malformed buffer adds nothing.
 */
#include <stdlib.h>
#include "dy_kern_ref.h"

static uint32_t get_u32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Size in bytes of the record at buf[off..len), or 0 if it is malformed. */
static size_t rec_size(const uint8_t *buf, size_t len, size_t off, int k, int m)
{
	uint32_t n;
	int lf, rf;
	/* flags bits 2-7 (where the minimizer is) place a record; the
	 * reference ignores them but refuses what the fast kernel refuses */
	if (len - off < 5 || buf[off + 4] >> 2 > k - m + 1) return 0;
	n = get_u32(buf + off), lf = buf[off + 4] & 1, rf = buf[off + 4] >> 1 & 1;
	if ((uint64_t)n < (uint64_t)k + lf + rf || (len - off - 5) < ((size_t)n + 3) / 4) return 0;
	return 5 + ((size_t)n + 3) / 4;
}

static int count_record(dy_ht_t *h, const uint8_t *rec, int k)
{
	uint32_t n = get_u32(rec), lf = rec[4] & 1, rf = rec[4] >> 1 & 1, s;
	uint8_t *b = (uint8_t *)malloc(n);
	int ret = DY_OK, i;
	if (b == NULL) return DY_ENOMEM;
	dy_unpack2(rec + 5, n, b);
	for (s = lf; s + k + rf <= n && ret == DY_OK; ++s) {
		dy_kmerw_t x = { 0, 0 }, m = dy_kmerw_mask(k);
		for (i = 0; i < k; ++i) x = dy_kmerw_push(x, b[s + i], m);
		ret = dy_ht_addw(h, x, s > 0 ? b[s - 1] : -1, s + k < n ? b[s + k] : -1);
	}
	free(b);
	return ret;
}

int dy_ht_count_skm_ref(dy_ht_t *h, const uint8_t *buf, size_t len)
{
	int k = dy_ht_k(h), m = dy_ht_m(h), ret;
	size_t off, size;
	for (off = 0; off < len; off += size)
		if ((size = rec_size(buf, len, off, k, m)) == 0) return DY_EFORMAT;
	for (off = 0; off < len; off += rec_size(buf, len, off, k, m))
		if ((ret = count_record(h, buf + off, k)) < 0) return ret;
	return DY_OK;
}
