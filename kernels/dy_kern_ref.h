/* dy_kern_ref.h -- obviously-correct reference kernels (kernels/<name>_ref.c):
 * the oracles of the unit tests and the baselines of bench/.  Same
 * contracts as the fast kernels of dy_kern.h, no threads, no tricks. */
#ifndef DY_KERN_REF_H
#define DY_KERN_REF_H

#include "dy_kern.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dy_ht_count_skm, one record and one k-mer at a time through dy_ht_add.
 * Same result as dy_ht_count_skm (counts, edges, and slot layout). */
int dy_ht_count_skm_ref(dy_ht_t *h, const uint8_t *buf, size_t len) DY_RESULT_USED;

#ifdef __cplusplus
}
#endif
#endif
