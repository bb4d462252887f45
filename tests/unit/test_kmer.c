/* test_kmer.c -- 2-bit encoding, reverse complement, canonical form, base
 * access, and the wire packing, against string-level oracles. */
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"

static void rand_bases(uint64_t *s, char *str, int n)
{
	int i;
	for (i = 0; i < n; ++i) str[i] = "ACGT"[dy_test_rand(s) & 3];
	str[n] = 0;
}

static void decode(dy_kmer_t x, int k, char *s)
{
	int i;
	for (i = 0; i < k; ++i) s[i] = dy_nt_char[dy_kmer_base(x, k, i)];
	s[k] = 0;
}

static int test_nt4_table(void)
{
	int c;
	for (c = 0; c < 256; ++c) {
		int want = c == 'A' || c == 'a' ? 0 : c == 'C' || c == 'c' ? 1
		         : c == 'G' || c == 'g' ? 2 : c == 'T' || c == 't' ? 3 : 4;
		DY_CHECK(dy_nt4_table[c] == want);
	}
	for (c = 0; c < 4; ++c) DY_CHECK(dy_nt4_table[(uint8_t)dy_nt_char[c]] == c);
	return 0;
}

/* Every odd k in 15..DY_KNARROW: rc and canonical match the string oracle. */
static int test_rc_canon_all_k(void)
{
	uint64_t seed = 1;
	char s[64], r[64], t[64];
	int k, it;
	for (k = DY_KMIN; k <= DY_KNARROW; k += 2)
		for (it = 0; it < 2000; ++it) {
			dy_kmer_t x, y, c;
			rand_bases(&seed, s, k);
			if (it == 0) memset(s, 'A', k); /* extremes: all-A and all-T */
			if (it == 1) memset(s, 'T', k);
			x = dy_test_encode(s, k);
			DY_CHECK((x & ~dy_kmer_mask(k)) == 0);
			dy_test_revcomp(s, k, r);
			y = dy_kmer_rc(x, k);
			decode(y, k, t);
			DY_CHECK(strcmp(t, r) == 0);
			DY_CHECK(dy_kmer_rc(y, k) == x);
			c = dy_kmer_canon(x, k);
			decode(c, k, t);
			DY_CHECK(strcmp(t, strcmp(s, r) < 0 ? s : r) == 0);
			DY_CHECK(dy_kmer_canon(y, k) == c);
			DY_CHECK(dy_kmer_hash(c) == dy_kmer_hash(dy_kmer_canon(y, k)));
		}
	return 0;
}

/* The rolling update of the dy_kmer.h example gives the encoded window. */
static int test_rolling(void)
{
	uint64_t seed = 2;
	char s[301];
	int k, i;
	for (k = DY_KMIN; k <= DY_KNARROW; k += 8) {
		dy_kmer_t x = 0;
		rand_bases(&seed, s, 300);
		for (i = 0; i < 300; ++i) {
			x = ((x << 2) | dy_nt4_table[(uint8_t)s[i]]) & dy_kmer_mask(k);
			if (i + 1 >= k) DY_CHECK(x == dy_test_encode(s + i + 1 - k, k));
		}
	}
	return 0;
}

/* Wide k-mers, every odd k in 15..DY_KMAX: push, prepend, rc, canonical,
 * base and hash against the string oracle, and equal to the narrow ones
 * where both exist. */
static int test_wide_all_k(void)
{
	uint64_t seed = 4;
	char s[DY_KMAX + 2], r[DY_KMAX + 2], t[DY_KMAX + 2];
	int k, it, i;
	for (k = DY_KMIN; k <= DY_KMAX; k += 2)
		for (it = 0; it < 500; ++it) {
			dy_kmerw_t x = { 0, 0 }, y, c, m = dy_kmerw_mask(k), p;
			rand_bases(&seed, s, k + 1);
			if (it == 0) memset(s, 'A', k + 1);
			if (it == 1) memset(s, 'T', k + 1);
			for (i = 0; i < k; ++i) x = dy_kmerw_push(x, dy_nt4_table[(uint8_t)s[i]], m);
			DY_CHECK((x.lo & ~m.lo) == 0 && (x.hi & ~m.hi) == 0);
			for (i = 0; i < k; ++i) t[i] = dy_nt_char[dy_kmerw_base(x, k, i)];
			DY_CHECK(strncmp(t, s, (size_t)k) == 0);
			dy_test_revcomp(s, (size_t)k, r);
			y = dy_kmerw_rc(x, k);
			for (i = 0; i < k; ++i) t[i] = dy_nt_char[dy_kmerw_base(y, k, i)];
			t[k] = 0;
			DY_CHECK(strcmp(t, r) == 0 && dy_kmerw_eq(dy_kmerw_rc(y, k), x));
			c = dy_kmerw_canon(x, k);
			DY_CHECK(dy_kmerw_eq(c, strncmp(s, r, (size_t)k) < 0 ? x : y));
			DY_CHECK(dy_kmerw_hash(c) == dy_kmerw_hash(dy_kmerw_canon(y, k)));
			/* rolling: push the next base; prepend the one before */
			p = dy_kmerw_push(x, dy_nt4_table[(uint8_t)s[k]], m);
			for (i = 0; i < k; ++i) DY_CHECK(dy_kmerw_base(p, k, i) == dy_nt4_table[(uint8_t)s[i + 1]]);
			DY_CHECK(dy_kmerw_eq(dy_kmerw_prepend(p, dy_nt4_table[(uint8_t)s[0]], k), x));
			if (k <= DY_KNARROW) {
				dy_kmer_t n = dy_test_encode(s, k);
				DY_CHECK(x.hi == 0 && x.lo == n && dy_kmerw_rc(x, k).lo == dy_kmer_rc(n, k));
			}
		}
	return 0;
}

static int test_pack_roundtrip(void)
{
	uint64_t seed = 3;
	uint8_t b[200], back[200], p[50 + 1];
	size_t n, i;
	for (n = 0; n <= 200; ++n) {
		for (i = 0; i < n; ++i) b[i] = dy_test_rand(&seed) & 3;
		memset(p, 0xAA, sizeof p);
		dy_pack2(b, n, p);
		DY_CHECK(p[(n + 3) / 4] == 0xAA); /* writes exactly (n+3)/4 bytes */
		if (n & 3) DY_CHECK((p[n / 4] >> (2 * (n & 3))) == 0); /* clean tail */
		dy_unpack2(p, n, back);
		DY_CHECK(memcmp(b, back, n) == 0);
		for (i = 0; i < n; ++i) /* the documented layout */
			DY_CHECK(((p[i >> 2] >> (2 * (i & 3))) & 3) == b[i]);
	}
	return 0;
}

static int test_buf(void)
{
	dy_buf_t b = {0, 0, NULL};
	size_t i;
	for (i = 0; i < 10000; ++i) {
		uint8_t c = (uint8_t)(i * 7);
		DY_CHECK(dy_buf_push(&b, &c, 1) == DY_OK);
	}
	DY_CHECK(b.n == 10000 && b.m >= b.n);
	for (i = 0; i < 10000; ++i) DY_CHECK(b.a[i] == (uint8_t)(i * 7));
	DY_CHECK(dy_buf_reserve(&b, 100000) == DY_OK && b.m >= b.n + 100000);
	DY_CHECK(dy_buf_push(&b, NULL, 0) == DY_OK && b.n == 10000);
	DY_CHECK(dy_buf_reserve(&b, SIZE_MAX) == DY_ENOMEM);
	dy_buf_free(&b);
	DY_CHECK(b.a == NULL && b.n == 0 && b.m == 0);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_nt4_table, nfail);
	DY_RUN(test_rc_canon_all_k, nfail);
	DY_RUN(test_rolling, nfail);
	DY_RUN(test_wide_all_k, nfail);
	DY_RUN(test_pack_roundtrip, nfail);
	DY_RUN(test_buf, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
