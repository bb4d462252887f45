/* write.c -- rank 0's outputs.  Each goes to DIR/.NAME.tmp; only when all
 * are complete does dy_out_publish rename them into place, stats.json last
 * (it marks a finished run), so an interrupted or failed run never leaves a
 * half-written or partial set of outputs where a finished one is expected. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <htslib/faidx.h>
#include "dy_priv.h"
#include "reads.h"

/* in the order they are published: stats.json, the mark of a finished run,
 * last; the first N_ASM_ONLY exist only when contigs were made (asm) */
static const char *outputs[] = { "contigs.fa", "contigs.fa.fai", "graph.gfa", "bubbles.fa",
                                 "kmer-histogram.tsv", "stats.json", NULL };
#define N_ASM_ONLY 4

static void path(char *buf, size_t len, const char *dir, const char *name, int tmp)
{
	snprintf(buf, len, "%s/%s%s%s", dir, tmp ? "." : "", name, tmp ? ".tmp" : "");
}

/* Refuse a folder holding a finished result unless forced: looked at first,
 * before any checkpoint there (a run kept with --keep-checkpoints has both),
 * and before anything is created or removed. */
int dy_out_check(const char *dir, int force, int resume, dy_err_t *err)
{
	char p[4096];
	struct stat st;
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		dy_err_set(err, dir, "the output directory exists and is not a directory (nothing was written to it)");
		return DY_EIO;
	}
	path(p, sizeof p, dir, "stats.json", 0);
	if (!force && stat(p, &st) == 0) {
		dy_err_set(err, dir, "holds the finished result of an earlier run (stats.json)%s: give --force to "
		           "replace it, or another -o; nothing in it was touched",
		           resume ? ", so --resume has nothing to continue" : "");
		return DY_EARG;
	}
	return DY_OK;
}

/* mkdir -p, prove we can create a file there, and remove the temporary
 * files of a run killed while writing.  An earlier result is not removed
 * here: a forced run replaces it only when its own outputs are complete
 * (dy_out_publish), so a failed rerun leaves it whole. */
int dy_out_prepare(const char *dir, dy_err_t *err)
{
	char p[4096], *s;
	FILE *fp;
	int i;
	snprintf(p, sizeof p, "%s", dir);
	for (s = p + 1; ; ++s) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				dy_err_set(err, dir, "cannot create output directory: %s", strerror(errno));
				return DY_EIO;
			}
			*s = c;
			if (c == '\0') break;
		}
	}
	path(p, sizeof p, dir, "write-test", 1);
	if ((fp = fopen(p, "w")) == NULL) {
		dy_err_set(err, dir, "output directory is not writable: %s", strerror(errno));
		return DY_EIO;
	}
	fclose(fp);
	unlink(p);
	for (i = 0; outputs[i]; ++i) {
		path(p, sizeof p, dir, outputs[i], 1);
		unlink(p);
	}
	return DY_OK;
}

void dy_out_cleanup(const char *dir)
{
	char p[4096];
	int i;
	for (i = 0; outputs[i]; ++i) {
		path(p, sizeof p, dir, outputs[i], 1);
		unlink(p);
	}
}

static FILE *open_tmp(const char *dir, const char *name, dy_err_t *err)
{
	char p[4096];
	FILE *fp;
	path(p, sizeof p, dir, name, 1);
	if ((fp = fopen(p, "w")) == NULL) dy_err_set(err, p, "cannot write: %s", strerror(errno));
	return fp;
}

/* Close the temporary file and check that every write reached it. */
static int commit(FILE *fp, const char *dir, const char *name, dy_err_t *err)
{
	char tmp[4096];
	int bad = ferror(fp), e = 0;
	path(tmp, sizeof tmp, dir, name, 1);
	if (bad) e = errno ? errno : EIO;
	if (fflush(fp) != 0 && !e) e = errno, bad = 1;
	if (fclose(fp) != 0 && !e) e = errno, bad = 1;
	if (bad) {
		dy_err_set(err, tmp, "cannot write: %s", strerror(e ? e : EIO));
		unlink(tmp);
		return DY_EIO;
	}
	return DY_OK;
}

int dy_out_publish(const char *dir, int with_contigs, dy_err_t *err)
{
	char tmp[4096], fin[4096];
	int i, j;
	/* an earlier result (--force) goes as a whole: its finished mark first,
	 * so that no moment shows an old stats.json beside new outputs, and the
	 * files this run does not make (a count after an asm) */
	path(fin, sizeof fin, dir, "stats.json", 0);
	unlink(fin);
	for (i = 0; !with_contigs && i < N_ASM_ONLY; ++i) {
		path(fin, sizeof fin, dir, outputs[i], 0);
		unlink(fin);
	}
	for (i = 0; outputs[i]; ++i) {
		if (!with_contigs && i < N_ASM_ONLY) continue;
		path(tmp, sizeof tmp, dir, outputs[i], 1);
		path(fin, sizeof fin, dir, outputs[i], 0);
		if (rename(tmp, fin) < 0) {
			dy_err_set(err, fin, "cannot rename into place: %s", strerror(errno));
			for (j = 0; j < i; ++j) {   /* all or none */
				path(fin, sizeof fin, dir, outputs[j], 0);
				unlink(fin);
			}
			dy_out_cleanup(dir);
			return DY_EIO;
		}
	}
	return DY_OK;
}

int dy_write_contigs(const char *dir, const dy_contigs_t *cs, int min_len, dy_err_t *err)
{
	FILE *fp = open_tmp(dir, "contigs.fa", err);
	char tmp[4096], fai[4200], want[4096];
	size_t i;
	int ret;
	if (fp == NULL) return DY_EIO;
	/* sorted longest first: the contigs of at least min_len bases come first,
	 * and keep the names graph.gfa gives every node */
	for (i = 0; i < cs->n && cs->a[i].len >= (uint64_t)min_len; ++i) {
		const dy_contig_t *t = &cs->a[i];
		/* mean k-mer coverage to one decimal, from integers: no float rounding leaks */
		uint64_t c10 = t->n_kmers ? (t->cov * 10 + t->n_kmers / 2) / t->n_kmers : 0;
		fprintf(fp, ">contig_%zu len=%llu cov=%llu.%llu%s\n%s\n", i + 1,
		        (unsigned long long)t->len, (unsigned long long)(c10 / 10),
		        (unsigned long long)(c10 % 10), t->circular ? " circular" : "", t->seq);
	}
	if ((ret = commit(fp, dir, "contigs.fa", err)) < 0) return ret;
	if (i == 0) {   /* no contig reaches min_len: htslib will not index an empty file, the index is empty too */
		dy_log(DY_LOG_WARN, "write", "no contig of %d bases or more: contigs.fa is empty (graph.gfa has every node)", min_len);
		if ((fp = open_tmp(dir, "contigs.fa.fai", err)) == NULL) return DY_EIO;
		return commit(fp, dir, "contigs.fa.fai", err);
	}
	/* the index samtools and every aligner read, by htslib itself */
	path(tmp, sizeof tmp, dir, "contigs.fa", 1);
	if (fai_build(tmp) != 0) {
		dy_err_set(err, tmp, "cannot build the FASTA index (.fai)");
		return DY_EIO;
	}
	snprintf(fai, sizeof fai, "%s.fai", tmp);
	path(want, sizeof want, dir, "contigs.fa.fai", 1);
	if (rename(fai, want) < 0) {
		dy_err_set(err, want, "cannot write: %s", strerror(errno));
		unlink(fai);
		return DY_EIO;
	}
	return DY_OK;
}

/* Mean k-mer coverage to one decimal, from integers. */
static void cov10(const dy_contig_t *t, unsigned long long *w, unsigned long long *f)
{
	uint64_t c10 = t->n_kmers ? (t->cov * 10 + t->n_kmers / 2) / t->n_kmers : 0;
	*w = c10 / 10, *f = c10 % 10;
}

int dy_write_gfa(const char *dir, const dy_contigs_t *cs, const dy_glinks_t *links, int k, dy_err_t *err)
{
	FILE *fp = open_tmp(dir, "graph.gfa", err);
	size_t i;
	if (fp == NULL) return DY_EIO;
	fprintf(fp, "H\tVN:Z:1.0\n");
	for (i = 0; i < cs->n; ++i) {
		const dy_contig_t *t = &cs->a[i];
		unsigned long long w, f;
		cov10(t, &w, &f);
		fprintf(fp, "S\tcontig_%zu\t%s\tLN:i:%llu\tKC:i:%llu\tDP:f:%llu.%llu\n", i + 1, t->seq,
		        (unsigned long long)t->len, (unsigned long long)t->cov, w, f);
	}
	for (i = 0; i < links->n; ++i) {
		const dy_glink_t *l = &links->a[i];
		fprintf(fp, "L\tcontig_%llu\t%c\tcontig_%llu\t%c\t%dM\n", (unsigned long long)l->a + 1,
		        l->ao ? '-' : '+', (unsigned long long)l->b + 1, l->bo ? '-' : '+', k - 1);
	}
	return commit(fp, dir, "graph.gfa", err);
}

int dy_write_bubbles(const char *dir, const dy_popset_t *pop, dy_err_t *err)
{
	FILE *fp = open_tmp(dir, "bubbles.fa", err);
	size_t i;
	if (fp == NULL) return DY_EIO;
	for (i = 0; i < pop->n; ++i) {
		const dy_popped_t *p = &pop->a[i];
		uint64_t c10 = p->n_kmers ? (p->cov * 10 + p->n_kmers / 2) / p->n_kmers : 0;
		fprintf(fp, ">bubble_%zu len=%llu cov=%llu.%llu kind=%s", i + 1, (unsigned long long)p->len,
		        (unsigned long long)(c10 / 10), (unsigned long long)(c10 % 10),
		        p->kind == DY_POP_ERROR ? "error" : "allele");
		if (p->host >= 0) fprintf(fp, " contig=contig_%lld\n%s\n", (long long)p->host + 1, p->seq);
		else fprintf(fp, " contig=*\n%s\n", p->seq);
	}
	return commit(fp, dir, "bubbles.fa", err);
}

int dy_write_histo(const char *dir, const uint64_t *hist, int hmax, int min_count, int count1_est, dy_err_t *err)
{
	FILE *fp = open_tmp(dir, "kmer-histogram.tsv", err);
	int i;
	if (fp == NULL) return DY_EIO;
	fprintf(fp, "# count\tdistinct_kmers\tsolid (threshold %d; the last row counts >= %d)%s\n", min_count, hmax,
	        count1_est ? "; count 1 is estimated (--singleton-filter: HyperLogLog of every k-mer less those "
	        "counted), the others exact" : "");
	for (i = 1; i <= hmax; ++i)
		if (hist[i]) fprintf(fp, "%d\t%llu\t%d\n", i, (unsigned long long)hist[i], i >= min_count);
	return commit(fp, dir, "kmer-histogram.tsv", err);
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; ++s) {
		if (*s == '"' || *s == '\\') fputc('\\', fp), fputc(*s, fp);
		else if ((unsigned char)*s < 0x20) fprintf(fp, "\\u%04x", (unsigned char)*s);
		else fputc(*s, fp);
	}
	fputc('"', fp);
}

/* The read groups of a SAM-family input (dy_rg_rows): each @RG line in
 * header order, and the reads without one (id null) if there are any. */
static void json_rgs(FILE *fp, const dy_opt_t *o, const dy_run_t *run, int i)
{
	dy_rg_row_t *rw;
	int n, k;
	if (dy_rg_rows(o->io.in[i], o->io.role && o->io.role[i] == DY_IN_INTER, run->rg_first, run->rg_recs,
	               run->rg_bases, i, &rw, &n) < 0 || n == 0) { free(rw); return; }
	fprintf(fp, ", \"read_groups\": [");
	for (k = 0; k < n; ++k) {
		const dy_rg_t *g = &rw[k].g;
		fprintf(fp, "%s{\"id\": ", k ? ", " : "");
		if (rw[k].none) fputs("null", fp);
		else if (rw[k].known) json_str(fp, g->id);
		else fprintf(fp, "\"%d\"", rw[k].index + 1);
		if (g->lb[0]) fputs(", \"library\": ", fp), json_str(fp, g->lb);
		if (g->sm[0]) fputs(", \"sample\": ", fp), json_str(fp, g->sm);
		fprintf(fp, ", \"reads\": %llu, \"pairs\": %llu, \"bases\": %llu, \"mean_read_len\": %.2f}",
		        (unsigned long long)rw[k].reads, (unsigned long long)rw[k].pairs, (unsigned long long)rw[k].bases,
		        rw[k].reads ? (double)rw[k].bases / (double)rw[k].reads : 0.0);
	}
	fputc(']', fp);
	free(rw);
}

/* A paired library's insert sizes (phase_insert.c): the sample, where it
 * fell, and the distribution of the main orientation's inserts. */
static void json_isize(FILE *fp, const dy_isize_t *s)
{
	const dy_isize_dist_t *d = &s->d;
	uint64_t b;
	fprintf(fp, ", \"insert_size\": {\"pairs_sampled\": %llu, \"pairs_on_one_contig\": %llu, "
	        "\"orientation\": {\"FR\": %llu, \"RF\": %llu, \"FF\": %llu}, \"main\": \"%s\"",
	        (unsigned long long)s->pairs, (unsigned long long)s->placed, (unsigned long long)s->ori[0],
	        (unsigned long long)s->ori[1], (unsigned long long)s->ori[2], dy_isize_ori_name(s->main_ori));
	if (s->main_ori == DY_ORI_FR || s->main_ori == DY_ORI_RF) {
		fprintf(fp, ", \"median\": %lld, \"p5\": %lld, \"p25\": %lld, \"p75\": %lld, \"p95\": %lld, "
		        "\"mean\": %.1f, \"sd\": %.1f, \"within\": [%lld, %lld], \"n_within\": %llu, "
		        "\"histogram\": {\"from\": %lld, \"bin\": %lld, \"counts\": [",
		        (long long)d->p50, (long long)d->p5, (long long)d->p25, (long long)d->p75, (long long)d->p95,
		        d->mean, d->sd, (long long)d->lo, (long long)d->hi, (unsigned long long)d->n_used,
		        (long long)d->from, (long long)d->bin);
		for (b = 0; b < d->n_bins && b < DY_ISIZE_BINS; ++b)
			fprintf(fp, "%s%llu", b ? ", " : "", (unsigned long long)d->hist[b]);
		fputs("]}", fp);
	}
	fputc('}', fp);
}

/* What --from-stats needs to repeat the run: the options as given (k = 0
 * stays 0: the same choice is made again) and the inputs by absolute path,
 * so that the repeat may start from another folder. */
static void write_repeat(FILE *fp, const dy_opt_t *user)
{
	char line[1024], *abs, *roles = malloc((size_t)user->io.n_in + 1);
	int i;
	dy_opt_line(user, line, sizeof line);
	fprintf(fp, "  \"repeat\": {\"options\": ");
	json_str(fp, line);
	if (roles) {   /* s single, 1 and 2 mates, i interleaved: -r, -1, -2, --12 */
		dy_opt_roles(&user->io, roles, (size_t)user->io.n_in + 1);
		fprintf(fp, ", \"roles\": ");
		json_str(fp, roles);
		free(roles);
	}
	fprintf(fp, ", \"inputs\": [");
	for (i = 0; i < user->io.n_in; ++i) {
		abs = realpath(user->io.in[i], NULL);
		if (i) fputs(", ", fp);
		json_str(fp, abs ? abs : user->io.in[i]);
		free(abs);
	}
	fprintf(fp, "]},\n");
}

int dy_write_stats(const char *dir, const dy_opt_t *o, const dy_opt_t *user, const dy_ctx_t *c, const dy_run_t *run,
                   const double *ph_wall, const long long *ph_rss, const uint64_t *per_rank, dy_err_t *err)
{
	static const char *names[DY_NRANKSTAT] = DY_RANKSTAT_NAMES;
	FILE *fp = open_tmp(dir, "stats.json", err);
	uint64_t tot, nv, lv;
	int i, r;
	if (fp == NULL) return DY_EIO;
	dy_nx(run->contigs.n ? &run->contigs.a[0].len : NULL, run->contigs.n, sizeof(dy_contig_t), 50, &tot, &nv, &lv);
	fprintf(fp, "{\n  \"version\": \"%s\",\n", DY_VERSION);
	fprintf(fp, "  \"options\": {\"k\": %d, \"m\": %d, \"min_count\": %d, \"hist_max\": %d, "
	        "\"partitions_log2\": %d, \"batch_bytes\": %zu, \"round_bytes\": %zu, \"threads\": %d, "
	        "\"pin\": %d, \"ranks\": %d, \"singleton_filter\": %s, \"inputs\": [", o->kmer.k, o->kmer.m,
	        o->count.min_count, o->count.hist_max, o->count.part_log2, o->io.batch_bytes, o->io.round_bytes,
	        c->n_threads, o->run.pin, c->n_ranks, o->count.sieve ? "true" : "false");
	for (i = 0; i < o->io.n_in; ++i) {
		if (i) fputs(", ", fp);
		json_str(fp, o->io.in[i]);
	}
	fprintf(fp, "], \"k_auto\": %s, \"k_why\": \"%s\"},\n", run->k_auto ? "true" : "false", run->k_why);
	write_repeat(fp, user);
	/* with the singleton filter the tables hold the k-mers seen twice or
	 * more (and the filter's false positives): the distinct k-mers, and the
	 * count-1 bin, are the HyperLogLog estimate's */
	fprintf(fp, "  \"kmers\": {\"distinct\": %llu, \"distinct_estimated\": %s, \"in_tables\": %llu, "
	        "\"count1_estimated\": %s, \"solid\": %llu, \"threshold\": %d, \"threshold_auto\": %s, "
	        "\"rounds\": %llu},\n",
	        run->sieve ? (unsigned long long)(run->distinct_est + 0.5) : (unsigned long long)run->n_distinct_global,
	        run->sieve ? "true" : "false", (unsigned long long)run->n_distinct_global, run->sieve ? "true" : "false",
	        (unsigned long long)run->n_solid_global,
	        run->min_count, run->min_count_auto ? "true" : "false", (unsigned long long)run->n_rounds);
	fprintf(fp, "  \"contigs\": {\"n\": %zu, \"total_len\": %llu, \"largest\": %llu, \"n50\": %llu, \"l50\": %llu, "
	        "\"fragments\": %llu, \"glued_ends\": %llu},\n", run->contigs.n, (unsigned long long)tot,
	        (unsigned long long)(run->contigs.n ? run->contigs.a[0].len : 0), (unsigned long long)nv,
	        (unsigned long long)lv, (unsigned long long)run->contigs.n_frag_in,
	        (unsigned long long)run->contigs.n_glued);
	{
		const dy_profile_t *p = &run->prof, *gp = run->prof_pilot.fit_ok ? &run->prof_pilot : p;
		const dy_clean_stats_t *q = &run->cst;
		fprintf(fp, "  \"threshold\": {\"value\": %d, \"how\": \"%s\", \"valley\": %d, \"lowered_by_profile\": %s, "
		        "\"period\": %d, \"warnings\": %d},\n",
		        run->min_count, run->min_count_auto ? (run->th.how ? run->th.how : "") : "--min-count",
		        run->th.threshold, run->th.lowered_from ? "true" : "false", run->th.period, run->th.warn);
		fprintf(fp, "  \"profile\": {\"fitted\": %s, \"het_peak_seen\": %s, \"haploid_size\": %.0f, "
		        "\"heterozygosity\": %.6f, \"repeat_fraction\": %.4f, \"from_k\": %d, \"hom_kmer_cov\": %.2f, "
		        "\"het_kmer_cov\": %.2f, \"at_k\": {\"haploid_size\": %.0f, \"heterozygosity\": %.6f, "
		        "\"repeat_fraction\": %.4f}},\n", p->fit_ok ? "true" : "false", p->het_peak_seen ? "true" : "false",
		        gp->genome_size, gp->het_rate, gp->repeat_frac, run->prof_pilot.fit_ok ? 31 : run->k_used,
		        p->hom_cov, p->het_cov, p->genome_size, p->het_rate, p->repeat_frac);
		fprintf(fp, "  \"graph\": {\"raw_unitigs\": %llu, \"nodes\": %zu, \"links\": %zu, \"clean\": %s, "
		        "\"clean_rounds\": %d, \"hom_cov_used\": %.2f, \"dangling_ext\": %llu, \"min_len\": %d,\n"
		        "    \"removed\": {\"tips\": %llu, \"tip_kmers\": %llu, \"bubbles\": %llu, \"allele_arms\": %llu, "
		        "\"error_arms\": %llu, \"bubble_kmers\": %llu, \"bubbles_kept_repeat\": %llu, "
		        "\"bubbles_kept_diverged\": %llu, \"broken_arms\": %llu, \"low_cov\": %llu, \"low_cov_kmers\": %llu, "
		        "\"err_links\": %llu, \"err_link_kmers\": %llu}, \"clean_s\": %.4f},\n",
		        (unsigned long long)run->n_raw, run->contigs.n, run->links.n, o->graph.clean ? "true" : "false",
		        run->clean_rounds, run->hom_cov, (unsigned long long)run->n_dangling, o->out.min_len,
		        (unsigned long long)q->tips, (unsigned long long)q->tip_kmers, (unsigned long long)q->bubbles,
		        (unsigned long long)q->allele_arms, (unsigned long long)q->error_arms,
		        (unsigned long long)q->bubble_kmers, (unsigned long long)q->bubbles_kept_repeat,
		        (unsigned long long)q->bubbles_kept_diverged, (unsigned long long)q->broken_arms,
		        (unsigned long long)q->low_cov,
		        (unsigned long long)q->low_cov_kmers, (unsigned long long)q->err_links,
		        (unsigned long long)q->err_link_kmers, run->t_clean);
		fprintf(fp, "  \"resolve\": {\"passes\": %d, \"junctions\": %llu, \"split\": %llu},\n",
		        run->resolve_passes, (unsigned long long)run->n_junctions, (unsigned long long)run->js.split);
	}
	/* a library: a pair of files, an interleaved file, a file of single reads */
	fprintf(fp, "  \"libraries\": [");
	for (i = r = 0; i < o->io.n_in; ++i) {
		int role = o->io.role ? o->io.role[i] : DY_IN_SINGLE, two = role == DY_IN_MATE1;
		uint64_t nr = run->file_recs ? run->file_recs[i] + (two ? run->file_recs[i + 1] : 0) : 0;
		uint64_t nb = run->file_bases ? run->file_bases[i] + (two ? run->file_bases[i + 1] : 0) : 0;
		if (role == DY_IN_MATE2) continue;
		fprintf(fp, "%s\n    {\"kind\": \"%s\", \"files\": [", r++ ? "," : "",
		        two ? "paired" : role == DY_IN_INTER ? "interleaved" : "single");
		json_str(fp, o->io.in[i]);
		if (two) fputs(", ", fp), json_str(fp, o->io.in[i + 1]);
		fprintf(fp, "], \"reads\": %llu, \"pairs\": %llu, \"bases\": %llu, \"mean_read_len\": %.2f",
		        (unsigned long long)nr, (unsigned long long)(role == DY_IN_SINGLE ? 0 : nr / 2),
		        (unsigned long long)nb, nr ? (double)nb / (double)nr : 0.0);
		if (run->file_skip && run->file_skip[i]) fprintf(fp, ", \"skipped_records\": %llu", (unsigned long long)run->file_skip[i]);
		if (run->isize && run->isize[i].library) json_isize(fp, &run->isize[i]);
		json_rgs(fp, o, run, i);
		fputc('}', fp);
	}
	fprintf(fp, "\n  ],\n");
	fprintf(fp, "  \"ranks\": {");
	for (i = 0; i < DY_NRANKSTAT; ++i) {
		fprintf(fp, "%s\n    \"%s\": [", i ? "," : "", names[i]);
		for (r = 0; r < c->n_ranks; ++r)
			fprintf(fp, "%s%llu", r ? ", " : "", (unsigned long long)per_rank[(size_t)r * DY_NRANKSTAT + i]);
		fprintf(fp, "]");
	}
	fprintf(fp, "\n  },\n");
	{	/* the load: the busiest rank over the mean, the largest partition, idle ranks */
		static const int cols[] = { 0, 2, 11, 4, 3, 6 };
		static const char *const cn[] = { "reads", "kmer_occurrences", "kmers_counted", "distinct_kmers", "bytes_sent",
		                                  "solid_kmers" };
		size_t j;
		int first = 1;
		fprintf(fp, "  \"balance\": {\"max_over_mean\": {");
		for (j = 0; j < sizeof cols / sizeof *cols; ++j) {
			double sum = 0, mx = 0;
			for (r = 0; r < c->n_ranks; ++r) {
				double v = (double)per_rank[(size_t)r * DY_NRANKSTAT + cols[j]];
				sum += v, mx = v > mx ? v : mx;
			}
			fprintf(fp, "%s\"%s\": %.4f", j ? ", " : "", cn[j], sum > 0 ? mx * c->n_ranks / sum : 0.0);
		}
		fprintf(fp, "}, \"partitions\": {\"n\": %llu, \"largest\": %llu, \"max_over_mean\": %.4f, "
		        "\"busiest_occurrences\": %llu, \"occurrences_max_over_mean\": %.4f}, \"idle_ranks\": [",
		        (unsigned long long)run->part_n, (unsigned long long)run->part_max,
		        run->n_distinct_global && run->part_n ? (double)run->part_max * (double)run->part_n / (double)run->n_distinct_global : 0.0,
		        (unsigned long long)run->part_max_occ,
		        run->n_kmer_counted_global && run->part_n ? (double)run->part_max_occ * (double)run->part_n / (double)run->n_kmer_counted_global : 0.0);
		for (r = 0; r < c->n_ranks; ++r)
			if (per_rank[(size_t)r * DY_NRANKSTAT] == 0) fprintf(fp, "%s%d", first ? "" : ", ", r), first = 0;
		fprintf(fp, "]},\n");
	}
	/* phases restored from a checkpoint keep the times of the run that made them */
	if (run->ck_from) fprintf(fp, "  \"resumed_after\": \"%s\",\n", dy_ck_name(run->ck_from));
	else fprintf(fp, "  \"resumed_after\": null,\n");
	fprintf(fp, "  \"phases\": [\n");
	for (i = 0; i < run->n_ph; ++i) {
		fprintf(fp, "    {\"name\": \"%s\", \"wall_s\": [", run->ph[i].name);
		for (r = 0; r < c->n_ranks; ++r) fprintf(fp, "%s%.4f", r ? ", " : "", ph_wall[(size_t)r * DY_MAX_PHASE + i]);
		fprintf(fp, "], \"peak_rss_bytes\": [");
		for (r = 0; r < c->n_ranks; ++r) fprintf(fp, "%s%lld", r ? ", " : "", ph_rss[(size_t)r * 3 * DY_MAX_PHASE + i]);
		/* what the phase itself held: RSS at its start and its own peak (null: unknown;
		 * every phase's with --phase-peaks) */
		fprintf(fp, "], \"rss_at_start_bytes\": [");
		for (r = 0; r < c->n_ranks; ++r) {
			long long v = ph_rss[(size_t)r * 3 * DY_MAX_PHASE + DY_MAX_PHASE + i];
			if (v < 0) fprintf(fp, "%snull", r ? ", " : "");
			else fprintf(fp, "%s%lld", r ? ", " : "", v);
		}
		fprintf(fp, "], \"phase_peak_rss_bytes\": [");
		for (r = 0; r < c->n_ranks; ++r) {
			long long v = ph_rss[(size_t)r * 3 * DY_MAX_PHASE + 2 * DY_MAX_PHASE + i];
			if (v < 0) fprintf(fp, "%snull", r ? ", " : "");
			else fprintf(fp, "%s%lld", r ? ", " : "", v);
		}
		fprintf(fp, "]}%s\n", i + 1 < run->n_ph ? "," : "");
	}
	fprintf(fp, "  ],\n  \"rank0_alone_s\": %.4f,\n  \"wall_s\": %.4f,\n  \"binding_rank0\": \"%s\"\n}\n",
	        run->t_rank0_alone, dy_realtime() - run->t_start, c->binding);
	return commit(fp, dir, "stats.json", err);
}
