/*
 * spec.c — what a network is: the layer string of chapter 6 ("conv20x5x5-pool2-fc100-softmax10")
 * read and written, the fully connected networks of chapters 1 to 5, and the check that
 * completes a spec's shapes and refuses impossible networks with a message saying which layer.
 * The one grammar of networks: the CLI, the model file and the page all come here. Then the
 * geometry of a completed spec that the pass and its layers read (which layers feed a fully
 * connected one, where a convolution's input lies). Not here: the names of the choices
 * (names.c); making or training a network (network.c).
 */
#include "internal.h"
#include "network_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *activation_name(nndl_activation a) {
    const char *name = nndl_name(NNDL_NAMES_ACTIVATION, (int)a);
    return name ? name : "unknown";
}

static int check_layer_count(int num_layers, nndl_error *err) {
    if (num_layers < 2 || num_layers > NNDL_MAX_LAYERS)
        return nndl_fail(err, NNDL_E_INVALID,
                         "a network needs 2 to %d layers (input and output at least), got %d",
                         NNDL_MAX_LAYERS, num_layers);
    return NNDL_OK;
}

/* An activation that hidden layers may have (softmax is the output's only). */
static int check_hidden(nndl_activation hidden, nndl_error *err) {
    const char *name = nndl_name(NNDL_NAMES_HIDDEN, (int)hidden);
    char names[128];
    if (!name || !*name)
        return nndl_fail(err, NNDL_E_INVALID, "the hidden activation must be one of %s",
                         nndl_names_join(NNDL_NAMES_HIDDEN, names, sizeof names));
    return NNDL_OK;
}

int nndl_spec_fully_connected(nndl_spec *spec, const int *sizes, int num_layers, nndl_activation hidden,
                              nndl_cost cost, nndl_error *err) {
    if (!spec || !sizes) return nndl_fail(err, NNDL_E_INVALID, "no layer sizes given");
    int status = check_layer_count(num_layers, err);
    if (status != NNDL_OK) return status;
    status = check_hidden(hidden, err);
    if (status != NNDL_OK) return status;
    if (!nndl_name(NNDL_NAMES_COST, (int)cost)) return nndl_fail(err, NNDL_E_INVALID, "unknown cost (%d)", (int)cost);
    nndl_spec s;
    memset(&s, 0, sizeof s);
    s.num_layers = num_layers;
    for (int l = 0; l < num_layers; l++) {
        s.sizes[l] = sizes[l];
        s.activation[l] = hidden;
    }
    /* the output goes with the cost: softmax for log-likelihood, sigmoid otherwise */
    s.activation[num_layers - 1] = cost == NNDL_LOG_LIKELIHOOD ? NNDL_SOFTMAX : NNDL_SIGMOID;
    s.cost = cost;
    s.init = NNDL_INIT_LARGE;
    status = nndl_spec_complete(&s, err);
    if (status != NNDL_OK) return status;
    *spec = s;
    return nndl_ok(err);
}

int nndl_spec_check(const nndl_spec *spec, nndl_error *err) {
    if (!spec) return nndl_fail(err, NNDL_E_INVALID, "no network spec given");
    nndl_spec copy = *spec;
    int status = nndl_spec_complete(&copy, err);
    return status == NNDL_OK ? nndl_ok(err) : status;
}

/* --------------------------------------------------------------------- completing a spec */

static int in_range(long long v) { return v >= 1 && v <= NNDL_MAX_LAYER_SIZE; }

/* Sets layer l's shape to maps x rows x cols, refusing a layer over NNDL_MAX_LAYER_SIZE and a
 * size that disagrees with one the caller gave. */
static int set_shape(nndl_spec *s, int l, long long maps, long long rows, long long cols, nndl_error *err) {
    long long n = maps * rows * cols;
    if (!in_range(maps) || !in_range(rows) || !in_range(cols) || !in_range(n))
        return nndl_fail(err, NNDL_E_INVALID, "layer %d would be %lld x %lld x %lld = %lld neurons; 1 to %d are possible",
                         l, maps, rows, cols, n, NNDL_MAX_LAYER_SIZE);
    if (s->sizes[l] != 0 && s->sizes[l] != n)
        return nndl_fail(err, NNDL_E_INVALID, "layer %d has %d neurons but its shape %lld x %lld x %lld gives %lld",
                         l, s->sizes[l], maps, rows, cols, n);
    s->sizes[l] = (int)n, s->maps[l] = (int)maps, s->rows[l] = (int)rows, s->cols[l] = (int)cols;
    return NNDL_OK;
}

/* The input layer: an image of maps x rows x cols, or (all three 0) a flat vector of sizes[0]. */
static int complete_input(nndl_spec *s, nndl_error *err) {
    if (!s->maps[0] && !s->rows[0] && !s->cols[0]) {
        if (!in_range(s->sizes[0]))
            return nndl_fail(err, NNDL_E_INVALID, "layer 0 has %d neurons; sizes must be 1 to %d", s->sizes[0], NNDL_MAX_LAYER_SIZE);
        s->maps[0] = s->sizes[0], s->rows[0] = s->cols[0] = 1;
        return NNDL_OK;
    }
    return set_shape(s, 0, s->maps[0], s->rows[0], s->cols[0], err);
}

/* A receptive field or pooling block of layer l against the maps of layer l - 1. */
static int check_field(const nndl_spec *s, int l, const char *what, nndl_error *err) {
    int r = s->field_rows[l], c = s->field_cols[l];
    if (r < 1 || c < 1 || r > s->rows[l - 1] || c > s->cols[l - 1])
        return nndl_fail(err, NNDL_E_INVALID, "layer %d's %s of %d x %d does not fit its input of %d x %d", l, what, r, c,
                         s->rows[l - 1], s->cols[l - 1]);
    return NNDL_OK;
}

static int complete_layer(nndl_spec *s, int l, nndl_error *err) {
    int status;
    switch (s->kind[l]) {
    case NNDL_FULL:
        s->field_rows[l] = s->field_cols[l] = 0;
        if (!in_range(s->sizes[l]))
            return nndl_fail(err, NNDL_E_INVALID, "layer %d has %d neurons; sizes must be 1 to %d", l, s->sizes[l], NNDL_MAX_LAYER_SIZE);
        return set_shape(s, l, s->sizes[l], 1, 1, err);
    case NNDL_CONV:
        if (l > 1 && s->kind[l - 1] == NNDL_FULL)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d is convolutional after a fully connected layer; convolutional and pooling layers come first", l);
        if ((status = check_field(s, l, "local receptive field", err)) != NNDL_OK) return status;
        if (!in_range((long long)s->maps[l - 1] * s->field_rows[l] * s->field_cols[l]))
            return nndl_fail(err, NNDL_E_INVALID, "layer %d's neurons would each have %lld inputs; 1 to %d are possible", l,
                             (long long)s->maps[l - 1] * s->field_rows[l] * s->field_cols[l], NNDL_MAX_LAYER_SIZE);
        return set_shape(s, l, s->maps[l], s->rows[l - 1] - s->field_rows[l] + 1, s->cols[l - 1] - s->field_cols[l] + 1, err);
    case NNDL_POOL:
        if (l > 1 && s->kind[l - 1] == NNDL_FULL)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d is a pooling layer after a fully connected layer; convolutional and pooling layers come first", l);
        if ((status = check_field(s, l, "pooling block", err)) != NNDL_OK) return status;
        s->activation[l] = NNDL_SIGMOID; /* unused: max-pooling has no activation */
        return set_shape(s, l, s->maps[l - 1], s->rows[l - 1] / s->field_rows[l], s->cols[l - 1] / s->field_cols[l], err);
    default:
        return nndl_fail(err, NNDL_E_INVALID, "layer %d is of an unknown kind (%d)", l, (int)s->kind[l]);
    }
}

int nndl_spec_complete(nndl_spec *s, nndl_error *err) {
    if (!s) return nndl_fail(err, NNDL_E_INVALID, "no network spec given");
    int L = s->num_layers - 1, status = check_layer_count(s->num_layers, err);
    if (status == NNDL_OK) status = complete_input(s, err);
    for (int l = 1; status == NNDL_OK && l <= L; l++) {
        if (!nndl_name(NNDL_NAMES_ACTIVATION, (int)s->activation[l]))
            return nndl_fail(err, NNDL_E_INVALID, "layer %d has an unknown activation (%d)", l, (int)s->activation[l]);
        status = complete_layer(s, l, err);
        if (status == NNDL_OK && s->activation[l] == NNDL_SOFTMAX && (l != L || s->kind[l] != NNDL_FULL))
            return nndl_fail(err, NNDL_E_INVALID, "softmax is for the output layer only, not layer %d", l);
    }
    if (status != NNDL_OK) return status;
    if (s->kind[L] != NNDL_FULL)
        return nndl_fail(err, NNDL_E_INVALID, "the output layer (layer %d) must be fully connected", L);
    if (!nndl_name(NNDL_NAMES_COST, (int)s->cost) || !nndl_name(NNDL_NAMES_INIT, (int)s->init))
        return nndl_fail(err, NNDL_E_INVALID, "unknown cost (%d) or initialisation (%d)", (int)s->cost, (int)s->init);
    nndl_activation out = s->activation[L];
    if ((s->cost == NNDL_LOG_LIKELIHOOD) != (out == NNDL_SOFTMAX))
        return nndl_fail(err, NNDL_E_INVALID, "the log-likelihood cost and a softmax output layer go together (cost %s, output %s)",
                         nndl_name(NNDL_NAMES_COST, (int)s->cost), activation_name(out));
    if (s->cost == NNDL_CROSS_ENTROPY && out != NNDL_SIGMOID)
        return nndl_fail(err, NNDL_E_INVALID, "the cross-entropy cost needs sigmoid outputs (in 0..1), not %s",
                         activation_name(out));
    return NNDL_OK;
}

size_t nndl_spec_weight_rows(const nndl_spec *s, int l) {
    switch (s->kind[l]) {
    case NNDL_FULL: return (size_t)s->sizes[l];
    case NNDL_CONV: return (size_t)s->maps[l];
    default: return 0;
    }
}

size_t nndl_spec_weight_cols(const nndl_spec *s, int l) {
    switch (s->kind[l]) {
    case NNDL_FULL: return (size_t)s->sizes[l - 1];
    case NNDL_CONV: return (size_t)s->maps[l - 1] * (size_t)s->field_rows[l] * (size_t)s->field_cols[l];
    default: return 0;
    }
}

/* ------------------------------------------------ a completed spec's geometry, for the pass */

int nndl_feeds_full(const nndl_spec *s, int l) {
    return l >= 1 && l < s->num_layers - 1 && s->kind[l + 1] == NNDL_FULL;
}

int nndl_is_spatial(const nndl_spec *s, int l) { return l >= 1 && s->kind[l] != NNDL_FULL; }

int nndl_has_activation(const nndl_spec *s, int l) { return l >= 1 && s->kind[l] != NNDL_POOL; }

size_t nndl_positions(const nndl_spec *s, int l) { return (size_t)s->rows[l] * (size_t)s->cols[l]; }

nndl_conv_shape nndl_layer_shape(const nndl_spec *s, int l, size_t m) {
    size_t plane = nndl_positions(s, l - 1);
    nndl_conv_shape g = {l == 1 ? plane : m * plane, l == 1 ? (size_t)s->sizes[0] : plane, m, s->maps[l - 1],
                         s->rows[l - 1], s->cols[l - 1], s->field_rows[l], s->field_cols[l]};
    return g;
}

/* --------------------------------------------------------------------- the layer string */

/* Reads up to `most` numbers joined by 'x' (at least one) from *p; returns how many, 0 for a
 * malformed or out-of-range number. */
static int read_numbers(const char **p, int *v, int most) {
    for (int count = 0; count < most; (*p)++) {
        if (!isdigit((unsigned char)**p)) return 0;
        char *end;
        errno = 0;
        long n = strtol(*p, &end, 10);
        if (errno || n < 1 || n > NNDL_MAX_LAYER_SIZE) return 0;
        v[count++] = (int)n;
        *p = end;
        if (**p != 'x') return count;
    }
    return 0;
}

/* One layer of the string, from p up to '-' or the end, into layer l of s; *named says whether
 * it named its activation. Returns NNDL_OK, MALFORMED, or a status with err filled. */
enum { MALFORMED = 1 };
static int parse_layer(nndl_spec *s, int l, const char *p, const char *end, nndl_error *err, int *named) {
    char word[16] = {0}, act[16] = {0};
    size_t w = 0;
    while (p < end && isalpha((unsigned char)*p) && w + 1 < sizeof word) word[w++] = *p++;
    int v[3], count = read_numbers(&p, v, 3);
    *named = 0;
    if (p < end && *p == ':') {
        size_t a = 0;
        for (p++; p < end && a + 1 < sizeof act; p++) act[a++] = *p;
        int f = nndl_name_parse(NNDL_NAMES_HIDDEN, act);
        char names[128];
        if (f < 0)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d: unknown activation '%s' (one of %s)", l, act,
                             nndl_names_join(NNDL_NAMES_HIDDEN, names, sizeof names));
        s->activation[l] = (nndl_activation)f;
        *named = 1;
    }
    if (p != end || count == 0) return MALFORMED;
    int f = nndl_name_parse(NNDL_NAMES_ACTIVATION, word);
    if (!strcmp(word, "conv") && count >= 2) {
        s->kind[l] = NNDL_CONV, s->maps[l] = v[0], s->field_rows[l] = v[1], s->field_cols[l] = count == 3 ? v[2] : v[1];
    } else if (!strcmp(word, "pool") && count <= 2 && !*named) {
        s->kind[l] = NNDL_POOL, s->field_rows[l] = v[0], s->field_cols[l] = count == 2 ? v[1] : v[0];
    } else if (!strcmp(word, "fc") && count == 1) {
        s->kind[l] = NNDL_FULL, s->sizes[l] = v[0];
    } else if (f >= 0 && count == 1 && !*named) { /* softmax10, relu100, ...: fc with that activation */
        s->kind[l] = NNDL_FULL, s->sizes[l] = v[0], s->activation[l] = (nndl_activation)f;
        *named = 1;
    } else {
        return MALFORMED;
    }
    return NNDL_OK;
}

int nndl_spec_parse(nndl_spec *spec, const char *layers, int input_rows, int input_cols,
                    nndl_activation hidden, nndl_error *err) {
    if (!spec || !layers) return nndl_fail(err, NNDL_E_INVALID, "no layer string given");
    if (!in_range(input_rows) || !in_range(input_cols) || !in_range((long long)input_rows * input_cols))
        return nndl_fail(err, NNDL_E_INVALID, "input images of %d x %d pixels are impossible", input_rows, input_cols);
    int status = check_hidden(hidden, err);
    if (status != NNDL_OK) return status;
    nndl_spec s;
    memset(&s, 0, sizeof s);
    s.maps[0] = 1, s.rows[0] = input_rows, s.cols[0] = input_cols;
    s.init = NNDL_INIT_SCALED;
    int named[NNDL_MAX_LAYERS] = {0}, l = 0;
    for (const char *p = layers;; p++) {
        const char *end = strchr(p, '-');
        if (!end) end = p + strlen(p);
        if (++l == NNDL_MAX_LAYERS)
            return nndl_fail(err, NNDL_E_INVALID, "'%.64s' has more than %d layers", layers, NNDL_MAX_LAYERS - 1);
        status = parse_layer(&s, l, p, end, err, &named[l]);
        char names[128];
        if (status == MALFORMED)
            return nndl_fail(err, NNDL_E_INVALID,
                             "layer %d, '%.*s', is not one of convFxRxC, poolP, fcN, softmaxN (a conv or fc layer may "
                             "name its activation after a colon: %s)", l, (int)(end - p > 40 ? 40 : end - p), p,
                             nndl_names_join(NNDL_NAMES_HIDDEN, names, sizeof names));
        if (status != NNDL_OK) return status;
        if (!*end) break;
        p = end;
    }
    s.num_layers = l + 1;
    for (int k = 1; k <= l; k++)
        if (!named[k]) s.activation[k] = k == l && s.kind[k] == NNDL_FULL ? NNDL_SIGMOID : hidden;
    s.cost = s.activation[l] == NNDL_SOFTMAX ? NNDL_LOG_LIKELIHOOD : NNDL_QUADRATIC;
    status = nndl_spec_complete(&s, err);
    if (status != NNDL_OK) return status;
    *spec = s;
    return nndl_ok(err);
}

size_t nndl_spec_format(const nndl_spec *spec, char *buf, size_t len) {
    size_t used = 0;
    for (int l = 1; l < spec->num_layers; l++) {
        char layer[96];
        const char *act = activation_name(spec->activation[l]);
        switch (spec->kind[l]) {
        case NNDL_CONV:
            snprintf(layer, sizeof layer, "conv%dx%dx%d:%s", spec->maps[l], spec->field_rows[l], spec->field_cols[l], act);
            break;
        case NNDL_POOL:
            if (spec->field_rows[l] == spec->field_cols[l]) snprintf(layer, sizeof layer, "pool%d", spec->field_rows[l]);
            else snprintf(layer, sizeof layer, "pool%dx%d", spec->field_rows[l], spec->field_cols[l]);
            break;
        default:
            if (spec->activation[l] == NNDL_SOFTMAX) snprintf(layer, sizeof layer, "softmax%d", spec->sizes[l]);
            else snprintf(layer, sizeof layer, "fc%d:%s", spec->sizes[l], act);
        }
        int n = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0, "%s%s", l > 1 ? "-" : "", layer);
        if (n > 0) used += (size_t)n;
    }
    if (len && used == 0) buf[0] = '\0';
    return used;
}
