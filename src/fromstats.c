/* fromstats.c -- `dactyl asm --from-stats DIR/stats.json [options]`: repeat
 * a run from what its stats.json kept ("repeat": the options as given and
 * the inputs by absolute path, src/write.c).  The options in the file come
 * first and those on the command line after them, so `-o new -t 8` or a
 * changed `--min-count` apply; the inputs come from the file only.  Nothing
 * else in the file is believed: it is a user's file and may be edited. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"

#define WS " \t\r\n"   /* JSON's white space */

/* The JSON string starting at *p (just after its opening quote), unescaped
 * into a new string; *p moves past its closing quote.  NULL if malformed. */
static char *json_string(const char **p)
{
	const char *s = *p;
	char *out = malloc(strlen(s) + 1), *o = out;
	if (out == NULL) return NULL;
	for (; *s && *s != '"'; ++s) {
		if (*s != '\\') { *o++ = *s; continue; }
		++s;
		if (*s == '"' || *s == '\\' || *s == '/') *o++ = *s;
		else if (*s == 'u' && strspn(s + 1, "0123456789abcdefABCDEF") >= 4) {
			unsigned v;
			sscanf(s + 1, "%4x", &v);
			if (v == 0 || v > 0x7f) break;   /* only what our writer escapes: control bytes */
			*o++ = (char)v, s += 4;
		} else if (*s == 'n') *o++ = '\n';
		else if (*s == 't') *o++ = '\t';
		else break;
	}
	if (*s != '"') { free(out); return NULL; }
	*o = '\0';
	*p = s + 1;
	return out;
}

/* The value of key "name" inside text at or after from, as a pointer just
 * past the colon and blanks; NULL if absent. */
static const char *find_key(const char *from, const char *name)
{
	char key[64];
	const char *q;
	snprintf(key, sizeof key, "\"%s\"", name);
	if ((q = strstr(from, key)) == NULL) return NULL;
	q += strlen(key);
	q += strspn(q, WS);
	if (*q++ != ':') return NULL;
	q += strspn(q, WS);
	return q;
}

static int push(char ***v, int *n, int *m, char *s)
{
	if (s == NULL) return -1;
	if (*n + 2 > *m) {
		int mm = *m ? 2 * *m : 64;
		char **t = realloc(*v, (size_t)mm * sizeof *t);
		if (t == NULL) { free(s); return -1; }
		*v = t, *m = mm;
	}
	(*v)[(*n)++] = s, (*v)[*n] = NULL;
	return 0;
}

int dy_from_stats(int argc, char *argv[], int *nargc, char ***nargv, int *n_from_file, char *msg, size_t len)
{
	const char *path = NULL, *q, *opts;
	char *text = NULL, *line = NULL, *tok, *save = NULL;
	char **v = NULL;
	int n = 0, m = 0, i, skip = -1, nin = 0, st = DY_EARG;
	long sz;
	FILE *fp;
	*nargc = 0, *nargv = NULL, *n_from_file = 0;
	for (i = 1; i < argc; ++i) {   /* as getopt would take it: --from-stats FILE or --from-stats=FILE */
		if (strcmp(argv[i], "--") == 0) break;
		if (strcmp(argv[i], "--from-stats") == 0 && i + 1 < argc) { path = argv[i + 1], skip = i; break; }
		if (strncmp(argv[i], "--from-stats=", 13) == 0) { path = argv[i] + 13, skip = i; break; }
	}
	if (path == NULL) return 0;   /* not asked for */
	for (i = 1; i < argc; ++i)
		if (strcmp(argv[i], "--preset") == 0 || strncmp(argv[i], "--preset=", 9) == 0) {
			snprintf(msg, len, "--preset and --from-stats do not go together: the file holds every option "
			         "a preset would set (give the options to change instead)");
			return DY_EARG;
		}
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(msg, len, "--from-stats %s: cannot read: %s", path, strerror(errno));
		return DY_EIO;
	}
	if (fseek(fp, 0, SEEK_END) < 0 || (sz = ftell(fp)) < 0 || sz > (64L << 20) || fseek(fp, 0, SEEK_SET) < 0 ||
	    (text = malloc((size_t)sz + 1)) == NULL || fread(text, 1, (size_t)sz, fp) != (size_t)sz) {
		snprintf(msg, len, "--from-stats %s: cannot read it whole (a stats.json of dactyl is a few KB)", path);
		fclose(fp), free(text);
		return DY_EIO;
	}
	fclose(fp);
	text[sz] = '\0';
	if ((q = find_key(text, "repeat")) == NULL || *q != '{' || (opts = find_key(q, "options")) == NULL ||
	    *opts != '"') {
		snprintf(msg, len, "--from-stats %s: no \"repeat\" record (not a dactyl stats.json, or one "
		         "written before --from-stats existed)", path);
		goto out;
	}
	++opts;
	if ((line = json_string(&opts)) == NULL) goto bad;
	if (push(&v, &n, &m, strdup(argv[0])) < 0) goto nomem;
	/* the options as given, in the checkpoint's spelling; three of them are
	 * switches on the command line */
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "--", 2) != 0) goto bad;
		if (strcmp(tok, "--clean=1") == 0 || strcmp(tok, "--resolve=1") == 0 ||
		    strcmp(tok, "--singleton-filter=0") == 0) continue;
		if (strcmp(tok, "--singleton-filter=1") == 0) tok = "--singleton-filter";
		if (strcmp(tok, "--clean=0") == 0) tok = "--no-clean";
		else if (strcmp(tok, "--resolve=0") == 0) tok = "--no-resolve";
		if (push(&v, &n, &m, strdup(tok)) < 0) goto nomem;
	}
	for (i = 1; i < argc; ++i)   /* the command line's own, after: they win */
		if (i != skip && !(i == skip + 1 && strcmp(argv[skip], "--from-stats") == 0))
			if (push(&v, &n, &m, strdup(argv[i])) < 0) goto nomem;
	{
		/* each input after the option of its role (a stats.json from before
		 * pairs has no roles: single reads); "-r PATH" keeps a path that
		 * starts with '-' a path */
		const char *rq = find_key(q, "roles");
		char *roles = rq && *rq == '"' ? (++rq, json_string(&rq)) : NULL;
		if ((q = find_key(q, "inputs")) == NULL || *q++ != '[') { free(roles); goto bad; }
		for (;;) {
			char c;
			q += strspn(q, WS ",");
			if (*q == ']') break;
			c = roles && roles[nin] ? roles[nin] : roles ? 'x' : 's';
			if (c != 's' && c != '1' && c != '2' && c != 'i') { free(roles); goto bad; }
			if (push(&v, &n, &m, strdup(c == '1' ? "-1" : c == '2' ? "-2" : c == 'i' ? "--12" : "-r")) < 0 ||
			    *q++ != '"' || push(&v, &n, &m, json_string(&q)) < 0) { free(roles); goto bad; }
			++nin;
		}
		if (roles && roles[nin]) { free(roles); goto bad; }   /* more roles than inputs */
		free(roles);
	}
	if (nin == 0) goto bad;
	*nargc = n, *nargv = v, *n_from_file = nin;
	v = NULL;
	st = 1;
	goto out;
nomem:
	snprintf(msg, len, "out of memory");
	st = DY_ENOMEM;
	goto out;
bad:
	snprintf(msg, len, "--from-stats %s: its \"repeat\" record is damaged", path);
out:
	if (v) {
		for (i = 0; i < n; ++i) free(v[i]);
		free(v);
	}
	free(line), free(text);
	return st;
}

int dy_stats_same_run(const char *path, const char *opt_line, const dy_io_opt_t *io)
{
	const int n_in = io->n_in;
	char *const *in = io->in;
	char *want = malloc((size_t)n_in + 1), *have = NULL;
	FILE *fp = fopen(path, "rb");
	char *text = NULL, *s;
	const char *q;
	long sz;
	int i, same = 0;
	if (fp == NULL) return 0;
	if (fseek(fp, 0, SEEK_END) == 0 && (sz = ftell(fp)) >= 0 && sz <= (64L << 20) && fseek(fp, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)sz + 1)) != NULL && fread(text, 1, (size_t)sz, fp) == (size_t)sz) {
		text[sz] = '\0';
		if ((q = find_key(text, "repeat")) != NULL && *q == '{' && (q = find_key(q, "options")) != NULL &&
		    *q++ == '"' && (s = json_string(&q)) != NULL) {
			same = strcmp(s, opt_line) == 0 && want != NULL;
			free(s);
			if (same) {   /* the roles too: the same files as pairs are another run */
				const char *rq = find_key(q, "roles");
				dy_opt_roles(io, want, (size_t)n_in + 1);
				have = rq && *rq == '"' ? (++rq, json_string(&rq)) : NULL;
				same = have ? strcmp(have, want) == 0 : strspn(want, "s") == (size_t)n_in;
			}
			if (same && (q = find_key(q, "inputs")) != NULL && *q++ == '[') {
				for (i = 0; same && i < n_in; ++i) {
					char *abs = realpath(in[i], NULL);
					q += strspn(q, WS ",");
					if (*q++ != '"' || (s = json_string(&q)) == NULL) same = 0;
					else same = strcmp(s, abs ? abs : in[i]) == 0, free(s);
					free(abs);
				}
				q += strspn(q, WS ",");
				if (same && *q != ']') same = 0;   /* the earlier run had more inputs */
			} else same = 0;
		}
	}
	fclose(fp);
	free(text), free(want), free(have);
	return same;
}

void dy_from_stats_free(int argc, char **argv)
{
	int i;
	if (argv == NULL) return;
	for (i = 0; i < argc; ++i) free(argv[i]);
	free(argv);
}
