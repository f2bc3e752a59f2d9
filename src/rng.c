/*
 * rng.c — xoshiro256** (Blackman & Vigna) seeded by splitmix64, with uniform, bounded-integer,
 * normal and shuffle draws that give the same bits on every platform.
 * Compiled with -ffp-contract=off (see CMakeLists.txt): a fused multiply-add on one platform and
 * not on another would break bit-identical weights.
 */
#include "rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void nndl_rng_seed(nndl_rng *rng, uint64_t seed) {
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&seed);
    rng->spare = 0.0;
    rng->has_spare = 0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t nndl_rng_u64(nndl_rng *rng) {
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double nndl_rng_uniform(nndl_rng *rng) {
    return (double)(nndl_rng_u64(rng) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t nndl_rng_below(nndl_rng *rng, uint64_t bound) {
    /* Reject the top partial range so that every value is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do x = nndl_rng_u64(rng);
    while (x >= limit);
    return x % bound;
}

double nndl_portable_log(double x) {
    /* x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln x = e ln 2 + 2 atanh(t), t = (m-1)/(m+1),
     * |t| < 0.172, so 2 (t + t^3/3 + ... + t^47/47) is exact to double precision. */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int e = (int)((bits >> 52) & 0x7FF) - 1023;
    bits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull; /* m in [1, 2) */
    double m;
    memcpy(&m, &bits, sizeof m);
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e += 1;
    }
    double t = (m - 1.0) / (m + 1.0), t2 = t * t, term = t, sum = 0.0;
    for (int k = 1; k <= 47; k += 2) {
        sum += term / k;
        term *= t2;
    }
    return e * 0.6931471805599453 + 2.0 * sum;
}

double nndl_rng_normal(nndl_rng *rng) {
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * nndl_rng_uniform(rng) - 1.0;
        v = 2.0 * nndl_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * nndl_portable_log(s) / s);
    rng->spare = v * f;
    rng->has_spare = 1;
    return u * f;
}

void nndl_rng_shuffle(nndl_rng *rng, size_t *idx, size_t n) {
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)nndl_rng_below(rng, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
