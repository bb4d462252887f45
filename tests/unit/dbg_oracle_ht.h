/* dbg_oracle_ht.h -- feed the brute-force genomes of dbg_oracle.h into
 * dactyl's counting tables, one per rank (compaction and merge tests). */
#ifndef DBG_ORACLE_HT_H
#define DBG_ORACLE_HT_H
#include "dbg_oracle.h"
#include "dy_kern.h"

/* ---- counting tables, one per rank ---------------------------------------- */

/* s[0..k) as a wide k-mer, any k */
static inline dy_kmerw_t orc_encode_w(const char *s, int k)
{
	dy_kmerw_t x = { 0, 0 }, m = dy_kmerw_mask(k);
	int i;
	for (i = 0; i < k; ++i) x = dy_kmerw_push(x, orc_code(s[i]), m);
	return x;
}

/* Add every k-mer occurrence of seq (wrapping if circ), with its neighbour
 * bases, to the table of the rank that owns it. */
static int orc_ht_add_seq(dy_ht_t **h, int n_ranks, const dy_kmer_opt_t *o,
                          const char *seq, size_t len, int circ)
{
	size_t i, k = (size_t)o->k, nw = circ ? len : len + 1 - k;
	char *t = (char *)malloc(len + k + 1);
	int ret = 0;
	memcpy(t, seq, len);
	for (i = 0; i < k; ++i) t[len + i] = seq[i % len];
	for (i = 0; len >= k && i < nw && ret == 0; ++i) {
		dy_kmerw_t x = orc_encode_w(t + i, o->k);
		int left = i > 0 ? orc_code(t[i - 1]) : circ ? orc_code(seq[len - 1]) : -1;
		int right = i + k < len || circ ? orc_code(t[i + k]) : -1;
		int r = n_ranks > 1 ? dy_mzr_owner(dy_mzr_kmerw(o, x), n_ranks) : 0;
		ret = dy_ht_addw(h[r], x, left, right);
	}
	free(t);
	return ret;
}

#endif
