/*
 * test_conv.c — chapter 6's layers: convolution by im2col and a matrix product equals the
 * direct formula on odd sizes in both input layouts; col2im gives the input gradient (finite
 * differences of the direct formula); backpropagation through convolutional and max-pooling
 * layers (weights, biases, and through them every input gradient) against finite differences
 * of an independent double-precision forward pass, with and without dropout; the layer string
 * read and written; impossible specs refused; a convolutional network learns synthetic data.
 * Tolerances as in test_backprop.c: relative error < 1e-4 above a floor of 1e-3 x the largest
 * finite difference.
 */
#include "check.h"
#include "kernels.h"
#include "nndl.h"
#include "reference.h"
#include "rng.h"
#include "synthetic.h"

#include <math.h>
#include <stdlib.h>

static void fill(float *v, size_t n, nndl_rng *rng) {
    for (size_t i = 0; i < n; i++) v[i] = (float)(2.0 * nndl_rng_uniform(rng) - 1.0);
}

/* sum_o g_o conv(in)_o by the direct formula, in double. */
static double weighted_conv(const double *in, const float *w, const float *g, int F, const nndl_conv_shape *s) {
    int out_rows = s->rows - s->fr + 1, out_cols = s->cols - s->fc + 1;
    double sum = 0;
    for (int f = 0; f < F; f++)
        for (size_t n = 0; n < s->m; n++)
            for (int y = 0; y < out_rows; y++)
                for (int x = 0; x < out_cols; x++, g++)
                    for (int c = 0; c < s->maps; c++)
                        for (int i = 0; i < s->fr; i++)
                            for (int j = 0; j < s->fc; j++)
                                sum += *g * (double)w[((f * s->maps + c) * s->fr + i) * s->fc + j] *
                                       in[c * s->map_stride + n * s->example_stride + (size_t)(y + i) * s->cols + (size_t)(x + j)];
    return sum;
}

/* im2col + gemm against nndl_conv_ref, and col2im against finite differences of the direct
 * formula: d/d in of sum_o g_o conv(in)_o is col2im(w^T g). */
static void test_im2col(void) {
    nndl_rng rng;
    nndl_rng_seed(&rng, 7);
    const int maps = 3, rows = 7, cols = 9, fr = 3, fc = 4, F = 5;
    const size_t m = 2, plane = (size_t)rows * cols, K = (size_t)maps * fr * fc;
    const size_t P = (size_t)(rows - fr + 1) * (cols - fc + 1), M = m * P, n_in = m * maps * plane;
    float *in = malloc(n_in * sizeof(float)), *w = malloc(F * K * sizeof(float)), b[5];
    float *cols_ = malloc(K * M * sizeof(float)), *got = malloc(F * M * sizeof(float)), *want = malloc(F * M * sizeof(float));
    fill(in, n_in, &rng);
    fill(w, F * K, &rng);
    fill(b, F, &rng);
    for (int layout = 0; layout < 2; layout++) { /* maps outermost, then examples outermost */
        nndl_conv_shape s = {layout ? plane : m * plane, layout ? maps * plane : plane, m, maps, rows, cols, fr, fc};
        nndl_im2col(cols_, in, &s);
        for (int f = 0; f < F; f++)
            for (size_t i = 0; i < M; i++) got[f * M + i] = b[f];
        nndl_gemm_nn(got, w, cols_, F, M, K, 1);
        nndl_conv_ref(want, in, w, b, F, &s);
        double worst = 0;
        for (size_t i = 0; i < F * M; i++) worst = fmax(worst, fabs(got[i] - want[i]));
        CHECK(worst < 1e-5, "layout %d: im2col convolution differs from the direct one by %g", layout, worst);

        /* the input gradient */
        float *g = malloc(F * M * sizeof(float)), *dcols = malloc(K * M * sizeof(float)), *din = calloc(n_in, sizeof(float));
        fill(g, F * M, &rng);
        nndl_gemm_tn(dcols, w, g, K, M, (size_t)F, 0);
        nndl_col2im(din, dcols, &s);
        double top = 0, worst_rel = 0;
        double *fd = malloc(n_in * sizeof(double)), *x = malloc(n_in * sizeof(double));
        for (size_t i = 0; i < n_in; i++) x[i] = in[i];
        for (size_t i = 0; i < n_in; i++) {
            double keep = x[i];
            x[i] = keep + 1e-6;
            double up = weighted_conv(x, w, g, F, &s);
            x[i] = keep - 1e-6;
            double down = weighted_conv(x, w, g, F, &s);
            x[i] = keep;
            fd[i] = (up - down) / 2e-6;
            top = fmax(top, fabs(fd[i]));
        }
        free(x);
        for (size_t i = 0; i < n_in; i++)
            worst_rel = fmax(worst_rel, fabs(din[i] - fd[i]) / fmax(fmax(fabs(din[i]), fabs(fd[i])), 1e-3 * top));
        CHECK(worst_rel < 1e-4, "layout %d: col2im input gradient off by a relative %g", layout, worst_rel);
        free(g), free(dcols), free(din), free(fd);
    }
    free(in), free(w), free(cols_), free(got), free(want);
}

/* ---------------------------------------------------------------- backpropagation */

static problem make_problem(const char *layers, int rows, int cols, nndl_activation hidden, size_t m, uint64_t seed) {
    problem q = {0};
    nndl_error err;
    CHECK(nndl_spec_parse(&q.spec, layers, rows, cols, hidden, &err) == NNDL_OK, "%s: %s", layers, err.message);
    CHECK(nndl_network_create_spec(&q.net, &q.spec, seed, &err) == NNDL_OK, "%s", err.message);
    q.m = m;
    q.np = nndl_network_num_params(q.net);
    nndl_rng rng;
    nndl_rng_seed(&rng, seed + 100);
    size_t n0 = (size_t)rows * (size_t)cols;
    q.x = malloc(m * n0 * sizeof(float));
    q.y = malloc(m);
    for (size_t i = 0; i < m * n0; i++) q.x[i] = (float)nndl_rng_uniform(&rng);
    for (size_t i = 0; i < m; i++) q.y[i] = (uint8_t)nndl_rng_below(&rng, 10);
    return q;
}

static void gradient_check(const char *layers, int rows, int cols, nndl_activation hidden, size_t m, float dropout) {
    problem q = make_problem(layers, rows, cols, hidden, m, 11);
    nndl_error err;
    double cost;
    CHECK(nndl_network_backprop(q.net, q.x, q.y, m, dropout, &cost, &err) == NNDL_OK, "%s", err.message);
    for (int l = 1; l < q.spec.num_layers; l++) q.masks[l] = nndl_network_dropout_mask(q.net, l);
    q.keep = 1.0 / (1.0 - (double)dropout);
    const float *params = nndl_network_params(q.net), *grads = nndl_network_grads(q.net);
    double *p = malloc(q.np * sizeof(double));
    for (size_t i = 0; i < q.np; i++) p[i] = params[i];
    double ref = reference_cost(&q, p);
    free(p);
    CHECK(fabs(cost - ref) <= 1e-5 * fabs(ref), "%s: cost %.9g vs reference %.9g", layers, cost, ref);
    double *fd = finite_differences(&q, 0, 0, 0);
    size_t at = 0;
    double worst = worst_error(grads, fd, q.np, &at);
    printf("gradient check %s (%s, dropout %g): %zu parameters, worst relative error %.2e\n", layers,
           nndl_name(NNDL_NAMES_ACTIVATION, (int)(hidden)), (double)dropout, q.np, worst);
    CHECK(worst < 1e-4, "%s: parameter %zu has backprop %.9g, finite difference %.9g (relative error %.2e)", layers, at,
          grads[at], fd[at], worst);
    if (dropout > 0) {
        int masked = 0;
        for (int l = 1; l < q.spec.num_layers; l++) masked += q.masks[l] != NULL;
        CHECK(masked > 0, "%s: no dropout mask", layers);
    }
    free(fd), free(q.x), free(q.y);
    nndl_network_free(q.net);
}

static void test_gradients(void) {
    /* two convolutional layers, the second's input gradient checked through the first's
     * weights; 7 / 2 leaves a row and a column outside the pooling blocks */
    gradient_check("conv3x3x3-pool2-conv4x2x2-fc6-softmax10", 9, 9, NNDL_SIGMOID, 3, 0.0f);
    gradient_check("conv3x3x3-pool2-conv4x2x2-fc6-softmax10", 9, 9, NNDL_TANH, 3, 0.0f);
    gradient_check("conv2x2x3:tanh-conv3x3x2-pool2x1-fc5:sigmoid-softmax10", 8, 7, NNDL_RELU, 2, 0.0f);
    gradient_check("conv3x3x3-pool2-fc6-fc6-softmax10", 9, 9, NNDL_TANH, 3, 0.4f);
    gradient_check("conv2x4x4-pool3-softmax10", 10, 11, NNDL_SIGMOID, 2, 0.3f);
}

/* ------------------------------------------------------------------- the layer string */

static void test_spec_strings(void) {
    nndl_spec s;
    nndl_error err;
    char text[256];
    CHECK(nndl_spec_parse(&s, "conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10", 28, 28, NNDL_RELU, &err) == NNDL_OK,
          "%s", err.message);
    CHECK(s.num_layers == 7 && s.sizes[1] == 20 * 24 * 24 && s.sizes[2] == 20 * 12 * 12 && s.sizes[3] == 40 * 8 * 8 &&
              s.sizes[4] == 640 && s.sizes[5] == 100 && s.sizes[6] == 10,
          "network3's shapes");
    CHECK(s.cost == NNDL_LOG_LIKELIHOOD && s.init == NNDL_INIT_SCALED && s.activation[1] == NNDL_RELU &&
              s.activation[6] == NNDL_SOFTMAX, "defaults");
    nndl_spec_format(&s, text, sizeof text);
    CHECK(!strcmp(text, "conv20x5x5:relu-pool2-conv40x5x5:relu-pool2-fc100:relu-softmax10"), "format: %s", text);
    nndl_spec back;
    CHECK(nndl_spec_parse(&back, text, 28, 28, NNDL_SIGMOID, &err) == NNDL_OK && !memcmp(&back, &s, sizeof s),
          "format then parse gives the same spec");
    nndl_network *net;
    CHECK(nndl_network_create_spec(&net, &s, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_num_params(net) == 20 * 26 + 40 * 501 + 100 * 641 + 10 * 101, "parameters: %zu",
          nndl_network_num_params(net));
    CHECK(nndl_network_weights_offset(net, 2) == nndl_network_weights_offset(net, 3), "a pooling layer has no weights");
    nndl_network_free(net);

    CHECK(nndl_spec_parse(&s, "conv6x3:tanh-pool2x3-relu30-fc10", 9, 9, NNDL_SIGMOID, &err) == NNDL_OK, "%s", err.message);
    CHECK(s.field_rows[1] == 3 && s.field_cols[1] == 3 && s.rows[2] == 3 && s.cols[2] == 2 && s.activation[3] == NNDL_RELU &&
              s.activation[4] == NNDL_SIGMOID && s.cost == NNDL_QUADRATIC, "short forms");
    nndl_spec_format(&s, text, sizeof text);
    CHECK(!strcmp(text, "conv6x3x3:tanh-pool2x3-fc30:relu-fc10:sigmoid"), "format: %s", text);
    CHECK(nndl_spec_format(&s, text, 5) == strlen("conv6x3x3:tanh-pool2x3-fc30:relu-fc10:sigmoid") && !strcmp(text, "conv"),
          "format truncates like snprintf: %s", text);

    struct { const char *layers, *why; } bad[] = {
        {"conv20x5x5-pool2-fc100-conv3x3-softmax10", "after a fully connected"},
        {"fc30-pool2-softmax10", "after a fully connected"},
        {"conv20x29x5-softmax10", "does not fit"},
        {"conv20x5x5-pool25-softmax10", "does not fit"},
        {"conv20x5x5-pool2", "must be fully connected"},
        {"conv20x5x5-softmax10-fc10", "softmax is for the output layer only"},
        {"conv70000x5x5-softmax10", "is not one of"},
        {"conv20x5x5x5-softmax10", "is not one of"},
        {"conv20-softmax10", "is not one of"},
        {"pool2:relu-softmax10", "is not one of"},
        {"fc30:softmax-fc10", "unknown activation"},
        {"fc30:swish-fc10", "unknown activation"},
        {"fc30--fc10", "is not one of"},
        {"", "is not one of"},
        {"fc-10", "is not one of"},
        {"conv1000x5x5-conv1000x5x5-softmax10", "neurons"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int status = nndl_spec_parse(&s, bad[i].layers, 28, 28, NNDL_SIGMOID, &err);
        CHECK_ERROR(status, NNDL_E_INVALID, err, bad[i].why);
    }
    CHECK_ERROR(nndl_spec_parse(&s, "fc10", 0, 28, NNDL_SIGMOID, &err), NNDL_E_INVALID, err, "impossible");
}

/* A convolutional network learns: synthetic 8 x 8 digits (tests/c/synthetic.h) from chance to
 * nearly all right, and a model file round trip keeps its answers. */
static void test_learning(void) {
    nndl_error err;
    nndl_dataset *data = make_dataset(500, 8, 8, 3);
    nndl_spec s;
    CHECK(nndl_spec_parse(&s, "conv8x3x3-pool2-fc30-softmax10", nndl_dataset_rows(data), nndl_dataset_cols(data), NNDL_RELU,
                          &err) == NNDL_OK, "%s", err.message);
    nndl_network *net;
    CHECK(nndl_network_create_spec(&net, &s, 3, &err) == NNDL_OK, "%s", err.message);
    size_t before = 0, after = 0, loaded = 0;
    nndl_network_evaluate(net, NULL, data, &before, &err);
    nndl_hyper h = nndl_hyper_default();
    h.eta = 0.1f;
    for (int epoch = 0; epoch < 10; epoch++)
        CHECK(nndl_network_train_epoch(net, data, &h, NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_evaluate(net, NULL, data, &after, &err) == NNDL_OK, "%s", err.message);
    printf("convolutional network on synthetic data: %zu / 500 before, %zu / 500 after 10 epochs\n", before, after);
    CHECK(before < 150 && after >= 480, "learning: %zu then %zu of 500", before, after);
    size_t len = nndl_network_saved_size(net);
    uint8_t *buf = malloc(len);
    nndl_network *back;
    CHECK(nndl_network_save(net, buf, len, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_load(&back, buf, len, 1, &err) == NNDL_OK, "%s", err.message);
    nndl_network_evaluate(back, NULL, data, &loaded, &err);
    nndl_spec got;
    nndl_network_get_spec(back, &got);
    CHECK(loaded == after && !memcmp(&got, &s, sizeof s), "after a round trip: %zu right", loaded);
    nndl_network_free(back);
    /* every truncation is refused whole */
    int refused = 1;
    for (size_t cut = 0; cut < len; cut += 97) refused &= nndl_network_load(&back, buf, cut, 1, NULL) == NNDL_E_FORMAT;
    CHECK(refused, "a truncated convolutional model loaded");
    buf[12 + 4 * 2 * (size_t)s.num_layers + 4 * 2] ^= 1; /* a layer's kind, after sizes and activations */
    CHECK_ERROR(nndl_network_load(&back, buf, len, 1, &err), NNDL_E_FORMAT, err, "corrupted");
    free(buf);
    nndl_network_free(net);
    nndl_dataset_free(data);
}

int main(void) {
    test_im2col();
    test_gradients();
    test_spec_strings();
    test_learning();
    return check_report("test_conv");
}
