/* ckpt.c -- checkpoints at phase boundaries, and --resume.
 *
 * After the k-mer count (its table and histogram), the fragments, the merge
 * (the raw unitigs) and the graph (the final contigs, links and popped
 * bubbles), every rank writes what the later phases need to
 * DIR/checkpoint/r<RANK>.<PHASE>, then rank 0 writes DIR/checkpoint/manifest:
 *
 *   dactyl-checkpoint 1
 *   version 0.1.0 layout RUN/OPT/FORMAT
 *   phase build
 *   ranks 2
 *   options --kmer=0 --minimizer=0 ...     (every option a result depends on)
 *   inputs 1
 *   input SIZE MTIME PATH
 *   file RANK SIZE CRC32
 *
 * Every file is written under a temporary name, flushed to disk and renamed;
 * the manifest goes last, so it only ever names complete files and a kill
 * while a checkpoint is written leaves the previous one in force.  Only then
 * does each rank remove its file of the previous checkpoint.
 *
 * The count's checkpoint keeps only the solid k-mers, each at its slot:
 * the build reads nothing else, in slot order.  The per-rank file holds the rank's run record (dy_run_t) byte for byte,
 * with its pointers re-made on loading: the manifest's layout (the sizes of
 * dy_run_t and dy_opt_t and the format number) and version refuse a
 * checkpoint from another build.  A resume needs the same number of ranks
 * (each rank's table holds the k-mers it owns); threads may differ, since no
 * result depends on them.  Ranks read only their own files, so DIR must be
 * the same folder for every rank (a shared file system on a cluster). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "dy_priv.h"
#include "reads.h"

#define CK_FORMAT 5   /* 2: the count keeps only solid k-mers, at their slots; 3: per-input reads, insert
                       * sizes; 4: per read group; 5: each phase's own RSS */
#define CK_MAGIC 0x4b435944u   /* "DYCK" */
#define NAMELEN 32

/* the phases a run record may list, to point its names back at literals */
static const char *ph_names[] = { "pilot", "count", "histo", "build", "gather", "merge", "clean",
                                  "resolve", "insert", NULL };

/* what the probe of rank 0 found, for dy_ck_load */
static struct {
	int phase;
	int n_ranks;
	uint64_t *fsize, *fcrc;
} found;

static void ck_dir(char *buf, size_t len, const char *out) { snprintf(buf, len, "%s/checkpoint", out); }

/* A rename is durable only once its folder is flushed too: without it a
 * power loss could bring back the manifest of the checkpoint before while
 * the files it names are gone.  Best effort: some network file systems
 * refuse fsync on a folder (EINVAL), and a kill, the usual end of a run,
 * does not need it. */
static void fsync_dir(const char *d)
{
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	if (fd < 0) return;
	(void)fsync(fd);
	close(fd);
}

static void ck_manifest(char *buf, size_t len, const char *out) { snprintf(buf, len, "%s/checkpoint/manifest", out); }

static void ck_file(char *buf, size_t len, const char *out, int rank, int phase, int tmp)
{
	snprintf(buf, len, "%s/checkpoint/%sr%d.%s%s", out, tmp ? "." : "", rank, dy_ck_name(phase),
	         tmp ? ".tmp" : "");
}


static void layout(char *b, size_t len)
{
	snprintf(b, len, "%s layout %zu/%zu/%d", DY_VERSION, sizeof(dy_run_t), sizeof(dy_opt_t), CK_FORMAT);
}

/* A path on one line: bytes outside printable ASCII, and '%', as %XX. */
static void esc(const char *s, char *b, size_t len)
{
	size_t o = 0;
	for (; *s && o + 4 < len; ++s) {
		unsigned char ch = (unsigned char)*s;
		if (ch > 32 && ch < 127 && ch != '%') b[o++] = (char)ch;
		else o += (size_t)snprintf(b + o, len - o, "%%%02X", ch);
	}
	b[o] = 0;
}

static int input_line(const char *path, char *b, size_t len)
{
	struct stat st;
	char e[2048];
	if (stat(path, &st) < 0) return -1;
	esc(path, e, sizeof e);
	snprintf(b, len, "input %lld %lld.%09ld %s", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
	         (long)st.st_mtim.tv_nsec, e);
	return 0;
}

/* ---- writing and reading with a running CRC ---------------------------- */

typedef struct {
	FILE *fp;
	uLong crc;
	uint64_t bytes;
	int bad;
} ckio_t;

/* zlib's crc32 takes a uInt length: larger buffers in pieces */
static uLong crc_add(uLong crc, const unsigned char *s, size_t n)
{
	while (n) {
		uInt m = n > (1u << 30) ? 1u << 30 : (uInt)n;
		crc = crc32(crc, s, m);
		s += m, n -= m;
	}
	return crc;
}

static void put(ckio_t *w, const void *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	if (w->bad || n == 0) return;
	if (fwrite(s, 1, n, w->fp) != n) { w->bad = 1; return; }
	w->bytes += n;
	w->crc = crc_add(w->crc, s, n);
}

static void put64(ckio_t *w, uint64_t v) { put(w, &v, sizeof v); }

static int get(ckio_t *r, void *p, size_t n)
{
	unsigned char *s = (unsigned char *)p;
	if (r->bad) return -1;
	if (fread(s, 1, n, r->fp) != n) { r->bad = 1; return -1; }
	r->bytes += n;
	return 0;
}

static uint64_t get64(ckio_t *r)
{
	uint64_t v = 0;
	if (get(r, &v, sizeof v) < 0) return 0;
	return v;
}

/* a length read back is believed only up to what the file can still hold */
static int plausible(ckio_t *r, uint64_t n, uint64_t unit, uint64_t fsize)
{
	return !r->bad && unit && n <= (fsize - r->bytes) / unit;
}

static void put_contigs(ckio_t *w, const dy_contigs_t *cs)
{
	size_t i;
	put64(w, cs->n);
	for (i = 0; i < cs->n; ++i) {
		const dy_contig_t *x = &cs->a[i];
		put64(w, x->len), put64(w, x->n_kmers), put64(w, x->cov);
		put64(w, (uint64_t)x->circular | (uint64_t)x->ext[0] << 8 | (uint64_t)x->ext[1] << 16);
		put(w, x->seq, x->len);
	}
}

static int get_contigs(ckio_t *r, dy_contigs_t *cs, uint64_t fsize)
{
	uint64_t n = get64(r), i;
	if (!plausible(r, n, 32, fsize)) return DY_EFORMAT;
	if (n && (cs->a = (dy_contig_t *)calloc(n, sizeof *cs->a)) == NULL) return DY_ENOMEM;
	for (i = 0; i < n; ++i) {
		dy_contig_t *x = &cs->a[i];
		uint64_t f;
		x->len = get64(r), x->n_kmers = get64(r), x->cov = get64(r), f = get64(r);
		x->circular = (int)(f & 0xff), x->ext[0] = (uint8_t)(f >> 8), x->ext[1] = (uint8_t)(f >> 16);
		if (!plausible(r, x->len, 1, fsize)) return DY_EFORMAT;
		if ((x->seq = (char *)malloc(x->len + 1)) == NULL) return DY_ENOMEM;
		cs->n = i + 1;   /* freed from here on */
		if (get(r, x->seq, x->len) < 0) return DY_EFORMAT;
		x->seq[x->len] = 0;
	}
	return DY_OK;
}

/* The per-rank file of a checkpoint at phase. */
static int write_rank(const char *tmp, int phase, const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run,
                      const dy_ht_t *h, const dy_buf_t *frags, uint64_t *size, uint64_t *crc, dy_err_t *err)
{
	ckio_t w = { NULL, 0, 0, 0 };
	char names[DY_MAX_PHASE][NAMELEN], how[256];
	int i, e = 0;
	if ((w.fp = fopen(tmp, "wb")) == NULL) {
		dy_err_set(err, tmp, "cannot write a checkpoint: %s", strerror(errno));
		return DY_EIO;
	}
	w.crc = crc32(0, Z_NULL, 0);
	put64(&w, CK_MAGIC), put64(&w, (uint64_t)phase), put64(&w, (uint64_t)c->rank), put64(&w, (uint64_t)c->n_ranks);
	put64(&w, (uint64_t)o->kmer.k), put64(&w, (uint64_t)o->kmer.m);
	put(&w, run, sizeof *run);
	memset(names, 0, sizeof names), memset(how, 0, sizeof how);
	for (i = 0; i < run->n_ph && i < DY_MAX_PHASE; ++i) snprintf(names[i], NAMELEN, "%s", run->ph[i].name);
	put(&w, names, sizeof names);
	if (run->th.how) snprintf(how, sizeof how, "%s", run->th.how);
	put(&w, how, sizeof how);
	put(&w, run->hist, ((size_t)o->count.hist_max + 1) * sizeof *run->hist);
	/* what this rank read of each input: the libraries in stats.json after a resume */
	put(&w, run->file_recs, (size_t)o->io.n_in * sizeof *run->file_recs);
	put(&w, run->file_bases, (size_t)o->io.n_in * sizeof *run->file_bases);
	put(&w, run->file_skip, (size_t)o->io.n_in * sizeof *run->file_skip);
	put(&w, run->rg_recs, (size_t)run->n_rg * sizeof *run->rg_recs);
	put(&w, run->rg_bases, (size_t)run->n_rg * sizeof *run->rg_bases);
	if (phase == DY_CK_COUNT) {
		size_t p, np = dy_ht_nparts(h), cap, n;
		int S = dy_ht_words(h);
		put64(&w, np), put64(&w, (uint64_t)S);
		/* only the solid k-mers, at their slots: the build reads nothing else,
		 * and finds them in the same slot order (most entries are errors) */
		uint32_t t = run->min_count > 0 ? (uint32_t)run->min_count : 1;
		for (p = 0; p < np; ++p) {
			const uint64_t *a = dy_ht_part_raw(h, p, &cap, &n);
			size_t i, ns = 0;
			for (i = 0; i < cap; ++i) ns += (uint32_t)a[i * (size_t)S + (size_t)S - 1] >= t;
			put64(&w, cap), put64(&w, ns);
			for (i = 0; i < cap; ++i)
				if ((uint32_t)a[i * (size_t)S + (size_t)S - 1] >= t) put64(&w, i), put(&w, a + i * (size_t)S, (size_t)S * 8);
		}
	} else if (phase == DY_CK_BUILD) {
		put64(&w, frags->n);
		put(&w, frags->a, frags->n);
	} else if (phase == DY_CK_MERGE && c->rank == 0) {
		put_contigs(&w, &run->contigs);
	} else if (phase == DY_CK_GRAPH && c->rank == 0) {
		size_t j;
		put_contigs(&w, &run->contigs);
		put64(&w, run->links.n);
		for (j = 0; j < run->links.n; ++j) {
			const dy_glink_t *l = &run->links.a[j];
			put64(&w, l->a), put64(&w, l->b), put64(&w, (uint64_t)l->ao | (uint64_t)l->bo << 8);
		}
		put64(&w, run->pop.n);
		for (j = 0; j < run->pop.n; ++j) {
			const dy_popped_t *q = &run->pop.a[j];
			put64(&w, q->len), put64(&w, q->cov), put64(&w, q->n_kmers);
			put64(&w, (uint64_t)q->host), put64(&w, (uint64_t)(int64_t)q->kind);
			put(&w, q->seq, q->len);
		}
		put64(&w, run->isize != NULL);   /* the insert sizes, when a paired library has them */
		if (run->isize) put(&w, run->isize, (size_t)o->io.n_in * sizeof *run->isize);
	}
	if (w.bad) e = errno ? errno : EIO;
	if (fflush(w.fp) != 0 && !e) e = errno;
	if (fsync(fileno(w.fp)) != 0 && !e) e = errno;
	if (fclose(w.fp) != 0 && !e) e = errno;
	if (e) {
		dy_err_set(err, tmp, "cannot write a checkpoint: %s", strerror(e));
		unlink(tmp);
		return DY_EIO;
	}
	*size = w.bytes, *crc = w.crc;
	return DY_OK;
}

static int write_manifest(const char *out, int phase, const dy_opt_t *user, int n_ranks,
                          const uint64_t *fsz, const uint64_t *fcrc, dy_err_t *err)
{
	char d[4096], tmp[4200], fin[4200], line[8192];
	FILE *fp;
	int i, e = 0;
	ck_dir(d, sizeof d, out);
	snprintf(tmp, sizeof tmp, "%s/.manifest.tmp", d);
	ck_manifest(fin, sizeof fin, out);
	if ((fp = fopen(tmp, "w")) == NULL) {
		dy_err_set(err, tmp, "cannot write the checkpoint manifest: %s", strerror(errno));
		return DY_EIO;
	}
	layout(line, sizeof line);
	fprintf(fp, "dactyl-checkpoint 1\nversion %s\nphase %s\nranks %d\n", line, dy_ck_name(phase), n_ranks);
	dy_opt_line(user, line, sizeof line);
	fprintf(fp, "options %s\ninputs %d\n", line, user->io.n_in);
	{	/* s single, 1 and 2 mates, i interleaved: the same files as pairs are another run */
		char *roles = malloc((size_t)user->io.n_in + 1);
		if (roles == NULL) e = ENOMEM;
		else dy_opt_roles(&user->io, roles, (size_t)user->io.n_in + 1), fprintf(fp, "roles %s\n", roles);
		free(roles);
	}
	for (i = 0; i < user->io.n_in && !e; ++i) {
		if (input_line(user->io.in[i], line, sizeof line) < 0) { e = errno; break; }
		fprintf(fp, "%s\n", line);
	}
	for (i = 0; i < n_ranks; ++i)
		fprintf(fp, "file %d %llu %llu\n", i, (unsigned long long)fsz[i], (unsigned long long)fcrc[i]);
	if (ferror(fp) && !e) e = errno ? errno : EIO;
	if (fflush(fp) != 0 && !e) e = errno;
	if (fsync(fileno(fp)) != 0 && !e) e = errno;
	if (fclose(fp) != 0 && !e) e = errno;
	if (!e && rename(tmp, fin) != 0) e = errno;
	if (e) {
		dy_err_set(err, fin, "cannot write the checkpoint manifest: %s", strerror(e));
		unlink(tmp);
		return DY_EIO;
	}
	fsync_dir(d);
	return DY_OK;
}

int dy_ck_save(int phase, const dy_opt_t *user, const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run,
               const dy_ht_t *h, const dy_buf_t *frags)
{
	char d[4096] = "", tmp[4200] = "", fin[4200] = "", fault[16];
	uint64_t mine[2] = { 0, 0 }, *all = NULL;
	double t0 = dy_realtime(), mb;
	dy_err_t err;
	int st = DY_OK, p;
	memset(&err, 0, sizeof err);
	if (o->io.no_ck) return DY_OK;   /* --no-checkpoints: every rank alike */
	if (c->rank == 0) {
		ck_dir(d, sizeof d, o->io.out_dir);
		if (mkdir(d, 0777) < 0 && errno != EEXIST)
			st = DY_EIO, dy_err_set(&err, d, "cannot create the checkpoint folder: %s", strerror(errno));
		if ((all = (uint64_t *)calloc((size_t)c->n_ranks * 4, sizeof *all)) == NULL) st = DY_ENOMEM;
	}
	if ((st = dy_status_sync(c, st, &err, "checkpoint")) < 0) goto out;
	ck_file(tmp, sizeof tmp, o->io.out_dir, c->rank, phase, 1);
	ck_file(fin, sizeof fin, o->io.out_dir, c->rank, phase, 0);
	st = write_rank(tmp, phase, o, c, run, h, frags, &mine[0], &mine[1], &err);
	if (st == DY_OK && rename(tmp, fin) != 0) {
		st = DY_EIO, dy_err_set(&err, fin, "cannot write a checkpoint: %s", strerror(errno));
		unlink(tmp);
	}
	if (st == DY_OK) {   /* this rank's file is in the folder before the manifest names it */
		ck_dir(d, sizeof d, o->io.out_dir);
		fsync_dir(d);
	}
	if ((st = dy_status_sync(c, st, &err, "checkpoint")) < 0) goto out;
	snprintf(fault, sizeof fault, "ck%s", dy_ck_name(phase));
	dy_fault_at(fault);   /* tests: a kill between the files and the manifest */
	MPI_Gather(mine, 2, MPI_UINT64_T, all, 2, MPI_UINT64_T, 0, c->comm);
	if (c->rank == 0) {   /* rank i's size and crc at all[2i], all[2i+1] */
		uint64_t *sz = all + 2 * c->n_ranks, *crc = sz + c->n_ranks;
		int i;
		for (i = 0; i < c->n_ranks; ++i) sz[i] = all[2 * i], crc[i] = all[2 * i + 1];
		st = write_manifest(o->io.out_dir, phase, user, c->n_ranks, sz, crc, &err);
	}
	if ((st = dy_status_sync(c, st, &err, "checkpoint")) < 0) goto out;
	for (p = DY_CK_COUNT; p < phase; ++p) {   /* the previous checkpoint is not needed any more */
		ck_file(fin, sizeof fin, o->io.out_dir, c->rank, p, 0);
		unlink(fin);
	}
	mb = (double)mine[0] / 1048576.0;
	{
		double tot = 0;
		MPI_Reduce(&mb, &tot, 1, MPI_DOUBLE, MPI_SUM, 0, c->comm);
		if (c->rank == 0)
			dy_log(DY_LOG_INFO, "checkpoint", "after %s: %d file(s), %.1f MiB, %.3f s", dy_ck_name(phase),
			       c->n_ranks, tot, dy_realtime() - t0);
	}
out:
	if (st < 0) {   /* a checkpoint without its manifest is of no use: leave none (disk full) */
		unlink(tmp), unlink(fin);
		MPI_Barrier(c->comm);
		if (c->rank == 0) rmdir(d);   /* only when empty: an earlier checkpoint stays */
	}
	free(all);
	return st;
}

/* ---- the probe, before the output folder is touched -------------------- */

/* The first option of a that b gives another value, as "--min-count: 0 at the
 * checkpoint, 3 now". */
static void opt_diff(const char *a, const char *b, char *why, size_t len)
{
	char ta[128], tb[128];
	int na, nb;
	while (sscanf(a, "%127s%n", ta, &na) == 1 && sscanf(b, "%127s%n", tb, &nb) == 1) {
		if (strcmp(ta, tb) != 0) {
			char *ea = strchr(ta, '='), *eb = strchr(tb, '=');
			if (ea && eb) *ea = *eb = 0;
			snprintf(why, len, "was made with %s %s, this run has %s %s", ta, ea ? ea + 1 : "?", ta,
			         eb ? eb + 1 : "?");
			return;
		}
		a += na, b += nb;
	}
	snprintf(why, len, "the options differ");
}

static void found_free(void)
{
	free(found.fsize), free(found.fcrc);
	memset(&found, 0, sizeof found);
}

/* Read and check the manifest against this run: DY_OK and the phase, or
 * DY_EFORMAT / DY_EARG with why. */
static int check_manifest(FILE *fp, const dy_opt_t *user, int n_ranks, int *phase, char *why, size_t wlen)
{
	char line[8192], want[8192], key[32];
	int i, n, ln = 0, r = -1, nf = 0;
	unsigned long long sz, crc;
#define NEXT() (++ln, fgets(line, sizeof line, fp) ? (line[strcspn(line, "\n")] = 0, 1) : 0)
	if (!NEXT() || strcmp(line, "dactyl-checkpoint 1") != 0) {
		snprintf(why, wlen, "is not a dactyl checkpoint manifest (line 1)");
		return DY_EFORMAT;
	}
	layout(want, sizeof want);
	if (!NEXT() || strncmp(line, "version ", 8) != 0) goto bad;
	if (strcmp(line + 8, want) != 0) {
		snprintf(why, wlen, "was made by dactyl %.200s, this is dactyl %.200s", line + 8, want);
		return DY_EARG;
	}
	if (!NEXT() || sscanf(line, "phase %31s", key) != 1) goto bad;
	for (i = DY_CK_COUNT; i <= DY_CK_GRAPH && strcmp(key, dy_ck_name(i)) != 0; ++i) {}
	if (i > DY_CK_GRAPH) goto bad;
	*phase = i;
	if (!NEXT() || sscanf(line, "ranks %d", &r) != 1 || r < 1) goto bad;
	if (r != n_ranks) {
		snprintf(why, wlen, "was made by %d rank(s), this run has %d: resume with -np %d", r, n_ranks, r);
		return DY_EARG;
	}
	dy_opt_line(user, want, sizeof want);
	if (!NEXT() || strncmp(line, "options ", 8) != 0) goto bad;
	if (strcmp(line + 8, want) != 0) {
		opt_diff(line + 8, want, why, wlen);
		return DY_EARG;
	}
	if (!NEXT() || sscanf(line, "inputs %d", &n) != 1) goto bad;
	if (n != user->io.n_in) {
		snprintf(why, wlen, "was made from %d input file(s), this run has %d", n, user->io.n_in);
		return DY_EARG;
	}
	{
		char *roles = malloc((size_t)n + 1);
		int same;
		if (roles == NULL) { snprintf(why, wlen, "out of memory"); return DY_ENOMEM; }
		dy_opt_roles(&user->io, roles, (size_t)n + 1);
		if (!NEXT() || strncmp(line, "roles ", 6) != 0) { free(roles); goto bad; }
		same = strcmp(line + 6, roles) == 0;
		if (!same)
			snprintf(why, wlen, "was made with the inputs in other roles ('%.200s', this run '%.200s'; a letter "
			         "an input: s single reads, 1 and 2 mates of -1/-2, i interleaved --12)", line + 6, roles);
		free(roles);
		if (!same) {
			return DY_EARG;
		}
	}
	for (i = 0; i < n; ++i) {
		if (!NEXT() || strncmp(line, "input ", 6) != 0) goto bad;
		if (input_line(user->io.in[i], want, sizeof want) < 0) {
			snprintf(why, wlen, "was made from input %d = %.300s, which cannot be read now", i + 1, user->io.in[i]);
			return DY_EARG;
		}
		if (strcmp(line, want) != 0) {
			/* "input SIZE MTIME PATH": the paths from their second space on */
			char *p = strchr(line + 6, ' '), *q = strchr(strchr(want + 6, ' ') + 1, ' ');
			p = p ? strchr(p + 1, ' ') : NULL;
			if (p && strcmp(p, q) != 0)
				snprintf(why, wlen, "was made from input %d = %.300s, this run's input %d is %.300s",
				         i + 1, p + 1, i + 1, user->io.in[i]);
			else
				snprintf(why, wlen, "was made from another version of input %d (%.300s): its size or "
				         "modification time has changed", i + 1, user->io.in[i]);
			return DY_EARG;
		}
	}
	if ((found.fsize = (uint64_t *)calloc((size_t)r, 8)) == NULL || (found.fcrc = (uint64_t *)calloc((size_t)r, 8)) == NULL)
		return DY_ENOMEM;
	while (NEXT()) {
		if (sscanf(line, "file %d %llu %llu", &i, &sz, &crc) != 3 || i != nf || i >= r) goto bad;
		found.fsize[i] = sz, found.fcrc[i] = crc, ++nf;
	}
	if (nf != r) goto bad;
	found.n_ranks = r;
	return DY_OK;
bad:
	snprintf(why, wlen, "is damaged (line %d)", ln);
	return DY_EFORMAT;
#undef NEXT
}

int dy_ck_probe(const dy_opt_t *user, int n_ranks, int *phase, dy_err_t *err)
{
	char p[4200], why[1024] = "";
	FILE *fp;
	int st;
	found_free();
	*phase = DY_CK_NONE;
	ck_manifest(p, sizeof p, user->io.out_dir);
	if ((fp = fopen(p, "r")) == NULL) {
		if (errno != ENOENT) {   /* there, but unreadable: not the same as none */
			dy_err_set(err, p, "cannot read the checkpoint manifest: %s; nothing in %s was touched",
			           strerror(errno), user->io.out_dir);
			return DY_EIO;
		}
		if (user->io.resume)
			dy_log(DY_LOG_INFO, "resume", "%s holds no checkpoint: starting from the beginning", user->io.out_dir);
		return DY_OK;
	}
	if (!user->io.resume) {
		fclose(fp);
		if (user->io.force) return DY_OK;   /* started over: dy_ck_discard */
		dy_err_set(err, user->io.out_dir, "holds the checkpoint of an unfinished run: give --resume to "
		           "continue it, or --force to start over; nothing in it was touched");
		return DY_EARG;
	}
	st = check_manifest(fp, user, n_ranks, phase, why, sizeof why);
	fclose(fp);
	if (st < 0) {
		found_free();
		*phase = DY_CK_NONE;
		dy_err_set(err, p, "this checkpoint %s; nothing in %s was touched (--force without --resume "
		           "starts over)", why, user->io.out_dir);
		return st == DY_ENOMEM ? st : DY_EARG;
	}
	found.phase = *phase;
	return DY_OK;
}

void dy_ck_discard(const char *out)
{
	char p[4200];
	ck_manifest(p, sizeof p, out);
	unlink(p);
}

/* ---- loading ------------------------------------------------------------ */

/* The file is checked whole, size and CRC against the manifest, before any
 * length in it is believed: a damaged one is refused, never parsed. */
static int verify(FILE *fp, uint64_t fsize, uint64_t fcrc)
{
	unsigned char buf[1 << 16];
	struct stat st;
	uLong crc = crc32(0, Z_NULL, 0);
	size_t n;
	if (fstat(fileno(fp), &st) < 0 || (uint64_t)st.st_size != fsize) return -1;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) crc = crc_add(crc, buf, n);
	if (ferror(fp) || crc != fcrc) return -1;
	rewind(fp);
	return 0;
}

static int read_rank(const char *path, uint64_t fsize, uint64_t fcrc, int phase, dy_opt_t *o, const dy_ctx_t *c,
                     dy_run_t *run, dy_ht_t **hp, dy_buf_t *frags, dy_err_t *err)
{
	static char how_kept[256];
	ckio_t r = { NULL, 0, 0, 0 };
	dy_run_t saved, cur = *run;
	char names[DY_MAX_PHASE][NAMELEN], how[256];
	uint64_t *hist = NULL, v[6];
	dy_ht_t *h = NULL;
	int st = DY_EFORMAT, i, j;
	if ((r.fp = fopen(path, "rb")) == NULL) {
		dy_err_set(err, path, "cannot read this rank's checkpoint: %s", strerror(errno));
		return DY_EIO;
	}
	if (verify(r.fp, fsize, fcrc) < 0) goto bad;
	for (i = 0; i < 6; ++i) v[i] = get64(&r);
	if (r.bad || v[0] != CK_MAGIC || v[1] != (uint64_t)phase || v[2] != (uint64_t)c->rank ||
	    v[3] != (uint64_t)c->n_ranks || (o->kmer.k && v[4] != (uint64_t)o->kmer.k))
		goto bad;
	o->kmer.k = (int)v[4], o->kmer.m = (int)v[5];   /* the pilot's choice, when k was chosen */
	if (get(&r, &saved, sizeof saved) < 0 || get(&r, names, sizeof names) < 0 || get(&r, how, sizeof how) < 0)
		goto bad;
	if (saved.n_ph < 0 || saved.n_ph > DY_MAX_PHASE || saved.n_rg != cur.n_rg) goto bad;
	if ((hist = (uint64_t *)malloc(((size_t)o->count.hist_max + 1) * sizeof *hist)) == NULL) { st = DY_ENOMEM; goto fail; }
	if (get(&r, hist, ((size_t)o->count.hist_max + 1) * sizeof *hist) < 0) goto bad;
	if (get(&r, cur.file_recs, (size_t)o->io.n_in * sizeof *cur.file_recs) < 0 ||
	    get(&r, cur.file_bases, (size_t)o->io.n_in * sizeof *cur.file_bases) < 0 ||
	    get(&r, cur.file_skip, (size_t)o->io.n_in * sizeof *cur.file_skip) < 0 ||
	    get(&r, cur.rg_recs, (size_t)cur.n_rg * sizeof *cur.rg_recs) < 0 ||
	    get(&r, cur.rg_bases, (size_t)cur.n_rg * sizeof *cur.rg_bases) < 0)
		goto bad;
	/* the saved run's pointers are the killed process's: this process's stay */
	*run = saved;
	run->t_start = cur.t_start, run->rc = cur.rc, run->t_rank0_alone = 0;
	run->share_recs = cur.share_recs, run->file_recs = cur.file_recs, run->file_bases = cur.file_bases;
	run->file_skip = cur.file_skip;
	run->n_rg = cur.n_rg, run->rg_first = cur.rg_first, run->rg_recs = cur.rg_recs, run->rg_bases = cur.rg_bases;
	run->hist = hist, hist = NULL;
	memset(&run->g, 0, sizeof run->g);
	run->contigs.n = 0, run->contigs.a = NULL;
	memset(&run->links, 0, sizeof run->links);
	memset(&run->pop, 0, sizeof run->pop);
	run->isize = NULL;
	for (i = 0; i < run->n_ph; ++i) {
		names[i][NAMELEN - 1] = 0;
		for (j = 0; ph_names[j] && strcmp(ph_names[j], names[i]) != 0; ++j) {}
		if (ph_names[j] == NULL) goto bad;
		run->ph[i].name = ph_names[j];
	}
	how[sizeof how - 1] = 0;
	memcpy(how_kept, how, sizeof how);
	run->th.how = how[0] ? how_kept : NULL;
	if (phase == DY_CK_COUNT) {
		uint64_t np = get64(&r), S = get64(&r), p;
		if ((h = dy_ht_init(o->kmer.k, o->kmer.m, o->count.part_log2)) == NULL) { st = DY_ENOMEM; goto fail; }
		if (np != dy_ht_nparts(h) || S != (uint64_t)dy_ht_words(h)) goto bad;
		for (p = 0; p < np; ++p) {
			uint64_t cap = get64(&r), n = get64(&r), i, slot;
			uint64_t *a;
			if (!plausible(&r, n, (S + 1) * 8, fsize) || n > cap) goto bad;
			if ((a = dy_ht_part_load(h, p, cap, n)) == NULL && cap) { st = DY_ENOMEM; goto fail; }
			for (i = 0; i < n; ++i) {
				slot = get64(&r);
				if (slot >= cap || get(&r, a + slot * S, S * 8) < 0) goto bad;
			}
		}
	} else if (phase == DY_CK_BUILD) {
		uint64_t n = get64(&r);
		if (!plausible(&r, n, 1, fsize)) goto bad;
		if (dy_buf_reserve(frags, n + 1) < 0) { st = DY_ENOMEM; goto fail; }
		if (get(&r, frags->a, n) < 0) goto bad;
		frags->n = n;
	} else if ((phase == DY_CK_MERGE || phase == DY_CK_GRAPH) && c->rank == 0) {
		if ((st = get_contigs(&r, &run->contigs, fsize)) == DY_EFORMAT) goto bad;
		if (st < 0) goto fail;
		st = DY_EFORMAT;
		if (phase == DY_CK_GRAPH) {
			uint64_t n = get64(&r), q;
			if (!plausible(&r, n, 24, fsize)) goto bad;
			if (n && (run->links.a = (dy_glink_t *)calloc(n, sizeof *run->links.a)) == NULL) { st = DY_ENOMEM; goto fail; }
			run->links.n = n;
			for (q = 0; q < n; ++q) {
				dy_glink_t *l = &run->links.a[q];
				uint64_t f;
				l->a = get64(&r), l->b = get64(&r), f = get64(&r);
				l->ao = (uint8_t)(f & 1), l->bo = (uint8_t)((f >> 8) & 1);
			}
			n = get64(&r);
			if (!plausible(&r, n, 40, fsize)) goto bad;
			if (n && (run->pop.a = (dy_popped_t *)calloc(n, sizeof *run->pop.a)) == NULL) { st = DY_ENOMEM; goto fail; }
			run->pop.m = n;
			for (q = 0; q < n; ++q) {
				dy_popped_t *x = &run->pop.a[q];
				x->len = get64(&r), x->cov = get64(&r), x->n_kmers = get64(&r);
				x->host = (int64_t)get64(&r), x->kind = (int)(int64_t)get64(&r);
				if (!plausible(&r, x->len, 1, fsize)) goto bad;
				if ((x->seq = (char *)malloc(x->len + 1)) == NULL) { st = DY_ENOMEM; goto fail; }
				run->pop.n = q + 1;
				if (get(&r, x->seq, x->len) < 0) goto bad;
				x->seq[x->len] = 0;
			}
			if ((n = get64(&r)) > 1) goto bad;
			if (n && (run->isize = (dy_isize_t *)calloc((size_t)o->io.n_in, sizeof *run->isize)) == NULL) {
				st = DY_ENOMEM;
				goto fail;
			}
			if (n && get(&r, run->isize, (size_t)o->io.n_in * sizeof *run->isize) < 0) goto bad;
		}
	}
	if (r.bad || fgetc(r.fp) != EOF || r.bytes != fsize) goto bad;
	fclose(r.fp);
	*hp = h;
	return DY_OK;
bad:
	dy_err_set(err, path, "this checkpoint file is damaged or not the one the manifest names "
	           "(size or checksum): rerun without --resume, with --force, to start over");
	st = DY_EFORMAT;
fail:
	if (st == DY_ENOMEM) dy_err_set(err, path, "out of memory while reading this rank's checkpoint");
	fclose(r.fp);
	free(hist);
	dy_ht_destroy(h);
	return st;
}

int dy_ck_load(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run, dy_ht_t **h, dy_buf_t *frags, int *phase)
{
	uint64_t mine[2] = { 0, 0 }, *all = NULL;
	char path[4200];
	dy_err_t err;
	int st = DY_OK, i;
	memset(&err, 0, sizeof err);
	*phase = c->rank == 0 ? found.phase : 0;
	MPI_Bcast(phase, 1, MPI_INT, 0, c->comm);
	if (*phase == DY_CK_NONE) return DY_OK;
	if (c->rank == 0) {
		if ((all = (uint64_t *)calloc((size_t)c->n_ranks * 2, 8)) == NULL) st = DY_ENOMEM;
		for (i = 0; all && i < c->n_ranks; ++i) all[2 * i] = found.fsize[i], all[2 * i + 1] = found.fcrc[i];
	}
	if ((st = dy_status_sync(c, st, &err, "resume")) < 0) goto out;
	MPI_Scatter(all, 2, MPI_UINT64_T, mine, 2, MPI_UINT64_T, 0, c->comm);
	ck_file(path, sizeof path, o->io.out_dir, c->rank, *phase, 0);
	st = read_rank(path, mine[0], mine[1], *phase, o, c, run, h, frags, &err);
	st = dy_status_sync(c, st, &err, "resume");
	if (st == DY_OK) {
		run->ck_from = *phase;
		if (c->rank == 0)
			dy_log(DY_LOG_INFO, "resume", "resuming after the %s checkpoint of %s: %d phase(s) skipped (%s%s%s)",
			       dy_ck_name(*phase), o->io.out_dir, run->n_ph, run->n_ph ? run->ph[0].name : "",
			       run->n_ph > 1 ? " .. " : "", run->n_ph > 1 ? run->ph[run->n_ph - 1].name : "");
	}
out:
	free(all);
	if (c->rank == 0) found_free();
	return st;
}

void dy_ck_done(const dy_opt_t *o, const dy_ctx_t *c)
{
	char p[4200];
	int ph;
	if (c->rank == 0) dy_ck_discard(o->io.out_dir);
	MPI_Barrier(c->comm);
	for (ph = DY_CK_COUNT; ph <= DY_CK_GRAPH; ++ph) {
		ck_file(p, sizeof p, o->io.out_dir, c->rank, ph, 0);
		unlink(p);
		ck_file(p, sizeof p, o->io.out_dir, c->rank, ph, 1);
		unlink(p);
	}
	MPI_Barrier(c->comm);
	if (c->rank == 0) {   /* files of another rank count (an earlier run's) go too */
		DIR *d;
		struct dirent *e;
		ck_dir(p, sizeof p, o->io.out_dir);
		if ((d = opendir(p)) != NULL) {
			while ((e = readdir(d)) != NULL) {
				char f[4500];
				int rk;
				char nm[NAMELEN];
				if (sscanf(e->d_name, "r%d.%31s", &rk, nm) != 2 && sscanf(e->d_name, ".r%d.%31s", &rk, nm) != 2 &&
				    strcmp(e->d_name, ".manifest.tmp") != 0)
					continue;
				snprintf(f, sizeof f, "%s/%s", p, e->d_name);
				unlink(f);
			}
			closedir(d);
		}
		rmdir(p);
	}
}
