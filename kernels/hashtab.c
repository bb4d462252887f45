/* hashtab.c -- the k-mer counting table and its parallel counter
 * (dy_ht_*, dy_kern.h).  count.c is merged here: the counter needs the
 * table's insides and kernels/ has no private header for them.
 *
 * Layout.  2^part_log2 radix partitions chosen by the high bits of a hash
 * of the k-mer's MINIMIZER value (not of the k-mer): every k-mer of a
 * super-k-mer record then falls in one partition, so counting routes whole
 * records, not expanded k-mers (KMC's bins).  Each partition is an
 * open-addressing table with linear probing over a flat array of 64-bit
 * words:
 *     W key words (W = 1 for k <= 31, 2 up to k = 63, 4 above; low word first)
 *     1 word  count (low 32 bits, saturating) | edges (high 32 bits)
 * so an entry is 16 bytes at k <= 31, 24 up to k = 63 and 40 above.  Each
 * width has its own arithmetic (u64, u128, dy_kmerw_t), chosen by a
 * constant W in always-inlined code: small k pay nothing for large ones.  A slot is empty
 * iff its count is 0 (the all-A k-mer has key 0, so the key cannot mark
 * emptiness).  The slot within a partition is fastrange(dy_kmer_hash, cap)
 * -- the multiply-high trick -- so capacities need not be powers of two and
 * can grow by 1.5x, which keeps the slack low.
 *
 * A partition grows when an insert would take it above LOAD_NUM/LOAD_DEN.
 * First capacities are staggered across partitions so that partitions do
 * not all grow at the same moment: the table's bytes per k-mer then stays
 * near its average instead of swinging with the input size.
 *
 * Slot ids are global: off[p] + local slot, with off[] the prefix sum of
 * the capacities.  They change when a partition grows, so they are only
 * meaningful once counting is over (dy_kern.h says so).  The same sequence
 * of insertions gives the same layout; dy_ht_count_skm inserts each
 * partition's k-mers in buffer order, so the numbering does not depend on
 * the thread count either.
 *
 * Counting (dy_ht_count_skm), KMC style, with no lock:
 *   phase A  the records are cut into one contiguous byte range per thread;
 *            each thread computes each record's minimizer (from its first
 *            k-mer) and sorts its records' offsets by partition (counting
 *            sort): 20 bytes per record, not 17+ per k-mer, plus one
 *            n_part + 1 array per thread;
 *   phase B  one thread per partition (dynamic schedule) expands that
 *            partition's records, thread 0's first, so in buffer order, and
 *            inserts their k-mers into the partition's table, which is
 *            sized to stay in cache, prefetching a batch of home slots ahead.
 * The buffer is processed in chunks of about CHUNK_PER_PART k-mers per
 * partition: each partition's table is then fetched into cache once for
 * thousands of inserts, not once for a handful (chunks of a fixed 1 M
 * k-mers gave ~1,000 inserts per partition at 1024 partitions, and the
 * count phase ran ~15-20% slower on bact at k = 63).  The
 * records must have been cut with the table's m (dy_ht_init): that is what
 * puts a record's k-mers in one partition.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include "dy_kern.h"

#define LOAD_NUM 5          /* grow above 5/6 full ... */
#define LOAD_DEN 6
#define CAP_MIN 16          /* ... starting from 16..23 slots */
#define CHUNK_PER_PART (1u << 14) /* k-mers per partition per chunk: 16 M at 1024 partitions */
#define CHUNK_MIN (1u << 20)      /* items: 20 bytes a record, ~1 MiB per 1 M k-mers at k = 63 */

/* item edge byte: which neighbours an occurrence has, canonical orientation */
#define E_LEFT  0x80        /* bits 0-1: left base  */
#define E_RIGHT 0x40        /* bits 2-3: right base */

/* The sieve's first-occurrence filter of one partition: blocked Bloom
 * layers of 512-bit blocks (one cache line; 3 bits a key inside it), each
 * new layer at least twice the last, the newest taking the insertions.  A
 * layer is full at BF_BITS bits a key (~2.5% false positives); the layers
 * are sized from the k-mers arriving, so a partition has a handful. */
#define BF_LAYERS 12
#define BF_BITS 10
typedef struct {
	int nl;
	uint64_t *a[BF_LAYERS];   /* nb[i] blocks of 8 words */
	size_t nb[BF_LAYERS], fill[BF_LAYERS];
} bloom_t;

typedef struct {
	uint64_t *a;        /* cap entries of S words */
	size_t cap, n;      /* slots, occupied slots */
	uint64_t occ;       /* occurrences counted: the partition's share of the work */
	bloom_t *bf;        /* the sieve pass only */
} part_t;

#define HLL_LOG 14          /* 16 Ki registers: 0.8% standard error */
#define HLL_T 256           /* threads with a sketch of their own */

struct dy_ht_s {
	int k, W, S;        /* k, key words, words per entry (W + 1) */
	dy_kmer_opt_t ko;   /* k and the minimizer length that choose partitions */
	int plog;           /* log2 of the number of partitions */
	size_t n_part;
	part_t *part;
	size_t *off;        /* n_part + 1 prefix sums of the capacities */
	int mode;           /* DY_HT_COUNT, DY_HT_SIEVE or DY_HT_RECOUNT */
	size_t hint;        /* the sieve: k-mers per partition in the call being counted */
	uint8_t *hll[HLL_T];   /* the sieve: each thread's sketch of the distinct k-mers */
};

static void update_offsets(dy_ht_t *h);

/* ---- hashing and probing --------------------------------------------- */

/* The hash of a key of W words: dy_kmer_hash up to two words (W = 1 reads
 * one), dy_kmerw_hash for four. */
static inline __attribute__((always_inline)) uint64_t key_hash(const uint64_t *key, int W)
{
	if (W == 1) return dy_kmer_hash((dy_kmer_t)key[0]);
	if (W == 2) return dy_kmer_hash(((dy_kmer_t)key[1] << 64) | key[0]);
	{
		dy_kmerw_t x;
		x.lo = ((dy_kmer_t)key[1] << 64) | key[0], x.hi = ((dy_kmer_t)key[3] << 64) | key[2];
		return dy_kmerw_hash(x);
	}
}

static inline __attribute__((always_inline)) int key_eq(const uint64_t *e, const uint64_t *key, int W)
{
	int j;
	for (j = 0; j < W; ++j)
		if (e[j] != key[j]) return 0;
	return 1;
}

/* The partition of every k-mer whose minimizer value is mz; salted so it
 * is independent of the owner rank (dy_mzr_owner), which uses the same mz. */
static inline size_t part_of(uint64_t mz, int plog)
{
	return plog ? (size_t)(dy_hash64(mz ^ 0x2545F4914F6CDD1DULL) >> (64 - plog)) : 0;
}

/* fastrange: the key hash scaled onto [0, cap) */
static inline size_t home_of(uint64_t hash, size_t cap)
{
	return (size_t)(((unsigned __int128)hash * cap) >> 64);
}

/* Slot holding (lo, hi) in pt, or the empty slot where it would go;
 * *found says which.  pt->cap must be > 0 and pt not full. */
static inline __attribute__((always_inline))
size_t probe(const part_t *pt, int W, const uint64_t *key, uint64_t hash, int *found)
{
	const int S = W + 1;
	size_t i = home_of(hash, pt->cap);
	for (;;) {
		const uint64_t *e = pt->a + i * S;
		if ((uint32_t)e[W] == 0) { *found = 0; return i; }
		if (key_eq(e, key, W)) { *found = 1; return i; }
		if (++i == pt->cap) i = 0;
	}
}

/* cap empty slots.  Not calloc: fresh pages from calloc are mapped to the
 * shared zero page by the probes' first reads, and each first write then
 * copies the page and flushes the TLB of every core with an interrupt
 * (a seventh of the count phase's time on bact went there, in the kernel);
 * memset writes each page once, up front. */
static uint64_t *slots_new(size_t cap, int S)
{
	void *a;
	/* posix_memalign, not malloc: the compiler turns malloc + memset 0
	 * back into calloc; lines aligned as a bonus */
	if (cap > SIZE_MAX / ((size_t)S * 8) || posix_memalign(&a, 64, cap * (size_t)S * 8) != 0) return NULL;
	memset(a, 0, cap * (size_t)S * 8);
	return (uint64_t *)a;
}

static size_t first_cap(size_t p, size_t n_part)
{
	/* staggered: 16 .. 23 slots, so partitions reach their load at
	 * different times (see the header comment) */
	return CAP_MIN + (size_t)(8 * p / n_part);
}

/* Move pt to a table of cap slots (more than its k-mers). */
static int part_rehash(part_t *pt, int W, size_t cap)
{
	const int S = W + 1;
	size_t i;
	uint64_t *a;
	if (cap > SIZE_MAX / ((size_t)S * 8)) return DY_ENOMEM;
	a = slots_new(cap, S);
	if (a == NULL) return DY_ENOMEM;
	for (i = 0; i < pt->cap; ++i) {
		const uint64_t *e = pt->a + i * S;
		size_t j;
		if ((uint32_t)e[W] == 0) continue;
		j = home_of(W == 1 ? key_hash(e, 1) : W == 2 ? key_hash(e, 2) : key_hash(e, 4), cap);
		while ((uint32_t)a[j * S + W] != 0)
			if (++j == cap) j = 0;
		memcpy(a + j * S, e, (size_t)S * 8);
	}
	free(pt->a);
	pt->a = a, pt->cap = cap;
	return DY_OK;
}

/* Move pt to a table of about 1.5x the capacity. */
static int part_grow(part_t *pt, int W, size_t p, size_t n_part)
{
	return part_rehash(pt, W, pt->cap ? pt->cap + (pt->cap >> 1) : first_cap(p, n_part));
}

static inline uint32_t edge_inc(uint32_t edges, int shift)
{
	return ((edges >> shift) & 0xF) == DY_EDGE_MAX ? edges : edges + (1u << shift);
}

/* One occurrence with edge byte eb counted on entry e. */
static inline __attribute__((always_inline)) void bump(uint64_t *e, int W, unsigned eb)
{
	uint32_t cnt = (uint32_t)e[W], edges = (uint32_t)(e[W] >> 32);
	if (cnt != UINT32_MAX) ++cnt;
	if (eb & E_LEFT) edges = edge_inc(edges, 16 + 4 * (eb & 3));
	if (eb & E_RIGHT) edges = edge_inc(edges, 4 * ((eb >> 2) & 3));
	e[W] = (uint64_t)edges << 32 | cnt;
}

/* Count one occurrence of canonical (lo, hi) with edge byte eb. */
static inline __attribute__((always_inline))
int part_add(part_t *pt, int W, size_t p, size_t n_part,
             const uint64_t *key, uint64_t hash, unsigned eb, int *grew)
{
	const int S = W + 1;
	uint64_t *e;
	size_t i = 0;
	int found = 0;
	if (pt->cap) i = probe(pt, W, key, hash, &found);
	if (!found) {
		if ((pt->n + 1) * LOAD_DEN > pt->cap * LOAD_NUM) {
			int ret = part_grow(pt, W, p, n_part);
			if (ret < 0) return ret;
			*grew = 1;
			i = probe(pt, W, key, hash, &found);
		}
		e = pt->a + i * S;
		memcpy(e, key, (size_t)W * sizeof *key);
		++pt->n;
	}
	++pt->occ;
	bump(pt->a + i * S, W, eb);
	return DY_OK;
}

/* ---- the sieve: k-mers seen once kept out of the table ---------------
 *
 * Two passes over the same records (dy_ht_sieve_begin, _end, then
 * dy_ht_recount_end).  The sieve pass tests and sets each occurrence in its
 * partition's Bloom filter: an occurrence the filter has seen (the k-mer's
 * second, or a false positive) makes its k-mer a candidate, an entry of
 * count 1 and no edges; first occurrences cost BF_BITS bits a k-mer and no
 * entry.  The recount pass counts the candidates' occurrences exactly and
 * inserts nothing, then every count drops the candidate's mark: each
 * k-mer seen twice or more has its exact count and edges, and the few
 * singletons a false positive let in hold count 1, exactly.  The k-mers
 * seen once are not counted; their number is estimated from a HyperLogLog
 * sketch of every occurrence (dy_hll_estimate), which merges by maximum:
 * the same for any threads or ranks that split the k-mers. */

static inline size_t bf_block(uint64_t hash, size_t nb)
{
	return home_of(hash << 32 | hash >> 32, nb);   /* the low bits: the table's home takes the high ones */
}

static inline int bf_has(const uint64_t *blk, uint64_t hash)
{
	unsigned b0 = (unsigned)(hash >> 37) & 511, b1 = (unsigned)(hash >> 46) & 511, b2 = (unsigned)(hash >> 55);
	return (int)((blk[b0 >> 6] >> (b0 & 63)) & (blk[b1 >> 6] >> (b1 & 63)) & (blk[b2 >> 6] >> (b2 & 63)) & 1);
}

static inline void bf_set(uint64_t *blk, uint64_t hash)
{
	unsigned b0 = (unsigned)(hash >> 37) & 511, b1 = (unsigned)(hash >> 46) & 511, b2 = (unsigned)(hash >> 55);
	blk[b0 >> 6] |= 1ULL << (b0 & 63), blk[b1 >> 6] |= 1ULL << (b1 & 63), blk[b2 >> 6] |= 1ULL << (b2 & 63);
}

/* A new newest layer: room for want keys, at least twice the last.  The
 * last layer allowed takes whatever comes after it: more candidates, never
 * a wrong count. */
static int bf_add_layer(bloom_t *bf, size_t want)
{
	size_t nb = want / (512 / BF_BITS) + 1, prev = bf->nl ? bf->nb[bf->nl - 1] : 0;
	void *a;
	if (bf->nl == BF_LAYERS) return DY_OK;
	if (nb < 2 * prev) nb = 2 * prev;
	if (nb < 8) nb = 8;
	if (nb > SIZE_MAX / 64 || posix_memalign(&a, 64, nb * 64) != 0) return DY_ENOMEM;
	memset(a, 0, nb * 64);
	bf->a[bf->nl] = (uint64_t *)a, bf->nb[bf->nl] = nb, bf->fill[bf->nl] = 0, ++bf->nl;
	return DY_OK;
}

/* Test and set: 1 if the filter had seen the key (or says so falsely). */
static inline int bf_seen(bloom_t *bf, uint64_t hash, size_t want, int *err)
{
	int i, top;
	for (i = bf->nl - 1; i >= 0; --i)
		if (bf_has(bf->a[i] + bf_block(hash, bf->nb[i]) * 8, hash)) return 1;
	top = bf->nl - 1;
	if (top < 0 || bf->fill[top] * BF_BITS >= bf->nb[top] * 512) {
		if ((*err = bf_add_layer(bf, want)) < 0) return 0;
		top = bf->nl - 1;
	}
	bf_set(bf->a[top] + bf_block(hash, bf->nb[top]) * 8, hash);
	++bf->fill[top];
	return 0;
}

static size_t bf_bytes(const bloom_t *bf)
{
	size_t b = 0;
	int i;
	for (i = 0; i < bf->nl; ++i) b += bf->nb[i] * 64;
	return b;
}

static void bf_free(bloom_t *bf)
{
	int i;
	for (i = 0; i < bf->nl; ++i) free(bf->a[i]);
	memset(bf, 0, sizeof *bf);
}

/* The key a candidate: an entry of count 1 (the mark) if it has none. */
static inline __attribute__((always_inline))
int part_mark(part_t *pt, int W, size_t p, size_t n_part, const uint64_t *key, uint64_t hash, int *grew)
{
	size_t i = 0;
	int found = 0;
	uint64_t *e;
	if (pt->cap) i = probe(pt, W, key, hash, &found);
	if (found) return DY_OK;
	if ((pt->n + 1) * LOAD_DEN > pt->cap * LOAD_NUM) {
		int ret = part_grow(pt, W, p, n_part);
		if (ret < 0) return ret;
		*grew = 1;
		i = probe(pt, W, key, hash, &found);
	}
	e = pt->a + i * (W + 1);
	memcpy(e, key, (size_t)W * sizeof *key);
	e[W] = 1;
	++pt->n;
	return DY_OK;
}

/* The recount: an occurrence of a candidate counted, any other ignored. */
static inline __attribute__((always_inline))
void part_recount(part_t *pt, int W, const uint64_t *key, uint64_t hash, unsigned eb)
{
	size_t i;
	int found;
	++pt->occ;
	if (pt->cap == 0) return;
	i = probe(pt, W, key, hash, &found);
	if (found) bump(pt->a + i * (W + 1), W, eb);
}

static inline void hll_add(uint8_t *reg, uint64_t hash)
{
	uint64_t x = hash * 0x9E3779B97F4A7C15ULL;   /* other bits than the filter's and the table's */
	size_t j = (size_t)(x >> (64 - HLL_LOG));
	unsigned r = (unsigned)__builtin_clzll((x << HLL_LOG) | (1ULL << (HLL_LOG - 1))) + 1;
	if (reg[j] < r) reg[j] = (uint8_t)r;
}

double dy_hll_estimate(const uint8_t *reg)
{
	const double m = (double)DY_HLL_N, alpha = 0.7213 / (1 + 1.079 / m);
	double sum = 0, e;
	size_t j, zeros = 0;
	for (j = 0; j < DY_HLL_N; ++j) {
		sum += 1.0 / (double)(1ULL << reg[j]);
		zeros += reg[j] == 0;
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros) e = m * log(m / (double)zeros);   /* small ranges: linear counting */
	return e;
}

int dy_ht_sieve_begin(dy_ht_t *h)
{
	size_t p;
	bloom_t *bfs;
	if (h->mode != DY_HT_COUNT || dy_ht_size(h) > 0) return DY_EARG;
	if ((bfs = (bloom_t *)calloc(h->n_part, sizeof *bfs)) == NULL) return DY_ENOMEM;
	if ((h->hll[0] = (uint8_t *)calloc(DY_HLL_N, 1)) == NULL) { free(bfs); return DY_ENOMEM; }
	for (p = 0; p < h->n_part; ++p) h->part[p].bf = &bfs[p];
	h->mode = DY_HT_SIEVE;
	return DY_OK;
}

int dy_ht_sieve_end(dy_ht_t *h)
{
	size_t p;
	int t, ret = DY_OK;
	if (h->mode != DY_HT_SIEVE) return DY_EARG;
	for (t = 1; t < HLL_T; ++t) {   /* one sketch: the threads' merged */
		size_t j;
		if (h->hll[t] == NULL) continue;
		for (j = 0; j < DY_HLL_N; ++j)
			if (h->hll[0][j] < h->hll[t][j]) h->hll[0][j] = h->hll[t][j];
		free(h->hll[t]), h->hll[t] = NULL;
	}
	for (p = 0; p < h->n_part; ++p) {
		part_t *pt = &h->part[p];
		/* the recount inserts nothing: each partition shrinks to its
		 * candidates at the growth point's load */
		size_t cap = pt->n * LOAD_DEN / LOAD_NUM + 1;
		bf_free(pt->bf);
		pt->occ = 0;
		if (pt->n == 0) free(pt->a), pt->a = NULL, pt->cap = 0;
		else if (cap < pt->cap && ret == DY_OK) ret = part_rehash(pt, h->W, cap);   /* else: stays larger */
	}
	free(h->part[0].bf);   /* the array of every partition's filter */
	for (p = 0; p < h->n_part; ++p) h->part[p].bf = NULL;
	update_offsets(h);
	h->mode = DY_HT_RECOUNT;
	return ret;
}

void dy_ht_recount_end(dy_ht_t *h)
{
	size_t p, i;
	if (h->mode != DY_HT_RECOUNT) return;
	for (p = 0; p < h->n_part; ++p) {
		part_t *pt = &h->part[p];
		for (i = 0; i < pt->cap; ++i) {
			uint64_t *c = pt->a + i * (size_t)h->S + h->W;
			uint32_t cnt = (uint32_t)*c;
			if (cnt > 1 && cnt != UINT32_MAX) *c -= 1;   /* the mark off (saturated counts stay) */
		}
	}
	h->mode = DY_HT_COUNT;
}

int dy_ht_mode(const dy_ht_t *h) { return h->mode; }
const uint8_t *dy_ht_hll(const dy_ht_t *h) { return h->mode == DY_HT_SIEVE ? NULL : h->hll[0]; }

static void update_offsets(dy_ht_t *h)
{
	size_t p;
	h->off[0] = 0;
	for (p = 0; p < h->n_part; ++p)
		h->off[p + 1] = h->off[p] + h->part[p].cap;
}

/* ---- the table API --------------------------------------------------- */

int dy_ht_reserve(dy_ht_t *h, size_t n)
{
	size_t per = n / h->n_part, p;
	if (dy_ht_size(h) > 0) return DY_OK;
	for (p = 0; p < h->n_part; ++p) {
		part_t *pt = &h->part[p];
		/* below the growth point, staggered by up to 1/8 as first_cap is */
		size_t cap = per * LOAD_DEN / LOAD_NUM + 1;
		cap += cap * (8 * p / h->n_part) / 64;
		if (cap <= pt->cap || cap <= CAP_MIN) continue;
		if (cap > SIZE_MAX / ((size_t)h->S * 8)) return DY_ENOMEM;
		free(pt->a);
		if ((pt->a = slots_new(cap, h->S)) == NULL) {
			pt->cap = 0;
			update_offsets(h);
			return DY_ENOMEM;
		}
		pt->cap = cap;
	}
	update_offsets(h);
	return DY_OK;
}

dy_ht_t *dy_ht_init(int k, int m, int part_log2)
{
	dy_ht_t *h;
	if (m == 0) m = dy_mzr_default_m(k);
	if (k < DY_KMIN || k > DY_KMAX || part_log2 < 0 || part_log2 > 24) return NULL;
	if (m < 1 || m > 31 || m > k) return NULL;
	if ((h = (dy_ht_t *)calloc(1, sizeof *h)) == NULL) return NULL;
	h->k = k, h->W = k <= 31 ? 1 : k <= DY_KNARROW ? 2 : 4, h->S = h->W + 1;
	h->ko.k = k, h->ko.m = m;
	h->plog = part_log2, h->n_part = (size_t)1 << part_log2;
	h->part = (part_t *)calloc(h->n_part, sizeof *h->part);
	h->off = (size_t *)calloc(h->n_part + 1, sizeof *h->off);
	if (h->part == NULL || h->off == NULL) {
		dy_ht_destroy(h);
		return NULL;
	}
	return h;
}

void dy_ht_destroy(dy_ht_t *h)
{
	size_t p;
	if (h == NULL) return;
	if (h->part) {
		for (p = 0; p < h->n_part; ++p) {
			free(h->part[p].a);
			if (h->part[p].bf) bf_free(h->part[p].bf);
		}
		free(h->part[0].bf);   /* mid-sieve: the filters' array */
	}
	for (p = 0; p < HLL_T; ++p) free(h->hll[p]);
	free(h->part);
	free(h->off);
	free(h);
}

/* The edge byte of one occurrence of x (read orientation, neighbours l and
 * r or -1), expressed on the canonical k-mer: on the reverse strand the
 * read's right base r becomes the left edge 3-r, and l the right edge 3-l. */
static unsigned edge_byte(int is_rc, int l, int r)
{
	unsigned eb = 0;
	if (is_rc) { int t = l; l = r < 0 ? -1 : 3 - r; r = t < 0 ? -1 : 3 - t; }
	if (l >= 0) eb |= E_LEFT | (unsigned)l;
	if (r >= 0) eb |= E_RIGHT | (unsigned)r << 2;
	return eb;
}

/* Count one occurrence of canonical key (W words) with edge byte eb, in
 * the partition of minimizer value mz. */
static int add_key(dy_ht_t *h, const uint64_t *key, uint64_t mz, unsigned eb)
{
	size_t p = part_of(mz, h->plog);
	int grew = 0, ret;
	uint64_t hash = h->W == 1 ? key_hash(key, 1) : h->W == 2 ? key_hash(key, 2) : key_hash(key, 4);
	ret = part_add(&h->part[p], h->W, p, h->n_part, key, hash, eb, &grew);
	if (grew) update_offsets(h);
	return ret;
}

int dy_ht_add(dy_ht_t *h, dy_kmer_t x, int left, int right)
{
	dy_kmer_t c;
	uint64_t key[2];
	if (h->k > DY_KNARROW) return dy_ht_addw(h, dy_kmerw_of(x), left, right);
	/* A palindromic (k+1)-mer l.x (its own reverse complement) has the same
	 * canonical k-mer at both ends, facing the same way: the occurrence of
	 * the k-mer before x, read with its right base, already counted it on
	 * this very counter.  Counted once, as a brute-force (k+1)-mer count. */
	if (left >= 0 && dy_kmer_rc(x, h->k) == (((dy_kmer_t)left << (2 * (h->k - 1))) | (x >> 2)))
		left = -1;
	c = dy_kmer_canon(x, h->k);
	key[0] = (uint64_t)c, key[1] = (uint64_t)(c >> 64);
	return add_key(h, key, dy_mzr_kmer(&h->ko, c), edge_byte(c != x, left, right));
}

int dy_ht_addw(dy_ht_t *h, dy_kmerw_t x, int left, int right)
{
	dy_kmerw_t c;
	uint64_t key[4];
	if (h->k <= DY_KNARROW) return dy_ht_add(h, x.lo, left, right);
	if (left >= 0 && dy_kmerw_eq(dy_kmerw_rc(x, h->k), dy_kmerw_prepend(x, left, h->k)))
		left = -1;   /* a palindromic (k+1)-mer: see dy_ht_add */
	c = dy_kmerw_canon(x, h->k);
	key[0] = (uint64_t)c.lo, key[1] = (uint64_t)(c.lo >> 64), key[2] = (uint64_t)c.hi, key[3] = (uint64_t)(c.hi >> 64);
	return add_key(h, key, dy_mzr_kmerw(&h->ko, c), edge_byte(!dy_kmerw_eq(c, x), left, right));
}

/* ---- raw partitions, for checkpoints ------------------------------- */

size_t dy_ht_nparts(const dy_ht_t *h) { return h->n_part; }
int dy_ht_words(const dy_ht_t *h) { return h->S; }

const uint64_t *dy_ht_part_raw(const dy_ht_t *h, size_t p, size_t *cap, size_t *n)
{
	*cap = h->part[p].cap, *n = h->part[p].n;
	return h->part[p].a;
}

uint64_t *dy_ht_part_load(dy_ht_t *h, size_t p, size_t cap, size_t n)
{
	part_t *pt = &h->part[p];
	uint64_t *a = NULL;
	/* a slot count the growth rule could not have made is refused: probing
	 * relies on free slots */
	if (n > cap || (cap && n * LOAD_DEN > cap * LOAD_NUM) || cap > SIZE_MAX / ((size_t)h->S * 8)) return NULL;
	if (cap && (a = slots_new(cap, h->S)) == NULL) return NULL;   /* count 0: empty */
	free(pt->a);
	pt->a = a, pt->cap = cap, pt->n = n;
	update_offsets(h);
	return a;
}

size_t dy_ht_capacity(const dy_ht_t *h) { return h->off[h->n_part]; }
int dy_ht_k(const dy_ht_t *h) { return h->k; }
int dy_ht_m(const dy_ht_t *h) { return h->ko.m; }

size_t dy_ht_size(const dy_ht_t *h)
{
	size_t p, n = 0;
	for (p = 0; p < h->n_part; ++p) n += h->part[p].n;
	return n;
}

uint64_t dy_ht_part_occ(const dy_ht_t *h, size_t p) { return h->part[p].occ; }

size_t dy_ht_bytes(const dy_ht_t *h)
{
	size_t b = sizeof *h + h->n_part * sizeof *h->part + (h->n_part + 1) * sizeof *h->off
		+ dy_ht_capacity(h) * (size_t)h->S * 8, p;
	int t;
	for (t = 0; t < HLL_T; ++t) b += h->hll[t] ? DY_HLL_N : 0;
	if (h->mode == DY_HT_SIEVE)
		for (p = 0; p < h->n_part; ++p) b += bf_bytes(h->part[p].bf) + sizeof(bloom_t);
	return b;
}

static int64_t find_key(const dy_ht_t *h, const uint64_t *key, uint64_t mz)
{
	size_t p = part_of(mz, h->plog), i;
	const part_t *pt = &h->part[p];
	int found;
	if (pt->cap == 0) return -1;
	if (h->W == 1) i = probe(pt, 1, key, key_hash(key, 1), &found);
	else if (h->W == 2) i = probe(pt, 2, key, key_hash(key, 2), &found);
	else i = probe(pt, 4, key, key_hash(key, 4), &found);
	return found ? (int64_t)(h->off[p] + i) : -1;
}

int64_t dy_ht_find(const dy_ht_t *h, dy_kmer_t x)
{
	uint64_t key[2];
	if (h->k > DY_KNARROW) return dy_ht_findw(h, dy_kmerw_of(x));
	key[0] = (uint64_t)x, key[1] = (uint64_t)(x >> 64);
	return find_key(h, key, dy_mzr_kmer(&h->ko, x));
}

int64_t dy_ht_findw(const dy_ht_t *h, dy_kmerw_t x)
{
	uint64_t key[4];
	if (h->k <= DY_KNARROW) return dy_ht_find(h, x.lo);
	key[0] = (uint64_t)x.lo, key[1] = (uint64_t)(x.lo >> 64), key[2] = (uint64_t)x.hi, key[3] = (uint64_t)(x.hi >> 64);
	return find_key(h, key, dy_mzr_kmerw(&h->ko, x));
}

/* The entry of slot id (NULL if empty). */
static const uint64_t *slot_entry(const dy_ht_t *h, size_t id)
{
	size_t cap = dy_ht_capacity(h), p;
	const uint64_t *e;
	if (id >= cap) return NULL;
	/* partitions have about equal capacities: guess, then step (0-2 steps
	 * as a rule, where a binary search took part_log2 dependent loads) */
	p = (size_t)((double)id * (double)h->n_part / (double)cap);  /* exactness: the steps below */
	if (p >= h->n_part) p = h->n_part - 1;
	while (h->off[p] > id) --p;
	while (h->off[p + 1] <= id) ++p;
	e = h->part[p].a + (id - h->off[p]) * h->S;
	return (uint32_t)e[h->W] == 0 ? NULL : e;
}

int dy_ht_slot(const dy_ht_t *h, size_t id, dy_kmer_t *x, uint32_t *count, uint32_t *edges)
{
	const uint64_t *e = slot_entry(h, id);
	if (e == NULL) return 0;
	if (x) *x = h->W == 1 ? (dy_kmer_t)e[0] : ((dy_kmer_t)e[1] << 64 | e[0]);  /* low 128 bits if wide */
	if (count) *count = (uint32_t)e[h->W];
	if (edges) *edges = (uint32_t)(e[h->W] >> 32);
	return 1;
}

int dy_ht_slotw(const dy_ht_t *h, size_t id, dy_kmerw_t *x, uint32_t *count, uint32_t *edges)
{
	const uint64_t *e = slot_entry(h, id);
	if (e == NULL) return 0;
	if (x) {
		x->lo = h->W == 1 ? (dy_kmer_t)e[0] : ((dy_kmer_t)e[1] << 64 | e[0]);
		x->hi = h->W == 4 ? ((dy_kmer_t)e[3] << 64 | e[2]) : 0;
	}
	if (count) *count = (uint32_t)e[h->W];
	if (edges) *edges = (uint32_t)(e[h->W] >> 32);
	return 1;
}

/* ---- counting super-k-mer records (dy_ht_count_skm) ------------------- */

/* One thread's records of a chunk, sorted by partition (a counting sort):
 * partition p's are off[start[p] .. start[p+1]).  Scratch is 20 bytes per
 * record plus 8 per partition, per thread, whatever the partition count. */
typedef struct {
	size_t *raw, *off;  /* offsets in buffer order, then sorted by partition */
	uint32_t *pid;      /* partition of each record, buffer order */
	size_t n, m;        /* records, allocated */
	size_t *start;      /* n_part + 1 */
} vec_t;

static inline uint32_t get_u32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline unsigned base_at(const uint8_t *packed, size_t i)
{
	return (packed[i >> 2] >> ((i & 3) << 1)) & 3;
}

/* Check the header of the record at buf[off..len): its bytes and k-mers. */
static int rec_check(const uint8_t *buf, size_t len, size_t off, int k, int m,
                     size_t *size, size_t *n_kmer)
{
	uint32_t n;
	unsigned f, lf, rf;
	if (len - off < DY_SKM_HDR) return DY_EFORMAT;
	n = get_u32(buf + off), f = buf[off + 4], lf = f & 1, rf = f >> 1 & 1;
	if ((int)(f >> 2) > k - m + 1 || n < (uint32_t)k + lf + rf) return DY_EFORMAT;
	if (len - off < dy_skm_size(n)) return DY_EFORMAT;
	*size = dy_skm_size(n);
	*n_kmer = n - k + 1 - lf - rf;
	return DY_OK;
}

static int check_all(const uint8_t *buf, size_t len, int k, int m, size_t *n_kmer)
{
	size_t off = 0, size, nk;
	int ret;
	*n_kmer = 0;
	for (; off < len; off += size) {
		if ((ret = rec_check(buf, len, off, k, m, &size, &nk)) < 0) return ret;
		*n_kmer += nk;
	}
	return DY_OK;
}

/* The chunk from off: whole records, about chunk k-mers, cut into
 * T contiguous byte ranges cut[t]..cut[t+1] of about equal k-mer counts.
 * The records were checked already. */
static void plan_chunk(const uint8_t *buf, size_t len, size_t off, int k, int m, int T, size_t chunk, size_t *cut)
{
	size_t end = off, tot = 0, pos = off, acc = 0, size = 0, nk = 0;
	int t;
	while (end < len && tot < chunk) {
		if (rec_check(buf, len, end, k, m, &size, &nk) < 0) break;
		end += size, tot += nk;
	}
	cut[0] = off, cut[T] = end;
	for (t = 1; t < T; ++t) {
		while (pos < end && acc < tot * t / T) {
			rec_check(buf, len, pos, k, m, &size, &nk);
			pos += size, acc += nk;
		}
		cut[t] = pos;
	}
}

static int vec_grow(vec_t *v)
{
	size_t m = v->m ? v->m * 2 : 1024;
	size_t *raw = (size_t *)realloc(v->raw, m * sizeof *raw), *off;
	uint32_t *pid;
	if (raw == NULL) return DY_ENOMEM;
	v->raw = raw;
	if ((off = (size_t *)realloc(v->off, m * sizeof *off)) == NULL) return DY_ENOMEM;
	v->off = off;
	if ((pid = (uint32_t *)realloc(v->pid, m * sizeof *pid)) == NULL) return DY_ENOMEM;
	v->pid = pid, v->m = m;
	return DY_OK;
}

/* The first k-mer of the record at p (n bases, lf left flank), as stored. */
static dy_kmer_t first_kmer(const uint8_t *p, int k, unsigned lf)
{
	dy_kmer_t x = 0;
	int i;
	for (i = 0; i < k; ++i) x = (x << 2) | base_at(p, lf + (size_t)i);
	return x;
}

static dy_kmerw_t first_kmerw(const uint8_t *p, int k, unsigned lf)
{
	dy_kmerw_t x = { 0, 0 }, m = dy_kmerw_mask(k);
	int i;
	for (i = 0; i < k; ++i) x = dy_kmerw_push(x, (int)base_at(p, lf + (size_t)i), m);
	return x;
}

/* The minimizer value of the m-mer at base pos of a record: dy_hash64 of
 * the canonical m-mer, as the scanner and dy_mzr_kmer compute it. */
static uint64_t mmer_mz(const uint8_t *p, size_t pos, int m)
{
	uint64_t fw = 0, rv = 0;
	int j, shift = 2 * (m - 1);
	for (j = 0; j < m; ++j) {
		uint64_t c = base_at(p, pos + (size_t)j);
		fw = fw << 2 | c, rv = rv >> 2 | (3 - c) << shift;
	}
	return dy_hash64(fw < rv ? fw : rv);
}

/* Phase A: the records of buf[a..b), sorted by the partition of their
 * minimizer, stable (buffer order within a partition). */
static int route(const dy_ht_t *h, const uint8_t *buf, size_t a, size_t b, vec_t *v)
{
	size_t i, p;
	v->n = 0;
	while (a < b) {
		uint32_t n = get_u32(buf + a);
		unsigned f = buf[a + 4];
		uint64_t mz = f >> 2 ? mmer_mz(buf + a + DY_SKM_HDR, (f & 1) + (f >> 2) - 1, h->ko.m)
		            : h->W < 4 ? dy_mzr_kmer(&h->ko, first_kmer(buf + a + DY_SKM_HDR, h->k, f & 1))
		                       : dy_mzr_kmerw(&h->ko, first_kmerw(buf + a + DY_SKM_HDR, h->k, f & 1));
		if (v->n == v->m && vec_grow(v) < 0) return DY_ENOMEM;
		v->raw[v->n] = a, v->pid[v->n++] = (uint32_t)part_of(mz, h->plog);
		a += dy_skm_size(n);
	}
	memset(v->start, 0, (h->n_part + 1) * sizeof *v->start);
	for (i = 0; i < v->n; ++i) ++v->start[v->pid[i] + 1];
	for (p = 0; p < h->n_part; ++p) v->start[p + 1] += v->start[p];
	for (i = 0; i < v->n; ++i) v->off[v->start[v->pid[i]]++] = v->raw[i];
	for (p = h->n_part; p > 0; --p) v->start[p] = v->start[p - 1];  /* undo the scatter's shift */
	v->start[0] = 0;
	return DY_OK;
}

/* The edge byte of an occurrence from its neighbour codes l and r (0-3, or
 * 4 for none) in the read's orientation, for each strand of the canonical
 * k-mer: a lookup, where edge_byte's branch on the strand mispredicted on
 * half the k-mers. */
typedef struct { uint8_t eb[2][5][5]; } ebtab_t;

static ebtab_t ebtab_make(void)
{
	ebtab_t t;
	int rc, l, r;
	for (rc = 0; rc < 2; ++rc)
		for (l = 0; l < 5; ++l)
			for (r = 0; r < 5; ++r)
				t.eb[rc][l][r] = (uint8_t)edge_byte(rc, l < 4 ? l : -1, r < 4 ? r : -1);
	return t;
}

/* Bases of a record, one a byte, after a sentinel 4 (no base) and before
 * another: out[0] = 4, out[1 + i] = base i, out[1 + n] = 4.  out has room
 * for n + 8 bytes. */
static void unpack_rec(const uint8_t *b, uint32_t n, uint8_t *out)
{
	uint32_t j, nb = (n + 3) / 4;
	out[0] = 4;
	for (j = 0; j < nb; ++j) {
		unsigned v = b[j];
		out[1 + 4 * j] = (uint8_t)(v & 3), out[2 + 4 * j] = (uint8_t)(v >> 2 & 3);
		out[3 + 4 * j] = (uint8_t)(v >> 4 & 3), out[4 + 4 * j] = (uint8_t)(v >> 6);
	}
	out[1 + n] = 4;
}

/* Inserts wait on memory once a partition outgrows the cache: keys are
 * staged BATCH at a time, their home slots prefetched, then inserted. */
#define BATCH 32

typedef struct {
	uint64_t key[BATCH][4], hash[BATCH];
	unsigned eb[BATCH];
	int n;
} stage_t;

/* How a partition takes its staged keys: the mode, the sieve's sketch and
 * the k-mers a partition may expect from this call (its filter's sizing). */
typedef struct {
	int mode;
	uint8_t *hll;
	size_t want;
} how_t;

static inline __attribute__((always_inline))
int flush(part_t *pt, int W, size_t p, size_t n_part, stage_t *st, int *grew, const how_t *hw)
{
	int j, ret = DY_OK;
	if (hw->mode == DY_HT_COUNT)
		for (j = 0; j < st->n && ret == DY_OK; ++j)
			ret = part_add(pt, W, p, n_part, st->key[j], st->hash[j], st->eb[j], grew);
	else if (hw->mode == DY_HT_RECOUNT)
		for (j = 0; j < st->n; ++j) part_recount(pt, W, st->key[j], st->hash[j], st->eb[j]);
	else
		for (j = 0; j < st->n && ret == DY_OK; ++j) {
			++pt->occ;
			hll_add(hw->hll, st->hash[j]);
			if (bf_seen(pt->bf, st->hash[j], hw->want, &ret)) ret = part_mark(pt, W, p, n_part, st->key[j], st->hash[j], grew);
		}
	st->n = 0;
	return ret;
}

/* key: W words, already in st->key[st->n] */
static inline __attribute__((always_inline))
int stage(part_t *pt, int W, size_t p, size_t n_part, stage_t *st, unsigned eb, int *grew, const how_t *hw)
{
	int j = st->n++;
	uint64_t hash = key_hash(st->key[j], W);
	st->hash[j] = hash, st->eb[j] = eb;
	if (hw->mode == DY_HT_SIEVE) {
		/* a k-mer seen before is looked up in every layer down to the one
		 * that has it, then in the table: all of them, one line each */
		const bloom_t *bf = pt->bf;
		int l;
		for (l = bf->nl - 1; l >= 0; --l) __builtin_prefetch(bf->a[l] + bf_block(hash, bf->nb[l]) * 8, 1);
	}
	if (pt->cap) __builtin_prefetch(pt->a + home_of(hash, pt->cap) * (W + 1), 1);
	return st->n == BATCH ? flush(pt, W, p, n_part, st, grew, hw) : DY_OK;
}

/* Phase B for one record of partition p; W = 1 keeps u64 arithmetic, W = 2
 * u128, W = 4 dy_kmerw_t.  bs: room for the record's bases (unpack_rec). */
static inline __attribute__((always_inline))
int add_record(dy_ht_t *h, int W, size_t p, part_t *pt, const uint8_t *rec, uint8_t *bs, const ebtab_t *et,
               stage_t *st, int *grew, const how_t *hw)
{
	const int k = h->k, shift = 2 * (k - 1);
	const dy_kmer_t mask = W == 2 ? dy_kmer_mask(k) : 0;
	const uint64_t mask1 = W == 1 ? (1ULL << (2 * k)) - 1 : 0;
	const dy_kmerw_t maskw = W == 4 ? dy_kmerw_mask(k) : (dy_kmerw_t){ 0, 0 };
	uint32_t n = get_u32(rec), lf = rec[4] & 1, rf = rec[4] >> 1 & 1, i;
	const uint8_t *b = bs + 1;   /* b[-1] and b[n]: 4, no base */
	uint64_t fw1 = 0, rv1 = 0;
	dy_kmer_t fw = 0, rv = 0;
	dy_kmerw_t fww = { 0, 0 }, rvw = { 0, 0 };
	int ret = DY_OK;
	unpack_rec(rec + DY_SKM_HDR, n, bs);
	for (i = 0; i < (uint32_t)k - 1 + lf; ++i) {   /* the first k-mer but its last base */
		unsigned c = b[i];
		if (W == 1) {
			fw1 = ((fw1 << 2) | c) & mask1;
			rv1 = (rv1 >> 2) | ((uint64_t)(3 - c) << shift);
		} else if (W == 2) {
			fw = ((fw << 2) | c) & mask;
			rv = (rv >> 2) | ((dy_kmer_t)(3 - c) << shift);
		} else {
			fww = dy_kmerw_push(fww, (int)c, maskw);
			rvw = dy_kmerw_prepend(rvw, 3 - (int)c, k);
		}
	}
	for (; i < n - rf; ++i) {
		/* the k-mer ending at base i; its left base b[i - k] (4 at the
		 * record's start), its right base b[i + 1] (4 at its end) */
		unsigned c = b[i], l = b[(long)i - k], rc;
		uint64_t *key = st->key[st->n];
		int lpal;
		if (W == 1) {
			fw1 = ((fw1 << 2) | c) & mask1;
			rv1 = (rv1 >> 2) | ((uint64_t)(3 - c) << shift);
			/* l.x is a palindrome iff rc(x) == l.x[0..k-2]; l = 4 sets
			 * bit 2k, which no k-mer has */
			lpal = rv1 == (((uint64_t)l << shift) | (fw1 >> 2));
			rc = rv1 < fw1;
			key[0] = rc ? rv1 : fw1;
		} else if (W == 2) {
			dy_kmer_t x;
			fw = ((fw << 2) | c) & mask;
			rv = (rv >> 2) | ((dy_kmer_t)(3 - c) << shift);
			x = rv < fw ? rv : fw;
			lpal = rv == (((dy_kmer_t)l << shift) | (fw >> 2));
			rc = rv < fw;
			key[0] = (uint64_t)x, key[1] = (uint64_t)(x >> 64);
		} else {
			dy_kmerw_t x;
			fww = dy_kmerw_push(fww, (int)c, maskw);
			rvw = dy_kmerw_prepend(rvw, 3 - (int)c, k);
			lpal = l < 4 && dy_kmerw_eq(rvw, dy_kmerw_prepend(fww, (int)l, k));
			rc = dy_kmerw_lt(rvw, fww);
			x = rc ? rvw : fww;
			key[0] = (uint64_t)x.lo, key[1] = (uint64_t)(x.lo >> 64);
			key[2] = (uint64_t)x.hi, key[3] = (uint64_t)(x.hi >> 64);
		}
		if ((ret = stage(pt, W, p, h->n_part, st, et->eb[rc][lpal ? 4 : l][b[i + 1]], grew, hw)) < 0) break;
	}
	return ret;
}

/* Phase B: partition p takes the records of every thread, thread 0 first. */
static inline __attribute__((always_inline))
int insert_part(dy_ht_t *h, int W, const uint8_t *buf, size_t p, vec_t *vecs, int T, const ebtab_t *et,
                const how_t *hw)
{
	stage_t st;
	/* a copy: the partitions' descriptors lie 24 bytes apart, and two
	 * threads counting neighbouring partitions shared their cache line on
	 * every new k-mer */
	part_t pt = h->part[p];
	int t, grew = 0, ret = DY_OK;
	uint8_t sbs[512], *bs = sbs, *nbs;
	size_t room = sizeof sbs;
	st.n = 0;
	for (t = 0; t < T; ++t) {
		const vec_t *v = &vecs[t];
		size_t j, e = v->start[p + 1];
		for (j = v->start[p]; j < e && ret == DY_OK; ++j) {
			const uint8_t *rec = buf + v->off[j];
			size_t n = get_u32(rec);
			/* a partition's records lie all over the buffer */
			if (j + 8 < e) __builtin_prefetch(buf + v->off[j + 8]);
			if (n + 8 > room) {   /* a long record: room for its bases */
				if ((nbs = (uint8_t *)malloc(n + 8)) == NULL) { ret = DY_ENOMEM; break; }
				if (bs != sbs) free(bs);
				bs = nbs, room = n + 8;
			}
			ret = add_record(h, W, p, &pt, rec, bs, et, &st, &grew, hw);
		}
	}
	if (ret == DY_OK) ret = flush(&pt, W, p, h->n_part, &st, &grew, hw);
	h->part[p] = pt;
	if (bs != sbs) free(bs);
	return ret;
}

static int count_chunk(dy_ht_t *h, const uint8_t *buf, const size_t *cut, int T, vec_t *vecs)
{
	const ebtab_t et = ebtab_make();
	int err = DY_OK, t;
	long p;
#pragma omp parallel for schedule(static, 1) num_threads(T)
	for (t = 0; t < T; ++t) {
		int ret = route(h, buf, cut[t], cut[t + 1], &vecs[t]);
		if (ret < 0) {
#pragma omp atomic write
			err = ret;
		}
	}
	if (err < 0) return err;
#pragma omp parallel for schedule(dynamic, 1) num_threads(T)
	for (p = 0; p < (long)h->n_part; ++p) {
		how_t hw;
		int ret;
		hw.mode = h->mode, hw.want = h->hint;
		hw.hll = h->mode == DY_HT_SIEVE ? h->hll[omp_get_thread_num()] : NULL;
		ret = h->W == 1 ? insert_part(h, 1, buf, (size_t)p, vecs, T, &et, &hw)
		    : h->W == 2 ? insert_part(h, 2, buf, (size_t)p, vecs, T, &et, &hw)
		                : insert_part(h, 4, buf, (size_t)p, vecs, T, &et, &hw);
		if (ret < 0) {
#pragma omp atomic write
			err = ret;
		}
	}
	update_offsets(h);
	return err;
}

int dy_ht_count_skm(dy_ht_t *h, const uint8_t *buf, size_t len, int n_threads)
{
	int T = n_threads < 1 ? 1 : n_threads, ret, t;
	size_t off = 0, *cut = NULL, chunk = h->n_part * CHUNK_PER_PART, nk;
	vec_t *vecs = NULL;
	if (chunk < CHUNK_MIN) chunk = CHUNK_MIN;
	/* check every header first: a malformed buffer leaves h untouched */
	if ((ret = check_all(buf, len, h->k, h->ko.m, &nk)) < 0 || len == 0) return ret;
	if (h->mode == DY_HT_SIEVE) {
		/* a new filter layer has room for every k-mer of the call that
		 * its partition may get (they cannot all be new: an upper bound) */
		h->hint = nk / h->n_part + 1;
		if (T > HLL_T) T = HLL_T;
		for (t = 0; t < T; ++t)
			if (h->hll[t] == NULL && (h->hll[t] = (uint8_t *)calloc(DY_HLL_N, 1)) == NULL) return DY_ENOMEM;
	}
	cut = (size_t *)malloc((T + 1) * sizeof *cut);
	vecs = (vec_t *)calloc((size_t)T, sizeof *vecs);
	if (cut == NULL || vecs == NULL) { ret = DY_ENOMEM; goto end; }
	for (t = 0; t < T; ++t)
		if ((vecs[t].start = (size_t *)malloc((h->n_part + 1) * sizeof(size_t))) == NULL) {
			ret = DY_ENOMEM;
			goto end;
		}
	for (; off < len; off = cut[T]) {
		plan_chunk(buf, len, off, h->k, h->ko.m, T, chunk, cut);
		if (cut[T] == off) { ret = DY_EFORMAT; goto end; } /* cannot happen: checked */
		if ((ret = count_chunk(h, buf, cut, T, vecs)) < 0) goto end;
	}
end:
	if (vecs)
		for (t = 0; t < T; ++t) free(vecs[t].raw), free(vecs[t].off), free(vecs[t].pid), free(vecs[t].start);
	free(vecs);
	free(cut);
	return ret;
}
