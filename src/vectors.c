/*
 * vectors.c — the kernels of single vectors, SIMD beside their scalar twins (kernels.h): the dot
 * product, y += alpha x and its bounded form (how training notices divergence), and pixels to
 * [0, 1]. Not here: the matrix products (kernels.c).
 */
#include "kernels.h"

#include "simd.h"

int nndl_simd_width(void) { return NNDL_VW; }

float nndl_dot(const float *a, const float *b, size_t n) {
    nndl_vf s0 = {0}, s1 = {0};
    size_t i = 0;
    for (; i + 2 * NNDL_VW <= n; i += 2 * NNDL_VW) {
        s0 = nndl_vfma(nndl_vload(a + i), nndl_vload(b + i), s0);
        s1 = nndl_vfma(nndl_vload(a + i + NNDL_VW), nndl_vload(b + i + NNDL_VW), s1);
    }
    for (; i + NNDL_VW <= n; i += NNDL_VW) s0 = nndl_vfma(nndl_vload(a + i), nndl_vload(b + i), s0);
    float s = nndl_vsum(s0 + s1);
    for (; i < n; i++) s = nndl_fma(a[i], b[i], s);
    return s;
}

float nndl_dot_ref(const float *a, const float *b, size_t n) {
    float s = 0.0f;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void nndl_axpy(float *y, const float *x, float alpha, size_t n) {
    nndl_vf va = nndl_vsplat(alpha);
    size_t i = 0;
    for (; i + NNDL_VW <= n; i += NNDL_VW)
        nndl_vstore(y + i, nndl_vfma(va, nndl_vload(x + i), nndl_vload(y + i)));
    for (; i < n; i++) y[i] = nndl_fma(alpha, x[i], y[i]);
}

void nndl_axpy_ref(float *y, const float *x, float alpha, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

int nndl_axpy_bounded(float *y, const float *x, float alpha, size_t n, float limit) {
    /* v * v <= limit^2 is false for |v| > limit, an infinity and a NaN alike. */
    nndl_vf va = nndl_vsplat(alpha), lim2 = nndl_vsplat(limit * limit);
    nndl_vi ok = lim2 == lim2;
    size_t i = 0;
    for (; i + NNDL_VW <= n; i += NNDL_VW) {
        nndl_vf v = nndl_vfma(va, nndl_vload(x + i), nndl_vload(y + i));
        nndl_vstore(y + i, v);
        ok &= v * v <= lim2;
    }
    int tail_ok = 1;
    for (; i < n; i++) {
        y[i] = nndl_fma(alpha, x[i], y[i]);
        tail_ok &= y[i] * y[i] <= limit * limit;
    }
    return nndl_vall(ok) && tail_ok;
}

void nndl_bytes_to_unit(float *out, const uint8_t *in, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)in[i] / 255.0f;
}
