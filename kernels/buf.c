/* buf.c -- growable byte buffer and the 2-bit wire packing (dy_kern.h). */
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"

int dy_buf_reserve(dy_buf_t *b, size_t more)
{
	size_t need, m;
	uint8_t *a;
	if (more > SIZE_MAX - b->n) return DY_ENOMEM;
	need = b->n + more;
	if (need <= b->m) return DY_OK;
	m = b->m < 64 ? 64 : b->m;
	while (m < need) /* grow by 1.5x: amortised O(1) push, modest slack */
		m = m > SIZE_MAX / 3 * 2 ? need : m + (m >> 1);
	a = (uint8_t *)realloc(b->a, m);
	if (a == NULL) return DY_ENOMEM;
	b->a = a, b->m = m;
	return DY_OK;
}

int dy_buf_push(dy_buf_t *b, const void *p, size_t len)
{
	int ret;
	if (len == 0) return DY_OK;
	if ((ret = dy_buf_reserve(b, len)) < 0) return ret;
	memcpy(b->a + b->n, p, len);
	b->n += len;
	return DY_OK;
}

void dy_buf_free(dy_buf_t *b)
{
	free(b->a);
	b->a = NULL, b->n = b->m = 0;
}

void dy_pack2(const uint8_t *bases, size_t n, uint8_t *packed)
{
	size_t i;
	memset(packed, 0, (n + 3) >> 2); /* unused high bits of the last byte are 0 */
	for (i = 0; i < n; ++i)
		packed[i >> 2] |= (uint8_t)((bases[i] & 3) << ((i & 3) << 1));
}

void dy_unpack2(const uint8_t *packed, size_t n, uint8_t *bases)
{
	size_t i;
	for (i = 0; i < n; ++i)
		bases[i] = (packed[i >> 2] >> ((i & 3) << 1)) & 3;
}
