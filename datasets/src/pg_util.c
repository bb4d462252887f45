/* pg_util.c -- allocation and small vectors for palmgen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg.h"

static void oom(size_t n)
{
	fprintf(stderr, "palmgen: out of memory allocating %zu bytes\n", n);
	exit(2);
}

void *pg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) oom(n);
	return p;
}

void *pg_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) oom(n);
	return p;
}

char *pg_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(pg_malloc(n), s, n);
}

uint32_t pg_name_add(pg_genome_t *g, const char *name)
{
	if (g->n_names == g->m_names) {
		g->m_names = g->m_names ? g->m_names * 2 : 64;
		g->names = pg_realloc(g->names, g->m_names * sizeof(char *));
	}
	g->names[g->n_names] = pg_strdup(name);
	return (uint32_t)g->n_names++;
}

void pg_feat_push(pg_feat_t **v, size_t *n, size_t *m, const pg_feat_t *f)
{
	if (*n == *m) {
		*m = *m ? *m * 2 : 256;
		*v = pg_realloc(*v, *m * sizeof(pg_feat_t));
	}
	(*v)[(*n)++] = *f;
}
