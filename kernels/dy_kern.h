/* dy_kern.h -- the kernel contract: pure compute, no MPI, no file I/O.
 *
 * Kernels take arrays and a const options sub-struct; OpenMP stays inside
 * each kernel file (n_threads is passed in, never read from globals).
 * Everything returns DY_OK or a negative DY_E* code (include/dactyl.h).
 *
 * Wire formats (little-endian, produced and consumed only by kernels):
 *
 *  Super-k-mer record (exchange payload):
 *     u32 n        number of bases, flanks included
 *     u8  flags    bit0: first base is a left flank, bit1: last base is a right flank,
 *                  bits 2-7: q + 1, where the m-mer at base lf + q is the
 *                  minimizer of the first k-mer (0: not given; q + 1 <=
 *                  k - m + 1 and <= DY_SKM_QMAX), so the receiver hashes one
 *                  m-mer, not k - m + 1, to place the record
 *     u8  packed[(n+3)/4]   base i at byte i>>2, bits 2*(i&3)..2*(i&3)+1
 *   The k-mers of the record are the n - k + 1 - lf - rf windows that skip
 *   the flanks; every one of them has the same minimizer.
 *
 *  Fragment record (rank -> rank 0):
 *     u32 n        number of bases (>= k)
 *     u8  flags    bit0: circular (n - k + 1 k-mers close on themselves)
 *     u8  left     bits0-3: mask of the solid extension bases (bit b: base b),
 *                  in the fragment's orientation; degree = its popcount
 *     u8  right    same for the right end
 *     u8  pad      0
 *     u64 cov      sum of the counts of the fragment's k-mers
 *     u8  packed[(n+3)/4]   as above
 *   Left end: the outward side of the first k-mer; its neighbour through
 *   base b is  b + first k-1 bases.  Right end: the neighbour is
 *   last k-1 bases + b.  Masks hold solid edges only, every one of them
 *   (not only at degree 1): the assembly graph after the merge needs them.
 */
#ifndef DY_KERN_H
#define DY_KERN_H

#include <stdint.h>
#include <stddef.h>
#include "dactyl.h"
#include "dy_kmer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- growable byte buffer ------------------------------------------- */

typedef struct {
	size_t n, m;      /* used, allocated */
	uint8_t *a;
} dy_buf_t;

/* Make room for at least `more` further bytes. DY_OK or DY_ENOMEM. */
int dy_buf_reserve(dy_buf_t *b, size_t more) DY_RESULT_USED;
/* Append len bytes. DY_OK or DY_ENOMEM. */
int dy_buf_push(dy_buf_t *b, const void *p, size_t len) DY_RESULT_USED;
void dy_buf_free(dy_buf_t *b);

/* An extension mask (bit b: base b) seen from the other strand: bit b
 * moves to bit 3 - b. */
static inline uint8_t dy_mask_comp(uint8_t m)
{
	return (uint8_t)((m & 1) << 3 | (m & 2) << 1 | (m & 4) >> 1 | (m & 8) >> 3);
}

/* Pack/unpack 2-bit bases (0..3) into the wire layout above. */
void dy_pack2(const uint8_t *bases, size_t n, uint8_t *packed);
void dy_unpack2(const uint8_t *packed, size_t n, uint8_t *bases);

/* ---- minimizers (kernels/minimizer.c) -------------------------------- */

/* Minimizer value of one k-mer: the minimum over its k-m+1 m-mers of
 * dy_hash64(canonical m-mer).  Strand-blind: equal for x and rc(x). */
uint64_t dy_mzr_kmer(const dy_kmer_opt_t *o, dy_kmer_t x);   /* k <= DY_KNARROW */
uint64_t dy_mzr_kmerw(const dy_kmer_opt_t *o, dy_kmerw_t x);  /* any k */

/* The minimizer length used for k when none is given: about k/2, odd, in
 * 7..31 -- long enough to spread minimizers over ranks and partitions,
 * short enough that a super-k-mer holds several k-mers. */
int dy_mzr_default_m(int k);

/* The rank that owns every k-mer whose minimizer value is mz. */
static inline int dy_mzr_owner(uint64_t mz, int n_ranks)
{
	return (int)(dy_hash64(mz ^ 0x5bd1e9955bd1e995ULL) % (uint64_t)n_ranks);
}

/* ---- super-k-mers (kernels/superkmer.c) ------------------------------ */

#define DY_SKM_HDR 5   /* u32 n + u8 flags */
#define DY_SKM_QMAX 63 /* the largest q + 1 the flags hold */

/* Bytes of a super-k-mer record of n bases, header included. */
static inline size_t dy_skm_size(uint32_t n)
{
	return DY_SKM_HDR + ((size_t)n + 3) / 4;
}

/* Split one read into ACGT runs (any other byte breaks k-mers), cut each
 * run into super-k-mers (maximal runs of consecutive k-mers with the same
 * minimizer value), and append each, with its flanks, to dest[owner].
 * *n_kmers (may be NULL) is increased by the number of k-mers emitted.
 * Thread-safe for distinct dest arrays. */
int dy_skm_scan(const dy_kmer_opt_t *o, const char *seq, size_t len,
                int n_ranks, dy_buf_t *dest, uint64_t *n_kmers) DY_RESULT_USED;

/* ---- counting table (kernels/hashtab.c, kernels/count.c) -------------- */

/* Edge counters: 32 bits per k-mer, a 4-bit saturating (max 15) counter per
 * (side, base).  For canonical k-mer x:
 *   right side, base b  = the (k+1)-mer x.b        bits 4b   .. 4b+3
 *   left side,  base b  = the (k+1)-mer b.x        bits 16+4b.. 16+4b+3   */
#define DY_EDGE_MAX 15
static inline int dy_edge_get(uint32_t edges, int side /*0 left, 1 right*/, int b)
{
	return (int)((edges >> ((side ? 0 : 16) + 4 * b)) & 0xF);
}
/* An edge is solid when its counter reaches the threshold (saturated
 * counters count as reaching any threshold above DY_EDGE_MAX). */
static inline int dy_edge_solid(uint32_t edges, int side, int b, uint32_t min_count)
{
	uint32_t t = min_count < DY_EDGE_MAX ? min_count : DY_EDGE_MAX;
	return (uint32_t)dy_edge_get(edges, side, b) >= t;
}

/* A rank's k-mer table: 2^part_log2 radix partitions (by k-mer hash), each
 * an open-addressing table owned by one thread at a time: no global lock. */
typedef struct dy_ht_s dy_ht_t;

/* New empty table for k-mers of length k whose partitions follow minimizers
 * of length m (0 = dy_mzr_default_m(k)): super-k-mer records given to
 * dy_ht_count_skm must have been cut with the same m.  NULL on allocation
 * failure or a bad k, m or part_log2 (0..24). */
dy_ht_t *dy_ht_init(int k, int m, int part_log2);
void dy_ht_destroy(dy_ht_t *h);

/* Size an empty table for about n distinct k-mers (an estimate, e.g. from
 * a pilot count), so that counting does not rehash its way up from a few
 * slots; partitions still grow past it.  A table that holds k-mers is left
 * as it is.  DY_OK or DY_ENOMEM. */
int dy_ht_reserve(dy_ht_t *h, size_t n) DY_RESULT_USED;

/* Count every k-mer of every super-k-mer record in buf[0..len) (canonical
 * k-mer count +1, and +1 on the edge counter of each flank/neighbour base,
 * mapped to the canonical orientation), with n_threads OpenMP threads.
 * Counts saturate at UINT32_MAX (a k-mer seen more often keeps that count;
 * the histogram's last bin holds it anyway), edge counters at DY_EDGE_MAX.
 * DY_OK, DY_ENOMEM, or DY_EFORMAT if buf is not a sequence of records. */
int dy_ht_count_skm(dy_ht_t *h, const uint8_t *buf, size_t len, int n_threads) DY_RESULT_USED;

/* Add one occurrence directly (reference path and tests): left/right are the
 * neighbouring bases in x's orientation as given, or -1 when absent. x need
 * not be canonical. Not thread-safe. */
int dy_ht_add(dy_ht_t *h, dy_kmer_t x, int left, int right) DY_RESULT_USED;
/* The same for any k (dy_ht_add takes k <= DY_KNARROW only). */
int dy_ht_addw(dy_ht_t *h, dy_kmerw_t x, int left, int right) DY_RESULT_USED;

/* Slots are numbered 0..dy_ht_capacity()-1 across all partitions; the
 * numbering is fixed once counting is over. */
size_t dy_ht_capacity(const dy_ht_t *h);
size_t dy_ht_size(const dy_ht_t *h);       /* distinct k-mers stored */
size_t dy_ht_bytes(const dy_ht_t *h);      /* memory held by the table, slack included */
int dy_ht_k(const dy_ht_t *h);
int dy_ht_m(const dy_ht_t *h);      /* the minimizer length its partitions follow */

/* Slot id of canonical k-mer x, or -1 if absent (x must be canonical).
 * Costs one minimizer (k-m+1 m-mer hashes) plus a probe. Thread-safe. */
int64_t dy_ht_find(const dy_ht_t *h, dy_kmer_t x);
int64_t dy_ht_findw(const dy_ht_t *h, dy_kmerw_t x);   /* any k */

/* Contents of slot id: returns 1 and fills the outputs (any may be NULL) if
 * the slot holds a k-mer, 0 if it is empty. Thread-safe (read-only). */
int dy_ht_slot(const dy_ht_t *h, size_t id, dy_kmer_t *x, uint32_t *count, uint32_t *edges);
/* The same with the whole k-mer for any k (dy_ht_slot gives its low 128 bits). */
int dy_ht_slotw(const dy_ht_t *h, size_t id, dy_kmerw_t *x, uint32_t *count, uint32_t *edges);

/* Raw partitions, for checkpoints (src/ckpt.c): partition p holds cap slots
 * of dy_ht_words() words (the key, then count | edges << 32), n of them
 * occupied.  dy_ht_part_load gives an empty table's partition p those
 * sizes and returns its slots, all empty, for the caller to fill with
 * words dy_ht_part_raw gave, each at its slot (same k, m and part_log2;
 * a subset of them is a table without the others); NULL on allocation
 * failure or sizes no table can have (n > 5/6 cap). */
size_t dy_ht_nparts(const dy_ht_t *h);
int dy_ht_words(const dy_ht_t *h);
const uint64_t *dy_ht_part_raw(const dy_ht_t *h, size_t p, size_t *cap, size_t *n);
/* k-mer occurrences counted into partition p (0 for partitions loaded by
 * dy_ht_part_load): the partition's load. */
uint64_t dy_ht_part_occ(const dy_ht_t *h, size_t p);

/* The sieve: k-mers seen once kept out of the table, in two passes over
 * the same records (hashtab.c says how).  dy_ht_sieve_begin on an empty
 * table: dy_ht_count_skm then only finds the candidates (k-mers seen twice,
 * and the few singletons the Bloom filter lets through); dy_ht_sieve_end
 * frees the filters and shrinks the partitions; dy_ht_count_skm over the
 * same records again counts the candidates exactly; dy_ht_recount_end
 * leaves each its exact count and edges, and the table counting as usual.
 * The k-mers seen once are estimated from a HyperLogLog sketch of every
 * k-mer (DY_HLL_N registers; merge sketches by maximum). */
#define DY_HT_COUNT 0
#define DY_HT_SIEVE 1
#define DY_HT_RECOUNT 2
#define DY_HLL_N ((size_t)1 << 14)
int dy_ht_sieve_begin(dy_ht_t *h) DY_RESULT_USED;
int dy_ht_sieve_end(dy_ht_t *h) DY_RESULT_USED;
void dy_ht_recount_end(dy_ht_t *h);
int dy_ht_mode(const dy_ht_t *h);
const uint8_t *dy_ht_hll(const dy_ht_t *h);   /* after the sieve pass; NULL without one */
double dy_hll_estimate(const uint8_t *reg);   /* distinct keys a sketch saw */
uint64_t *dy_ht_part_load(dy_ht_t *h, size_t p, size_t cap, size_t n);

/* ---- histogram and threshold (kernels/histo.c) ----------------------- */

/* hist[c] = number of distinct k-mers with count c, for c in 1..hmax-1;
 * hist[hmax] counts every k-mer with count >= hmax; hist[0] = 0.
 * hist has hmax+1 entries and is overwritten. */
void dy_histo_fill(const dy_ht_t *h, uint64_t *hist, int hmax, int n_threads);

/* Solid threshold from a (global) histogram: the first valley of the
 * spectrum when there is an error component, else 1. Always >= 1. */
int dy_histo_threshold(const uint64_t *hist, int hmax);

/* What the threshold rule saw. */
#define DY_TH_WPERIOD  1   /* every count a multiple of period > 1: reads given several times */
#define DY_TH_WNOPEAK  2   /* no coverage peak beyond the error component */
#define DY_TH_WLOWCOV  4   /* the coverage peak is below 4x the threshold */
#define DY_TH_WSHALLOW 8   /* the valley is not below half the peak: errors and genome overlap */
typedef struct {
	int threshold;      /* >= 1 */
	int period;         /* 1, or the period of the counts the rule folded by */
	int peak;           /* the coverage peak beyond the valley, 0 if none */
	int warn;           /* DY_TH_W* bits */
	int lowered_from;   /* set by the driver: the valley, when the profile lowered the threshold */
	const char *how;    /* one line: how the threshold was chosen (static) */
} dy_thresh_t;

/* dy_histo_threshold, saying how; returns th->threshold. */
int dy_histo_threshold_ex(const uint64_t *hist, int hmax, dy_thresh_t *th);

/* ---- genome profile from the spectrum (kernels/profile.c) ----------- */

typedef struct {
	int fit_ok;            /* 1 when the model was fitted */
	int het_peak_seen;     /* a heterozygous peak stands in the spectrum */
	double het_cov;        /* haplotype k-mer coverage L: where heterozygous k-mers peak */
	double hom_cov;        /* 2L: homozygous single-copy k-mers (the main peak of a haploid) */
	double nb_size;        /* negative binomial size of the L component (overdispersion) */
	double genome_size;    /* haploid genome size estimate, bases */
	double het_rate;       /* heterozygous sites per base */
	double repeat_frac;    /* share of the genome's k-mer occurrences in repeats (>= 2 copies) */
	int n_comp;            /* components fitted (multiples of L) */
	double amp[9];         /* amp[j]: distinct k-mers in component j (1..n_comp) */
} dy_profile_t;

/* Fit the profile to a global histogram (hist[1..hmax], as dy_histo_fill)
 * above the solid threshold t.  DY_OK, DY_ENOKMER when the spectrum has no
 * usable peak (p->fit_ok = 0), or DY_ENOMEM. */
int dy_profile_fit(const uint64_t *hist, int hmax, int k, int t, dy_profile_t *p) DY_RESULT_USED;

/* dy_profile_fit on the spectrum folded by period (hist[period], hist[2
 * period], ...: reads given period times), coverages scaled back. */
int dy_profile_fit_period(const uint64_t *hist, int hmax, int k, int t, int period, dy_profile_t *p) DY_RESULT_USED;

/* The solid threshold u <= t (in steps of step, >= 2) that minimises
 * w x (genomic k-mers the profile expects below u: each one is a gap in the
 * contigs) + (error k-mers the spectrum holds beyond the model at counts
 * u..t-1: each costs memory and cleaning, nothing more).  t itself when the
 * profile is not fitted or t <= 2.  *lost and *errs: the two terms at the
 * chosen u. */
int dy_profile_threshold(const uint64_t *hist, int hmax, const dy_profile_t *p, int t, int step,
                         double w, double *lost, double *errs);

/* ---- fragments (kernels/compact.c) ----------------------------------- */

typedef struct {
	uint64_t n_solid;      /* solid k-mers owned by this rank */
	uint64_t n_frag;       /* fragments written */
	uint64_t n_circular;   /* of which circular */
} dy_compact_stats_t;

/* Turn the solid k-mers (count >= min_count) of h into fragments: maximal
 * paths of this rank's k-mers in which every step has out-degree 1 and
 * in-degree 1 over solid edges.  A step to a k-mer owned by another rank
 * (owner from dy_mzr_kmer/dy_mzr_owner) ends the fragment; a step from a
 * k-mer to itself (or its reverse complement) is not taken.  Appends
 * fragment records to out. The set of fragments does not depend on
 * n_threads; their order in out may. */
int dy_compact_run(const dy_ht_t *h, const dy_kmer_opt_t *o, uint32_t min_count,
                   int n_ranks, int rank, int n_threads,
                   dy_buf_t *out, dy_compact_stats_t *st) DY_RESULT_USED;

/* ---- merge of fragments into contigs (kernels/merge.c) --------------- */

typedef struct {
	uint64_t len;          /* bases */
	uint64_t n_kmers;      /* len - k + 1 (also for circular contigs) */
	uint64_t cov;          /* sum of k-mer counts */
	int circular;          /* 1 if the last k-1 bases wrap onto the first */
	uint8_t ext[2];        /* solid extension masks of the left and right end, in
	                        * the orientation of seq (as in fragment records); 0 if circular */
	char *seq;             /* ACGT, NUL-terminated, owned by the set */
} dy_contig_t;

typedef struct {
	size_t n;
	dy_contig_t *a;
	uint64_t n_frag_in;    /* fragments read */
	uint64_t n_glued;      /* fragment ends glued */
} dy_contigs_t;

/* Glue fragment records (concatenated, from all ranks, any order) into
 * maximal unitigs, write each in canonical orientation (the smaller of its
 * sequence and reverse complement; a circular one starting at its smallest
 * canonical k-mer, in that k-mer's orientation), and sort them by length
 * (longest first) then sequence.  The result depends only on the set of
 * fragments.  Uses n_threads OpenMP threads. */
int dy_merge_run(const uint8_t *frags, size_t len, int k, int n_threads,
                 dy_contigs_t *out) DY_RESULT_USED;
void dy_contigs_free(dy_contigs_t *c);

/* ---- read pairs on the contigs: insert sizes (kernels/isize.c) ------- */

/* The contigs' sampled k-mers (k <= 31), each unique in the contigs. */
typedef struct {
	uint64_t h;            /* dy_hash64 of the canonical k-mer (invertible: it names the k-mer) */
	uint32_t ctg;          /* contig index */
	uint32_t pos;          /* start << 1 | 1 if the contig holds its reverse complement there */
} dy_cix_ent_t;

typedef struct {
	int k;                 /* min(k, 31) */
	uint64_t mask;         /* a k-mer is sampled when dy_hash64(canonical) & mask == 0 */
	size_t n;
	dy_cix_ent_t *a;       /* sorted by h */
	int bits;              /* directory: a[dir[b] .. dir[b+1]) have h >> (64 - bits) == b */
	size_t *dir;
} dy_cix_t;

/* Index 1 in 2^shift of the contigs' k-mers; k-mers found twice are left
 * out, and so are contigs whose mean k-mer coverage passes max_cov times
 * the contigs' length-weighted median (max_cov 0: none). */
int dy_cix_build(const dy_contigs_t *cs, int k, int shift, double max_cov, int n_threads, dy_cix_t *ix) DY_RESULT_USED;
void dy_cix_free(dy_cix_t *ix);

typedef struct {
	int64_t ctg;           /* contig, -1 if the read is not placed */
	int64_t beg;           /* where the read (as the contig holds it) would start; may be < 0 */
	int rev;               /* 1 if the contig holds the read's reverse complement */
	int hits;              /* sampled k-mers that agree */
} dy_place_t;

/* Place a read by its sampled k-mers: 1 if more than half of them agree
 * on one contig, strand and start (within a few bases), 0 if none is
 * indexed or they are split. */
int dy_cix_place(const dy_cix_t *ix, const char *seq, uint32_t len, dy_place_t *pl);

enum { DY_ORI_FR = 0, DY_ORI_RF = 1, DY_ORI_FF = 2 };
/* A pair's orientation (DY_ORI_*) and its insert (outer distance) when
 * both mates are placed on one contig; -1 otherwise. */
int dy_isize_pair(const dy_place_t *a, uint32_t la, const dy_place_t *b, uint32_t lb, int64_t *ins);
/* "FR", "RF", "FF", or "none" for anything else */
const char *dy_isize_ori_name(int ori);

#define DY_ISIZE_BINS 100
typedef struct {
	int64_t p5, p25, p50, p75, p95;  /* nearest-rank percentiles of all the inserts */
	int64_t lo, hi;        /* outlier bounds: [p25 - 2 IQR, p75 + 2 IQR], lo >= 1 */
	uint64_t n_used;       /* inserts within them: the mean, sd and histogram */
	double mean, sd;
	int64_t bin, from;     /* histogram: bin b counts [from + b bin, from + (b+1) bin) */
	uint64_t n_bins;
	uint64_t hist[DY_ISIZE_BINS];
} dy_isize_dist_t;

/* Summarise n inserts (v is sorted in place). */
void dy_isize_summary(int64_t *v, size_t n, dy_isize_dist_t *d);

#ifdef __cplusplus
}
#endif
#endif
