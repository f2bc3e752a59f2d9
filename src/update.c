/*
 * update.c — what the gradients of a mini-batch do to the weights: network2.py's update rule
 * with chapter 3's L2 and L1 regularisation and momentum, the divergence check, and the
 * hyper-parameters that govern it (their names and ranges, defined once here). For a mini-batch of m out of a training set of n:
 *   plain SGD   w -> (1 - eta lmbda / n) w - (eta l1 / n) sgn(w) - (eta / m) nabla_w,
 *               b -> b - (eta / m) nabla_b
 *   momentum    v -> mu v - (eta lmbda / n) w - (eta l1 / n) sgn(w) - (eta / m) nabla_w, w -> w + v
 * The fused step (an optimisation): training does not write nabla_w of a fully connected layer
 * out and read it back; the kernel adds -(eta / m) delta^T a^{l-1} (BP4) to the weights as it
 * computes it (plain SGD's L2 decay with it), so the weights are read and written once per
 * mini-batch instead of three times.
 * nndl_network_backprop() + nndl_network_sgd_step() is the same step unfused: the tests check
 * that the two agree. Not here: computing the gradients (pass.c and the layers).
 */
#include "internal.h"
#include "network_internal.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

nndl_hyper nndl_hyper_default(void) { return (nndl_hyper){.mini_batch_size = 10, .eta = 3.0f}; }

/* The fields of nndl_hyper: their names (the one spelling of the CLI, the URL and JavaScript),
 * what they are, and their ranges (hi_open: hi itself is out). The one whole-number field, the
 * mini-batch size, is a uint32_t; the rest are floats. */
typedef struct hyper_field {
    const char *name, *what;
    size_t offset;
    double lo, hi;
    int hi_open, whole;
} hyper_field;

#define F(field, what, lo, hi, open) {#field, what, offsetof(nndl_hyper, field), lo, hi, open, 0}
static const hyper_field FIELDS[] = {
    {"mini_batch_size", "the mini-batch size", offsetof(nndl_hyper, mini_batch_size), 1, 4294967295.0, 0, 1},
    F(eta, "the learning rate", 0, FLT_MAX, 0),
    F(lmbda, "L2 regularisation", 0, 1e9, 0),
    F(l1, "L1 regularisation", 0, 1e9, 0),
    F(mu, "momentum", 0, 1, 1),
    F(dropout, "the probability of dropping a neuron", 0, 1, 1),
    F(rotate, "random rotation (degrees)", 0, 180, 0),
    F(shift, "random shift (pixels)", 0, 14, 0),
    F(shear, "random slant (x += s (y - centre), |s| up to this)", 0, 1, 0),
    F(elastic, "elastic distortion (alpha, pixels)", 0, 100, 0),
};
#undef F
enum { NUM_FIELDS = sizeof FIELDS / sizeof FIELDS[0] };

static const hyper_field *field_named(const char *name) {
    for (int i = 0; name && i < NUM_FIELDS; i++)
        if (!strcmp(FIELDS[i].name, name)) return &FIELDS[i];
    return NULL;
}

static double value_of(const nndl_hyper *h, const hyper_field *f) {
    const char *at = (const char *)h + f->offset;
    return f->whole ? (double)*(const uint32_t *)(const void *)at : (double)*(const float *)(const void *)at;
}

static int check_field(const hyper_field *f, double v, nndl_error *err) {
    if (!(v >= f->lo && (f->hi_open ? v < f->hi : v <= f->hi)) || (f->whole && v != floor(v)))
        return nndl_fail(err, NNDL_E_INVALID, "%s (%s) must be a%s number from %g to %g%s, got %g", f->name, f->what,
                         f->whole ? " whole" : "", f->lo, f->hi, f->hi_open ? " (not included)" : "", v);
    return NNDL_OK;
}

const char *nndl_hyper_name(int i) { return i >= 0 && i < NUM_FIELDS ? FIELDS[i].name : NULL; }

double nndl_hyper_get(const nndl_hyper *h, const char *name) {
    const hyper_field *f = field_named(name);
    nndl_hyper defaults = nndl_hyper_default();
    return f ? value_of(h ? h : &defaults, f) : NAN;
}

int nndl_hyper_set(nndl_hyper *h, const char *name, double value, nndl_error *err) {
    const hyper_field *f = field_named(name);
    if (!h) return nndl_fail(err, NNDL_E_INVALID, "no hyper-parameters given");
    if (!f) return nndl_fail(err, NNDL_E_INVALID, "'%.40s' is not a hyper-parameter", name ? name : "");
    int status = check_field(f, value, err);
    if (status != NNDL_OK) return status;
    char *at = (char *)h + f->offset;
    if (f->whole) *(uint32_t *)(void *)at = (uint32_t)value;
    else *(float *)(void *)at = (float)value;
    return nndl_ok(err);
}

/* Every field of h but the mini-batch size, which sgd_step does not use (nndl_hyper_check checks
 * it against the training set). */
static int check_update_rule(const nndl_hyper *h, nndl_error *err) {
    if (!h) return nndl_fail(err, NNDL_E_INVALID, "no hyper-parameters given");
    for (int i = 0; i < NUM_FIELDS; i++) {
        if (FIELDS[i].offset == offsetof(nndl_hyper, mini_batch_size)) continue;
        int status = check_field(&FIELDS[i], value_of(h, &FIELDS[i]), err);
        if (status != NNDL_OK) return status;
    }
    return NNDL_OK;
}

int nndl_hyper_check(const nndl_hyper *h, size_t n, nndl_error *err) {
    if (h && (h->mini_batch_size == 0 || h->mini_batch_size > n))
        return nndl_fail(err, NNDL_E_INVALID, "mini_batch_size (the mini-batch size) must be 1 to %zu (the training set), got %u",
                         n, (unsigned)h->mini_batch_size);
    return check_update_rule(h, err);
}

int nndl_diverged(float eta, nndl_error *err) {
    return nndl_fail(err, NNDL_E_DIVERGED,
                     "training diverged: with eta = %g a weight went past %g (or became NaN); try a smaller learning rate",
                     (double)eta, (double)NNDL_MAX_WEIGHT);
}

int nndl_ensure_velocity(nndl_network *net, const nndl_hyper *h, nndl_error *err) {
    if (h->mu == 0.0f || net->velocity) return NNDL_OK;
    net->velocity = nndl_zalloc(net->num_params * sizeof(float), "the velocities", err);
    return net->velocity ? NNDL_OK : NNDL_E_NOMEM;
}

/* L2's decay of the weights in a step, eta lmbda / n: plain SGD multiplies them by 1 minus it. */
static float decay_of(const nndl_hyper *h, size_t n) { return h->eta * h->lmbda / (float)n; }

/* The regularisation and momentum part of the update of layer l's weights, before the gradient
 * term -(eta/m) nabla_w is added to what it returns: the weights themselves for plain SGD, the
 * velocities with momentum (w += v comes after). */
static float *regularise(nndl_network *net, int l, const nndl_hyper *h, size_t n) {
    size_t count = net->w_rows[l] * net->w_cols[l];
    float *w = net->params + net->w_off[l];
    float decay = decay_of(h, n), l1 = h->eta * h->l1 / (float)n;
    float *v = h->mu > 0.0f ? net->velocity + net->w_off[l] : NULL;
    if (!v) {
        if (decay != 0.0f)
            for (size_t i = 0; i < count; i++) w[i] *= 1.0f - decay;
        if (l1 != 0.0f)
            for (size_t i = 0; i < count; i++) w[i] -= w[i] > 0.0f ? l1 : w[i] < 0.0f ? -l1 : 0.0f;
        return w;
    }
    for (size_t i = 0; i < count; i++)
        v[i] = h->mu * v[i] - decay * w[i] - (w[i] > 0.0f ? l1 : w[i] < 0.0f ? -l1 : 0.0f);
    return v;
}

int nndl_update_layer(nndl_network *net, int l, const nndl_hyper *h, size_t m, size_t n, const float *nabla_w,
                      const float *nabla_b, const float *delta, const float *a_in) {
    size_t rows = net->w_rows[l], cols = net->w_cols[l];
    float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    float step = -h->eta / (float)m;
    /* plain SGD's L2 decay rides along the fused step (one pass over the weights, and shared by
     * the threads as the step is); anything else is a pass of its own first */
    int fold = !nabla_w && !(h->mu > 0.0f) && h->l1 == 0.0f;
    float *target = fold ? w : regularise(net, l, h, n), keep = fold ? 1.0f - decay_of(h, n) : 1.0f;
    /* velocities may grow large before they settle; only the parameters have a limit */
    float limit = target == w ? NNDL_MAX_WEIGHT : 1e18f;
    int within = nabla_w ? nndl_axpy_bounded(target, nabla_w, step, rows * cols, limit)
                         : nndl_gemm_tn_update(target, delta, a_in, rows, cols, m, step, keep, limit); /* fused BP4 */
    if (target != w) {
        within &= nndl_axpy_bounded(w, target, 1.0f, rows * cols, NNDL_MAX_WEIGHT);
        float *vb = net->velocity + net->b_off[l];
        for (size_t j = 0; j < rows; j++) vb[j] *= h->mu;
        nndl_axpy(vb, nabla_b, step, rows);
        return nndl_axpy_bounded(b, vb, 1.0f, rows, NNDL_MAX_WEIGHT) && within;
    }
    return nndl_axpy_bounded(b, nabla_b, step, rows, NNDL_MAX_WEIGHT) && within;
}

int nndl_network_sgd_step(nndl_network *net, const nndl_hyper *h, size_t m, size_t n, nndl_error *err) {
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "no network given");
    if (m == 0 || n == 0) return nndl_fail(err, NNDL_E_INVALID, "the batch and the training set need examples");
    int status = check_update_rule(h, err); /* m is given: h's mini-batch size plays no part */
    if (status == NNDL_OK) status = nndl_ensure_velocity(net, h, err);
    if (status != NNDL_OK) return status;
    int within = 1;
    for (int l = 1; l < net->spec.num_layers; l++)
        if (net->w_rows[l])
            within &= nndl_update_layer(net, l, h, m, n, net->grads + net->w_off[l], net->grads + net->b_off[l], NULL, NULL);
    return within ? nndl_ok(err) : nndl_diverged(h->eta, err);
}
