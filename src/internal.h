/*
 * internal.h — helpers shared by the core's sources: error reporting and checked allocation.
 * Not part of the public API (include/nndl.h is); nothing here prints or exits.
 */
#ifndef NNDL_INTERNAL_H
#define NNDL_INTERNAL_H

#include "nndl.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define NNDL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NNDL_PRINTF(f, a)
#endif

/* Records code and a formatted message in err (if not NULL) and returns code, so that a failing
 * path reads `return nndl_fail(err, NNDL_E_INVALID, "...", ...);`. */
int nndl_fail(nndl_error *err, int code, const char *fmt, ...) NNDL_PRINTF(3, 4);

/* Clears err to NNDL_OK and an empty message; returns NNDL_OK. */
int nndl_ok(nndl_error *err);

/* a * b for sizes, or SIZE_MAX when it overflows, so that limits catch it. */
size_t nndl_mul_size(size_t a, size_t b);

/* malloc/calloc that refuse more than NNDL_MAX_BYTES and say why in err. */
void *nndl_alloc(size_t bytes, const char *what, nndl_error *err);
void *nndl_zalloc(size_t bytes, const char *what, nndl_error *err);

/* The names of a kind joined by ", " into buf ("sigmoid, tanh, relu"), for messages. */
const char *nndl_names_join(nndl_names kind, char *buf, size_t len);

/* A data set over `images` (count x rows x cols bytes from malloc, taken over whatever happens)
 * and a copy of `labels` (count bytes, each checked to be 0..9). */
int nndl_dataset_adopt(nndl_dataset **out, uint8_t *images, size_t count, int rows, int cols,
                       const uint8_t *labels, nndl_error *err);

/* CRC-32 (IEEE, zlib's and PNG's) of n bytes, continuing from crc (0 to start). */
uint32_t nndl_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif
