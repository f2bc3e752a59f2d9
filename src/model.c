/*
 * model.c — the model file, read and written in memory (the browser has no files).
 *
 *   offset  size        field
 *   0       4           magic "NNDL"
 *   4       4           format version (1), little-endian like every field below
 *   8       4           L + 1, the number of layers
 *   12      4 (L+1)     layer sizes n_0 .. n_L
 *   ...     4 P         the parameters as float32, in the order of nndl_network_params()
 *   end-4   4           CRC-32 (IEEE, as zlib's crc32) of every byte before it
 *
 * A file is checked whole (size, then checksum) before a network is made from it, so a bad file
 * leaves nothing half-loaded. Not here: JSON export, activation or cost specs (format version 2).
 */
#include "internal.h"
#include "network_internal.h"

#include <string.h>

enum { MODEL_VERSION = 1 };
static const uint8_t MODEL_MAGIC[4] = {'N', 'N', 'D', 'L'};

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t header_size(int num_layers) { return 12 + 4 * (size_t)num_layers; }

size_t nndl_network_saved_size(const nndl_network *net) {
    return header_size(net->num_layers) + 4 * net->num_params + 4;
}

int nndl_network_save(const nndl_network *net, uint8_t *buf, size_t len, nndl_error *err) {
    if (!net || !buf) return nndl_fail(err, NNDL_E_INVALID, "saving needs a network and a buffer");
    size_t need = nndl_network_saved_size(net);
    if (len < need)
        return nndl_fail(err, NNDL_E_INVALID, "the buffer has %zu bytes; the model needs %zu", len, need);
    memcpy(buf, MODEL_MAGIC, 4);
    put32(buf + 4, MODEL_VERSION);
    put32(buf + 8, (uint32_t)net->num_layers);
    for (int l = 0; l < net->num_layers; l++) put32(buf + 12 + 4 * l, (uint32_t)net->sizes[l]);
    uint8_t *p = buf + header_size(net->num_layers);
    for (size_t i = 0; i < net->num_params; i++) { /* a float's bits, little-endian */
        uint32_t bits;
        memcpy(&bits, &net->params[i], 4);
        put32(p + 4 * i, bits);
    }
    put32(buf + need - 4, crc32(buf, need - 4));
    return nndl_ok(err);
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
    if (version != MODEL_VERSION)
        return nndl_fail(err, NNDL_E_FORMAT, "model format version %u is not supported; this build reads version %d",
                         (unsigned)version, MODEL_VERSION);
    if (num_layers < 2 || num_layers > NNDL_MAX_LAYERS)
        return nndl_fail(err, NNDL_E_FORMAT, "the model says it has %u layers; 2 to %d are possible",
                         (unsigned)num_layers, NNDL_MAX_LAYERS);
    if (len < header_size((int)num_layers))
        return nndl_fail(err, NNDL_E_FORMAT, "the model is truncated inside its header (%zu bytes)", len);
    int sizes[NNDL_MAX_LAYERS];
    uint64_t params = 0; /* 64 bits: absurd sizes must not wrap a 32-bit size_t */
    for (uint32_t l = 0; l < num_layers; l++) {
        uint32_t n = get32(buf + 12 + 4 * l);
        if (n < 1 || n > NNDL_MAX_LAYER_SIZE)
            return nndl_fail(err, NNDL_E_FORMAT, "the model says layer %u has %u neurons; 1 to %d are possible",
                             (unsigned)l, (unsigned)n, NNDL_MAX_LAYER_SIZE);
        sizes[l] = (int)n;
        if (l > 0) params += (size_t)sizes[l] * ((size_t)sizes[l - 1] + 1);
    }
    if (params * 4 > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_FORMAT, "the model's layer sizes need %llu parameters: absurd",
                         (unsigned long long)params);
    size_t need = header_size((int)num_layers) + 4 * (size_t)params + 4;
    if (len != need)
        return nndl_fail(err, NNDL_E_FORMAT, "the model is %s: %zu bytes where its layer sizes need %zu",
                         len < need ? "truncated" : "too long", len, need);
    uint32_t stored = get32(buf + need - 4), actual = crc32(buf, need - 4);
    if (stored != actual)
        return nndl_fail(err, NNDL_E_FORMAT, "the model is corrupted: its checksum is 0x%08x but its bytes give 0x%08x",
                         (unsigned)stored, (unsigned)actual);
    nndl_network *net;
    int status = nndl_network_alloc(&net, sizes, (int)num_layers, seed, err);
    if (status != NNDL_OK) return status;
    const uint8_t *p = buf + header_size((int)num_layers);
    for (size_t i = 0; i < (size_t)params; i++) {
        uint32_t bits = get32(p + 4 * i);
        memcpy(&net->params[i], &bits, 4);
    }
    *out = net;
    return nndl_ok(err);
}
