/*
 * rng.h — the seeded random generator every network owns (xoshiro256** seeded by splitmix64).
 * Same seed, same numbers, bit for bit, natively and in WebAssembly: only integer arithmetic
 * and IEEE-exact double operations (+ - * / sqrt) are used, never libm's log/cos, rand() or
 * global state. Not a cryptographic generator.
 */
#ifndef NNDL_RNG_H
#define NNDL_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct nndl_rng {
    uint64_t s[4];
    double spare; /* the polar method makes normals in pairs; the second waits here */
    int has_spare;
} nndl_rng;

void nndl_rng_seed(nndl_rng *rng, uint64_t seed);
uint64_t nndl_rng_u64(nndl_rng *rng);
/* Uniform in [0, 1) with 53 random bits. */
double nndl_rng_uniform(nndl_rng *rng);
/* Uniform integer in [0, bound), without modulo bias; bound > 0. */
uint64_t nndl_rng_below(nndl_rng *rng, uint64_t bound);
/* Standard normal N(0, 1) (Marsaglia's polar method). */
double nndl_rng_normal(nndl_rng *rng);
/* Fisher-Yates shuffle of idx[0..n). */
void nndl_rng_shuffle(nndl_rng *rng, size_t *idx, size_t n);

/* Natural logarithm of x > 0 from IEEE-exact operations only, so it is the same on every
 * platform (libm's log may differ in the last bit between glibc and musl). Exposed for tests. */
double nndl_portable_log(double x);

#endif
