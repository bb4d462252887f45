/* fastx.c -- FASTA/FASTQ record parser (see fastx.h for the record and split rules). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fastx.h"

#define FX_CHUNK ((size_t)1 << 16)
#ifdef DY_FUZZING
#define FX_MAX_BUF ((size_t)1 << 20)   /* keeps the fuzzer's memory small */
#define FX_MAX_SEQ ((size_t)1 << 20)
#else
#define FX_MAX_BUF ((size_t)1 << 34)
#define FX_MAX_SEQ ((size_t)UINT32_MAX) /* dy_batch_t keeps lengths in 32 bits */
#endif

static int fail(dy_fx_t *fx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(dy_fx_t *fx, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fx->msg, sizeof fx->msg, fmt, ap);
	va_end(ap);
	return code;
}

void dy_fx_init(dy_fx_t *fx, dy_fx_read_f read, void *src, int64_t pos0)
{
	memset(fx, 0, sizeof *fx);
	fx->read = read, fx->src = src, fx->pos = pos0;
	fx->limit = INT64_MAX;
}

void dy_fx_free(dy_fx_t *fx)
{
	free(fx->buf);
	fx->buf = 0, fx->m = fx->beg = fx->end = 0;
}

/* Read more input, keeping buf[beg..end). Returns bytes added, 0 at the end
 * of the source, < -1 on error. Indices relative to beg stay valid. */
static int64_t more(dy_fx_t *fx)
{
	int64_t n;
	if (fx->is_eof) return 0;
	if (fx->beg > 0) {
		memmove(fx->buf, fx->buf + fx->beg, fx->end - fx->beg);
		fx->pos += fx->beg, fx->end -= fx->beg, fx->beg = 0;
	}
	if (fx->m - fx->end < fx->m / 4 || fx->m == 0) { /* grow, so reads stay large */
		size_t m = fx->m ? fx->m * 2 : FX_CHUNK;
		char *p;
		if (m > FX_MAX_BUF) {
			if (fx->end == fx->m)
				return fail(fx, DY_ELIMIT, "a record has lines longer than %zu bytes", FX_MAX_BUF / 4);
		} else {
			if ((p = realloc(fx->buf, m)) == 0) return fail(fx, DY_ENOMEM, "out of memory");
			fx->buf = p, fx->m = m;
		}
	}
	n = fx->read(fx->src, fx->buf + fx->end, fx->m - fx->end);
	if (n < 0) {
		fx->msg[0] = 0; /* the source has the reason */
		return n < DY_EOF ? n : DY_EIO;
	}
	if (n == 0) fx->is_eof = 1;
	fx->end += n;
	return n;
}

/* End of the line that starts at beg+from: *eol is the index (relative to
 * beg) of its '\n', or of the end of input. Returns 1 if there is such a
 * line, 0 if the input ends at from, < -1 on error. */
static int find_eol(dy_fx_t *fx, size_t from, size_t *eol)
{
	size_t seen = from;
	if (from > fx->end - fx->beg) return 0; /* the previous line ended the input */
	for (;;) {
		char *p = seen < fx->end - fx->beg ? memchr(fx->buf + fx->beg + seen, '\n', fx->end - fx->beg - seen) : 0;
		int64_t n;
		if (p) {
			*eol = (size_t)(p - (fx->buf + fx->beg));
			return 1;
		}
		seen = fx->end - fx->beg;
		if ((n = more(fx)) < 0) return (int)n;
		if (n == 0) {
			*eol = seen;
			return seen > from;
		}
	}
}

/* Length of the line beg+from..beg+eol without a trailing '\r'. */
static size_t line_len(const dy_fx_t *fx, size_t from, size_t eol)
{
	if (eol > from && fx->buf[fx->beg + eol - 1] == '\r') --eol;
	return eol - from;
}

/* First byte of the line at beg+from, or -1 if it is empty. */
static int line_c0(const dy_fx_t *fx, size_t from, size_t eol)
{
	return line_len(fx, from, eol) ? (unsigned char)fx->buf[fx->beg + from] : -1;
}

/* Consume one line: *s (valid until the next read), *len, *pos. Returns 1,
 * 0 at the end of input, < -1 on error. */
static int next_line(dy_fx_t *fx, const char **s, size_t *len, int64_t *pos)
{
	size_t eol = 0;
	int ret = find_eol(fx, 0, &eol);
	if (ret <= 0) return ret;
	*s = fx->buf + fx->beg;
	*len = line_len(fx, 0, eol);
	*pos = fx->pos + (int64_t)fx->beg;
	fx->beg += eol < fx->end - fx->beg ? eol + 1 : eol;
	return 1;
}

/* What a sequence byte becomes: letters upper-cased, the gap and stop
 * symbols of alignments and proteins kept ('-', '.', '*': not bases, they
 * break k-mers like N), 0 for anything else. */
static const unsigned char seq_map[256] = {
	['A'] = 'A', ['a'] = 'A', ['B'] = 'B', ['b'] = 'B', ['C'] = 'C', ['c'] = 'C',
	['D'] = 'D', ['d'] = 'D', ['E'] = 'E', ['e'] = 'E', ['F'] = 'F', ['f'] = 'F',
	['G'] = 'G', ['g'] = 'G', ['H'] = 'H', ['h'] = 'H', ['I'] = 'I', ['i'] = 'I',
	['J'] = 'J', ['j'] = 'J', ['K'] = 'K', ['k'] = 'K', ['L'] = 'L', ['l'] = 'L',
	['M'] = 'M', ['m'] = 'M', ['N'] = 'N', ['n'] = 'N', ['O'] = 'O', ['o'] = 'O',
	['P'] = 'P', ['p'] = 'P', ['Q'] = 'Q', ['q'] = 'Q', ['R'] = 'R', ['r'] = 'R',
	['S'] = 'S', ['s'] = 'S', ['T'] = 'T', ['t'] = 'T', ['U'] = 'U', ['u'] = 'U',
	['V'] = 'V', ['v'] = 'V', ['W'] = 'W', ['w'] = 'W', ['X'] = 'X', ['x'] = 'X',
	['Y'] = 'Y', ['y'] = 'Y', ['Z'] = 'Z', ['z'] = 'Z',
	['-'] = '-', ['.'] = '.', ['*'] = '*',
};

static const char *byte_name(int c, char *buf, size_t len)
{
	if (c == ' ') return "a space";
	if (c == '\t') return "a tab";
	if (c == 0) return "a NUL byte";
	if (c >= 33 && c < 127) snprintf(buf, len, "'%c'", c);
	else snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

static int append(dy_fx_t *fx, dy_fxbuf_t *b, size_t rec_start, const char *s, size_t len)
{
	size_t i;
	unsigned char bad = 1;
	if (b->l - rec_start + len > FX_MAX_SEQ)
		return fail(fx, DY_ELIMIT, "sequence longer than %zu bases", FX_MAX_SEQ);
	if (b->l + len > b->m) {
		size_t m = b->m ? b->m : 256;
		char *p;
		while (m < b->l + len) m += m >> 1;
		if ((p = realloc(b->s, m)) == 0) return fail(fx, DY_ENOMEM, "out of memory");
		b->s = p, b->m = m;
	}
	for (i = 0; i < len; ++i) { /* no branch per byte: a 0 anywhere is found after the loop */
		unsigned char c = seq_map[(unsigned char)s[i]];
		b->s[b->l + i] = (char)c;
		bad &= (unsigned char)(c != 0);
	}
	if (!bad) {
		char nb[16];
		for (i = 0; i < len && seq_map[(unsigned char)s[i]]; ++i) {}
		return fail(fx, DY_EFORMAT, "%s at column %zu of a sequence line (bases are letters)",
		            byte_name((unsigned char)s[i], nb, sizeof nb), i + 1);
	}
	b->l += len;
	return DY_OK;
}

int dy_fx_sniff(dy_fx_t *fx)
{
	size_t i = 0;
	for (;;) {
		for (; fx->beg + i < fx->end; ++i) {
			int c = (unsigned char)fx->buf[fx->beg + i];
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
			fx->rec_pos = fx->pos + (int64_t)(fx->beg + i);
			if (c == '@' || c == '>') return c;
			if (c == 0xef && fx->rec_pos == 0 && fx->end - fx->beg >= 3 &&
			    (unsigned char)fx->buf[fx->beg + 1] == 0xbb && (unsigned char)fx->buf[fx->beg + 2] == 0xbf)
				return fail(fx, DY_EFORMAT, "the file starts with a UTF-8 byte-order mark (EF BB BF), which "
				            "FASTA/FASTQ does not allow: remove it (sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)");
			return fail(fx, DY_EFORMAT, "expected '@' or '>' at start of record");
		}
		int64_t n = more(fx);
		if (n < 0) return (int)n;
		if (n == 0) return DY_EOF;
	}
}

/* Is the line at beg+from (ending at eol) a FASTQ record start? Needs the
 * next-but-one line. Returns 1, 0, or < -1. */
static int fq_start(dy_fx_t *fx, size_t from, size_t eol)
{
	size_t e2 = 0, e3 = 0;
	int ret;
	if (line_c0(fx, from, eol) != '@') return 0;
	if ((ret = find_eol(fx, eol + 1, &e2)) <= 0) return ret;
	if ((ret = find_eol(fx, e2 + 1, &e3)) <= 0) return ret;
	return line_c0(fx, e2 + 1, e3) == '+';
}

int dy_fx_sync(dy_fx_t *fx)
{
	const char *s;
	size_t len, eol = 0;
	int64_t pos;
	int ret = next_line(fx, &s, &len, &pos); /* the line holding the start offset */
	if (ret <= 0) return ret == 0 ? DY_EOF : ret;
	for (;;) {
		if ((ret = find_eol(fx, 0, &eol)) <= 0) return ret == 0 ? DY_EOF : ret;
		if (fx->fmt == '>') {
			if (line_c0(fx, 0, eol) == '>') return DY_OK;
		} else {
			if ((ret = fq_start(fx, 0, eol)) < 0) return ret;
			if (ret) return DY_OK;
		}
		fx->beg += eol < fx->end - fx->beg ? eol + 1 : eol;
	}
}

/* The FASTQ record at pos starts after the limit: the reader stops, but first
 * checks that a reader starting at the limit would sync exactly here (the
 * header has a sequence line not starting '@'/'+' and then a '+' line). */
static int fq_check_next(dy_fx_t *fx, const char *s)
{
	size_t e2 = 0, e3 = 0;
	int ret, c;
	if (s[0] != '@') return fail(fx, DY_EFORMAT, "expected '@' at start of record");
	if ((ret = find_eol(fx, 0, &e2)) < 0) return ret;
	if (ret == 0) return fail(fx, DY_EFORMAT, "unexpected end of file inside a record");
	c = line_c0(fx, 0, e2);
	if (c == '@' || c == '+') return fail(fx, DY_EFORMAT, "sequence line starts with '%c'", c);
	if ((ret = find_eol(fx, e2 + 1, &e3)) < 0) return ret;
	if (ret == 0) return fail(fx, DY_EFORMAT, "unexpected end of file inside a record");
	if (line_c0(fx, e2 + 1, e3) != '+') return fail(fx, DY_EFORMAT, "missing '+' line");
	return DY_EOF;
}

/* Phred+33 quality: '!'..'~'.  One pass without a branch per byte. */
static int qual_check(dy_fx_t *fx, const char *s, size_t len)
{
	size_t i;
	unsigned char out = 0;
	for (i = 0; i < len; ++i) out |= (unsigned char)((unsigned char)(s[i] - 33) > 93);
	if (out) {
		char nb[16];
		for (i = 0; i < len && (unsigned char)(s[i] - 33) <= 93; ++i) {}
		return fail(fx, DY_EFORMAT, "quality has %s at column %zu (Phred+33 values are '!' to '~')",
		            byte_name((unsigned char)s[i], nb, sizeof nb), i + 1);
	}
	return DY_OK;
}

static int fq_next(dy_fx_t *fx, dy_fxbuf_t *seq, const char *s, size_t len)
{
	size_t slen, start = seq->l;
	int64_t pos;
	int ret;
	if (s[0] != '@') return fail(fx, DY_EFORMAT, "expected '@' at start of record");
	if ((ret = next_line(fx, &s, &slen, &pos)) <= 0) goto eof;
	if (slen && (s[0] == '@' || s[0] == '+'))
		return fail(fx, DY_EFORMAT, "sequence line starts with '%c'", s[0]);
	if ((ret = append(fx, seq, start, s, slen)) < 0) return ret;
	if ((ret = next_line(fx, &s, &len, &pos)) <= 0) goto eof;
	if (len == 0 || s[0] != '+') goto fail_plus;
	if ((ret = next_line(fx, &s, &len, &pos)) <= 0) goto eof;
	if (len != slen)
		return fail(fx, DY_EFORMAT, "quality length %zu != sequence length %zu", len, slen);
	if ((ret = qual_check(fx, s, len)) < 0) return ret;
	return DY_OK;
fail_plus:
	seq->l = start;
	/* a second line of bases where '+' belongs: the file wraps its reads */
	if (len > 0 && seq_map[(unsigned char)s[0]] && s[0] != '.' && s[0] != '-' && s[0] != '*')
		return fail(fx, DY_EFORMAT, "missing '+' line: the sequence goes on over a second line, "
		            "and multi-line FASTQ is not supported (one line each for sequence and quality)");
	return fail(fx, DY_EFORMAT, "missing '+' line");
eof:
	seq->l = start;
	return ret < 0 ? ret : fail(fx, DY_EFORMAT, "unexpected end of file inside a record");
}

static int fa_next(dy_fx_t *fx, dy_fxbuf_t *seq, const char *s)
{
	size_t len, start = seq->l;
	int64_t pos;
	int ret;
	if (s[0] != '>') return fail(fx, DY_EFORMAT, "expected '>' at start of record");
	for (;;) {
		if (fx->beg == fx->end && (ret = (int)more(fx)) <= 0) {
			if (ret < 0) goto fail;
			return DY_OK;
		}
		if (fx->buf[fx->beg] == '>') return DY_OK;
		if ((ret = next_line(fx, &s, &len, &pos)) < 0) goto fail;
		if ((ret = append(fx, seq, start, s, len)) < 0) goto fail;
	}
fail:
	seq->l = start;
	return ret;
}

int dy_fx_next(dy_fx_t *fx, dy_fxbuf_t *seq)
{
	const char *s;
	size_t len;
	int64_t pos;
	int ret;
	fx->rec_pos = fx->pos + (int64_t)fx->beg;
	fx->msg[0] = 0;
	if (fx->fmt == 0) {
		if ((ret = dy_fx_sniff(fx)) < 0) return ret;
		fx->fmt = ret;
	}
	do { /* skip blank lines */
		if ((ret = next_line(fx, &s, &len, &pos)) <= 0) return ret == 0 ? DY_EOF : ret;
	} while (len == 0);
	fx->rec_pos = pos;
	if (pos > fx->limit)
		return fx->fmt == '@' ? fq_check_next(fx, s) : DY_EOF;
	if (fx->want_name) {   /* before the parse moves on: s is valid until the next line */
		size_t i;
		for (i = 1; i < len && i < sizeof fx->name && s[i] != ' ' && s[i] != '\t'; ++i) {}
		fx->name_l = i - 1;
		memcpy(fx->name, s + 1, fx->name_l);
	}
	ret = fx->fmt == '@' ? fq_next(fx, seq, s, len) : fa_next(fx, seq, s);
	if (ret == DY_OK) ++fx->n_rec;
	return ret;
}
