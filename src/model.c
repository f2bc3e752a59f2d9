/*
 * model.c — the model file, read and written in memory (the browser has no files), and the JSON
 * export. Format version 4, every field little-endian:
 *
 *   offset  size        field
 *   0       4           magic "NNDL"
 *   4       4           format version (4)
 *   8       4           L + 1, the number of layers
 *   12      4 (L+1)     layer sizes n_0 .. n_L
 *   ...     4 (L+1)     activation of each layer (nndl_activation; 0 for the input layer)
 *   ...     24 (L+1)    kind, maps, rows, cols, field rows, field cols of each layer, one array
 *                       after another (nndl_spec's fields; kind 0 for the input layer)
 *   ...     4, 4        cost (nndl_cost), initialisation (nndl_init)
 *   ...     40          the hyper-parameters it was trained with (nndl_hyper: a uint32 and
 *                       nine float32)
 *   ...     4           the output's temperature T (float32; 1 until calibrated)
 *   ...     4 P         the parameters as float32, in the order of nndl_network_params()
 *   end-4   4           CRC-32 (IEEE, as zlib's crc32) of every byte before it
 *
 * Version 3 had seven floats of hyper-parameters (no shear or elastic distortion: 0 when read)
 * and no temperature (1).
 * Version 2 (chapters 1 to 5) had no kinds or shapes: its layers are fully connected. Version 1
 * (chapter 1's files) had no activations, cost, initialisation or hyper-parameters either: it is
 * read as network.py's sigmoid network with the quadratic cost. A file is checked whole (size,
 * checksum, spec) before a network is made from it, so a bad file leaves nothing half-loaded.
 */
#include "internal.h"
#include "network_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { MODEL_VERSION = 4, SHAPE_FIELDS = 6 };

/* The hyper-parameters' floats a version holds (after the mini-batch size), and the bytes of what
 * comes between the cost and the parameters: the hyper-parameters and (version 4) the temperature. */
static int hyper_floats(uint32_t version) { return version >= 4 ? 9 : 7; }
static size_t training_bytes(uint32_t version) { return 4 + 4 * (size_t)hyper_floats(version) + (version >= 4 ? 4 : 0); }
static const uint8_t MODEL_MAGIC[4] = {'N', 'N', 'D', 'L'};

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void putf(uint8_t *p, float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    put32(p, bits);
}

static float getf(const uint8_t *p) {
    uint32_t bits = get32(p);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Bytes before the parameters in a file of the given version. */
static size_t header_size(uint32_t version, int num_layers) {
    size_t per_layer = version == 1 ? 4 : version == 2 ? 8 : 8 + 4 * SHAPE_FIELDS;
    return 12 + per_layer * (size_t)num_layers + (version == 1 ? 0 : 8 + training_bytes(version));
}

/* The per-layer shape fields of nndl_spec, in file order. */
static int *shape_field(nndl_spec *s, int field) {
    int *fields[SHAPE_FIELDS] = {(int *)s->kind, s->maps, s->rows, s->cols, s->field_rows, s->field_cols};
    return fields[field];
}

size_t nndl_network_saved_size(const nndl_network *net) {
    return header_size(MODEL_VERSION, net->spec.num_layers) + 4 * net->num_params + 4;
}

int nndl_network_save(const nndl_network *net, uint8_t *buf, size_t len, nndl_error *err) {
    if (!net || !buf) return nndl_fail(err, NNDL_E_INVALID, "saving needs a network and a buffer");
    size_t need = nndl_network_saved_size(net);
    if (len < need)
        return nndl_fail(err, NNDL_E_INVALID, "the buffer has %zu bytes; the model needs %zu", len, need);
    const nndl_spec *s = &net->spec;
    int layers = s->num_layers;
    memcpy(buf, MODEL_MAGIC, 4);
    put32(buf + 4, MODEL_VERSION);
    put32(buf + 8, (uint32_t)layers);
    uint8_t *p = buf + 12;
    for (int l = 0; l < layers; l++, p += 4) put32(p, (uint32_t)s->sizes[l]);
    for (int l = 0; l < layers; l++, p += 4) put32(p, l ? (uint32_t)s->activation[l] : 0);
    nndl_spec copy = *s;
    for (int f = 0; f < SHAPE_FIELDS; f++)
        for (int l = 0; l < layers; l++, p += 4) put32(p, (uint32_t)shape_field(&copy, f)[l]);
    put32(p, (uint32_t)s->cost);
    put32(p + 4, (uint32_t)s->init);
    p += 8;
    const nndl_hyper *h = &net->hyper;
    const float fields[9] = {h->eta, h->lmbda, h->l1, h->mu, h->dropout, h->rotate, h->shift, h->shear, h->elastic};
    put32(p, h->mini_batch_size);
    for (int i = 0; i < hyper_floats(MODEL_VERSION); i++) putf(p + 4 + 4 * i, fields[i]);
    putf(p + 4 + 4 * hyper_floats(MODEL_VERSION), net->temperature);
    p += training_bytes(MODEL_VERSION);
    for (size_t i = 0; i < net->num_params; i++) putf(p + 4 * i, net->params[i]);
    put32(buf + need - 4, nndl_crc32(0, buf, need - 4));
    return nndl_ok(err);
}

/* Reads the spec and hyper-parameters of a version 2, 3 or 4 header (the caller checked its
 * length). The shape fields are bounded here so that the spec's check can multiply them. */
static void read_header(const uint8_t *buf, uint32_t version, nndl_spec *spec, nndl_hyper *h, float *temperature) {
    int layers = spec->num_layers;
    const uint8_t *p = buf + 12 + 4 * (size_t)layers;
    for (int l = 0; l < layers; l++, p += 4) spec->activation[l] = (nndl_activation)get32(p);
    spec->activation[0] = NNDL_SIGMOID;
    for (int f = 0; version >= 3 && f < SHAPE_FIELDS; f++)
        for (int l = 0; l < layers; l++, p += 4) {
            uint32_t v = get32(p);
            shape_field(spec, f)[l] = v > NNDL_MAX_LAYER_SIZE ? -1 : (int)v;
        }
    spec->cost = (nndl_cost)get32(p);
    spec->init = (nndl_init)get32(p + 4);
    p += 8;
    h->mini_batch_size = get32(p);
    float *fields[9] = {&h->eta, &h->lmbda, &h->l1, &h->mu, &h->dropout, &h->rotate, &h->shift, &h->shear, &h->elastic};
    for (int i = 0; i < hyper_floats(version); i++) *fields[i] = getf(p + 4 + 4 * i);
    *temperature = version >= 4 ? getf(p + 4 + 4 * hyper_floats(version)) : 1.0f;
}

int nndl_network_load(nndl_network **out, const uint8_t *buf, size_t len, uint64_t seed,
                      nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new network");
    *out = NULL;
    if (!buf) return nndl_fail(err, NNDL_E_INVALID, "no bytes given for the model");
    if (len < 12 || memcmp(buf, MODEL_MAGIC, 4) != 0)
        return nndl_fail(err, NNDL_E_FORMAT, len < 12 ? "not an nndl model: only %zu bytes"
                                                      : "not an nndl model: the file does not start with \"NNDL\" (%zu bytes)",
                         len);
    uint32_t version = get32(buf + 4), num_layers = get32(buf + 8);
    if (version < 1 || version > MODEL_VERSION)
        return nndl_fail(err, NNDL_E_FORMAT, "model format version %u is not supported; this build reads versions 1 to %d",
                         (unsigned)version, MODEL_VERSION);
    if (num_layers < 2 || num_layers > NNDL_MAX_LAYERS)
        return nndl_fail(err, NNDL_E_FORMAT, "the model says it has %u layers; 2 to %d are possible",
                         (unsigned)num_layers, NNDL_MAX_LAYERS);
    size_t header = header_size(version, (int)num_layers);
    if (len < header)
        return nndl_fail(err, NNDL_E_FORMAT, "the model is truncated inside its header (%zu bytes)", len);
    nndl_spec spec = {0};
    spec.num_layers = (int)num_layers;
    for (uint32_t l = 0; l < num_layers; l++) {
        uint32_t n = get32(buf + 12 + 4 * l);
        if (n < 1 || n > NNDL_MAX_LAYER_SIZE)
            return nndl_fail(err, NNDL_E_FORMAT, "the model says layer %u has %u neurons; 1 to %d are possible",
                             (unsigned)l, (unsigned)n, NNDL_MAX_LAYER_SIZE);
        spec.sizes[l] = (int)n;
    }
    nndl_hyper hyper = nndl_hyper_default();
    float temperature = 1.0f;
    if (version == 1) { /* network.py's network: sigmoid, quadratic cost, N(0,1) weights */
        int sizes[NNDL_MAX_LAYERS];
        memcpy(sizes, spec.sizes, sizeof sizes);
        nndl_spec_fully_connected(&spec, sizes, spec.num_layers, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    } else {
        read_header(buf, version, &spec, &hyper, &temperature);
    }
    /* The spec decides how many parameters follow: it must make sense before they are counted. A
     * spec that does not is a corrupted file if the checksum says so, an impossible one if not. */
    nndl_error why;
    if (nndl_spec_complete(&spec, &why) != NNDL_OK) {
        if (len < 16 || get32(buf + len - 4) != nndl_crc32(0, buf, len - 4))
            return nndl_fail(err, NNDL_E_FORMAT, "the model is corrupted: its spec is impossible (%s) and its checksum is wrong",
                             why.message);
        return nndl_fail(err, NNDL_E_FORMAT, "the model's network is impossible: %s", why.message);
    }
    uint64_t params = 0; /* 64 bits: absurd sizes must not wrap a 32-bit size_t */
    for (int l = 1; l < spec.num_layers; l++)
        params += (uint64_t)nndl_spec_weight_rows(&spec, l) * ((uint64_t)nndl_spec_weight_cols(&spec, l) + 1);
    if (params * 4 > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_FORMAT, "the model's layer sizes need %llu parameters: absurd",
                         (unsigned long long)params);
    size_t need = header + 4 * (size_t)params + 4;
    if (len != need)
        return nndl_fail(err, NNDL_E_FORMAT, "the model is %s: %zu bytes where its layer sizes need %zu",
                         len < need ? "truncated" : "too long", len, need);
    uint32_t stored = get32(buf + need - 4), actual = nndl_crc32(0, buf, need - 4);
    if (stored != actual)
        return nndl_fail(err, NNDL_E_FORMAT, "the model is corrupted: its checksum is 0x%08x but its bytes give 0x%08x",
                         (unsigned)stored, (unsigned)actual);
    if (!(temperature >= NNDL_MIN_TEMPERATURE && temperature <= NNDL_MAX_TEMPERATURE))
        return nndl_fail(err, NNDL_E_FORMAT, "the model's output temperature %g is impossible (%g to %g)", (double)temperature,
                         (double)NNDL_MIN_TEMPERATURE, (double)NNDL_MAX_TEMPERATURE);
    nndl_network *net;
    int status = nndl_network_alloc(&net, &spec, seed, err);
    if (status != NNDL_OK) return status;
    net->hyper = hyper;
    net->temperature = temperature;
    const uint8_t *p = buf + header;
    for (size_t i = 0; i < (size_t)params; i++) net->params[i] = getf(p + 4 * i);
    *out = net;
    return nndl_ok(err);
}

/* ------------------------------------------------------------------------------- JSON */

typedef struct text {
    char *buf;
    size_t len, used; /* used counts what the whole text needs, written or not */
} text;

static void emit(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->used < t->len ? t->len - t->used : 0;
    int n = vsnprintf(room ? t->buf + t->used : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) t->used += (size_t)n;
}

static void emit_floats(text *t, const float *v, size_t n) {
    emit(t, "[");
    for (size_t i = 0; i < n; i++) emit(t, i ? ",%.9g" : "%.9g", (double)v[i]);
    emit(t, "]");
}

size_t nndl_network_to_json(const nndl_network *net, char *buf, size_t len) {
    text t = {buf, len, 0};
    const nndl_spec *s = &net->spec;
    const nndl_hyper *h = &net->hyper;
    int L = s->num_layers - 1;
    char layers[NNDL_MAX_LAYERS * 48];
    nndl_spec_format(s, layers, sizeof layers);
    emit(&t, "{\"layers\":\"%s\",\"input\":[%d,%d,%d],\"sizes\":[", layers, s->maps[0], s->rows[0], s->cols[0]);
    for (int l = 0; l <= L; l++) emit(&t, l ? ",%d" : "%d", s->sizes[l]);
    emit(&t, "],\"activations\":[");
    for (int l = 1; l <= L; l++) emit(&t, l > 1 ? ",\"%s\"" : "\"%s\"", nndl_name(NNDL_NAMES_ACTIVATION, (int)(s->activation[l])));
    emit(&t, "],\"cost\":\"%s\",\"init\":\"%s\",", nndl_name(NNDL_NAMES_COST, (int)(s->cost)), nndl_name(NNDL_NAMES_INIT, (int)(s->init)));
    emit(&t, "\"hyper\":{\"mini_batch_size\":%u,\"eta\":%.9g,\"lmbda\":%.9g,\"l1\":%.9g,\"mu\":%.9g,"
             "\"dropout\":%.9g,\"rotate\":%.9g,\"shift\":%.9g,\"shear\":%.9g,\"elastic\":%.9g},\"temperature\":%.9g,",
         (unsigned)h->mini_batch_size, (double)h->eta, (double)h->lmbda, (double)h->l1, (double)h->mu,
         (double)h->dropout, (double)h->rotate, (double)h->shift, (double)h->shear, (double)h->elastic,
         (double)net->temperature);
    emit(&t, "\"weights\":[");
    for (int l = 1; l <= L; l++) {
        emit(&t, l > 1 ? ",[" : "[");
        for (size_t j = 0; j < net->w_rows[l]; j++) {
            if (j) emit(&t, ",");
            emit_floats(&t, net->params + net->w_off[l] + j * net->w_cols[l], net->w_cols[l]);
        }
        emit(&t, "]");
    }
    emit(&t, "],\"biases\":[");
    for (int l = 1; l <= L; l++) {
        if (l > 1) emit(&t, ",");
        emit_floats(&t, net->params + net->b_off[l], net->w_rows[l]);
    }
    emit(&t, "]}");
    return t.used;
}
