/*
 * dataset.c — MNIST-style data sets parsed from IDX bytes in memory (the format of LeCun's
 * files: a big-endian magic number, dimensions, then raw unsigned bytes).
 * Deliberately strict: every byte of both files is accounted for, and nothing is allocated
 * before the header has been checked against the actual length, so a corrupt or hostile file
 * costs nothing. Only unsigned-byte images (magic 0x803) and labels (0x801) are read.
 * Also data sets of values and target vectors copied from arrays (a regression's samples, a
 * figure's points). A slice shares its source's bytes (counted references), so the book's split, the page's
 * evaluation chunks and the CLI's validation set cost no memory of their own; and random
 * mini-batches of a set, drawn by the core's generator. Not here: the PNG container (png.c) and
 * expansion's augmentations on the fly (augment.c).
 */
#include "internal.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The bytes behind one or more data sets: freed when the last data set using them is. */
typedef struct {
    size_t refs;
    uint8_t *images, *labels;
    float *inputs, *targets;
} shared_bytes;

/* Images with digit labels (images and labels set), or values with target vectors (inputs and
 * targets set, rows 1, cols the input's size): never both. */
struct nndl_dataset {
    size_t count;
    int rows, cols;
    uint8_t *images; /* count * rows * cols, inside bytes->images; written only while new */
    uint8_t *labels; /* count, inside bytes->labels */
    float *inputs;   /* count * cols, inside bytes->inputs */
    float *targets;  /* count * target_size, inside bytes->targets */
    int target_size;
    shared_bytes *bytes;
};

enum { IDX_IMAGES = 0x00000803, IDX_LABELS = 0x00000801, MAX_SIDE = 4096 };

/* A data set of count images of rows x cols over `images` (taken over: freed with the set, or
 * at once if this fails) and room for its labels, not yet filled in. */
static nndl_dataset *dataset_adopt(uint8_t *images, size_t count, int rows, int cols, nndl_error *err) {
    nndl_dataset *data = images ? nndl_zalloc(sizeof *data, "the data set", err) : NULL;
    shared_bytes *bytes = data ? nndl_zalloc(sizeof *bytes, "the data set", err) : NULL;
    uint8_t *labels = bytes ? nndl_alloc(count, "the labels", err) : NULL;
    if (!labels) {
        free(images);
        free(bytes);
        free(data);
        return NULL;
    }
    *bytes = (shared_bytes){1, images, labels, NULL, NULL};
    *data = (nndl_dataset){count, rows, cols, images, labels, NULL, NULL, 0, bytes};
    return data;
}

static nndl_dataset *dataset_new(size_t count, int rows, int cols, nndl_error *err) {
    uint8_t *images = nndl_alloc(nndl_mul_size(count, (size_t)rows * (size_t)cols), "the images", err);
    return dataset_adopt(images, count, rows, cols, err);
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static const char *magic_name(uint32_t magic) {
    switch (magic) {
    case IDX_IMAGES: return " (that of an IDX image file)";
    case IDX_LABELS: return " (that of an IDX label file)";
    default: return "";
    }
}

static int check_magic(const uint8_t *bytes, size_t len, uint32_t want, size_t header,
                       const char *what, nndl_error *err) {
    if (!bytes) return nndl_fail(err, NNDL_E_INVALID, "no bytes given for the %s file", what);
    uint32_t magic = len >= 4 ? be32(bytes) : 0;
    if (len >= 4 && magic != want)
        return nndl_fail(err, NNDL_E_FORMAT, "the %s file has magic number 0x%08x%s, expected 0x%08x",
                         what, (unsigned)magic, magic_name(magic), (unsigned)want);
    if (len < header)
        return nndl_fail(err, NNDL_E_FORMAT, "the %s file is truncated: %zu bytes, shorter than its %zu-byte header",
                         what, len, header);
    return NNDL_OK;
}

static int check_length(size_t len, size_t header, size_t body, const char *what,
                        nndl_error *err) {
    if (len - header < body)
        return nndl_fail(err, NNDL_E_FORMAT, "the %s file is truncated: its header promises %zu bytes of data, it has %zu",
                         what, body, len - header);
    if (len - header > body)
        return nndl_fail(err, NNDL_E_FORMAT, "the %s file has %zu unexpected bytes after its data",
                         what, len - header - body);
    return NNDL_OK;
}

static int check_labels(const uint8_t *labels, size_t count, nndl_error *err) {
    for (size_t i = 0; i < count; i++)
        if (labels[i] > 9) return nndl_fail(err, NNDL_E_FORMAT, "label %zu is %u, outside 0..9", i, (unsigned)labels[i]);
    return NNDL_OK;
}

int nndl_dataset_from_idx(nndl_dataset **out, const uint8_t *images, size_t images_len,
                          const uint8_t *labels, size_t labels_len, nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    int status = check_magic(images, images_len, IDX_IMAGES, 16, "images", err);
    if (status == NNDL_OK) status = check_magic(labels, labels_len, IDX_LABELS, 8, "labels", err);
    if (status != NNDL_OK) return status;

    uint32_t count = be32(images + 4), rows = be32(images + 8), cols = be32(images + 12);
    uint32_t label_count = be32(labels + 4);
    if (count == 0 || rows == 0 || cols == 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the images file says %u images of %u x %u pixels; none may be 0",
                         (unsigned)count, (unsigned)rows, (unsigned)cols);
    if (rows > MAX_SIDE || cols > MAX_SIDE || (size_t)rows * cols > NNDL_MAX_LAYER_SIZE)
        return nndl_fail(err, NNDL_E_FORMAT, "the images file says each image is %u x %u pixels: absurd (at most %d pixels)",
                         (unsigned)rows, (unsigned)cols, NNDL_MAX_LAYER_SIZE);
    size_t body = nndl_mul_size(count, (size_t)rows * cols);
    if (body > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_FORMAT, "the images file says %u images of %u x %u pixels: %zu bytes, over the limit of %zu",
                         (unsigned)count, (unsigned)rows, (unsigned)cols, body, (size_t)NNDL_MAX_BYTES);
    status = check_length(images_len, 16, body, "images", err);
    if (status == NNDL_OK) status = check_length(labels_len, 8, label_count, "labels", err);
    if (status != NNDL_OK) return status;
    if (label_count != count)
        return nndl_fail(err, NNDL_E_FORMAT, "the images file has %u images but the labels file has %u labels",
                         (unsigned)count, (unsigned)label_count);
    status = check_labels(labels + 8, count, err);
    if (status != NNDL_OK) return status;

    nndl_dataset *data = dataset_new(count, (int)rows, (int)cols, err);
    if (!data) return NNDL_E_NOMEM;
    memcpy(data->images, images + 16, body);
    memcpy(data->labels, labels + 8, count);
    *out = data;
    return nndl_ok(err);
}

int nndl_dataset_adopt(nndl_dataset **out, uint8_t *images, size_t count, int rows, int cols,
                       const uint8_t *labels, nndl_error *err) {
    *out = NULL;
    int status = check_labels(labels, count, err);
    if (status != NNDL_OK) {
        free(images);
        return status;
    }
    nndl_dataset *data = dataset_adopt(images, count, rows, cols, err);
    if (!data) return NNDL_E_NOMEM;
    memcpy(data->labels, labels, count);
    *out = data;
    return nndl_ok(err);
}

int nndl_dataset_slice(nndl_dataset **out, const nndl_dataset *src, size_t start, size_t count,
                       nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    if (!src) return nndl_fail(err, NNDL_E_INVALID, "no data set given to slice");
    if (count == 0 || start > src->count || count > src->count - start)
        return nndl_fail(err, NNDL_E_INVALID, "examples %zu..%zu are not a non-empty part of a set of %zu",
                         start, start + count, src->count);
    nndl_dataset *data = nndl_zalloc(sizeof *data, "the data set", err);
    if (!data) return NNDL_E_NOMEM;
    size_t dim = (size_t)src->rows * (size_t)src->cols, out_dim = (size_t)src->target_size;
    *data = *src;
    data->count = count;
    if (src->images) data->images += start * dim, data->labels += start;
    else data->inputs += start * dim, data->targets += start * out_dim;
    data->bytes->refs++;
    *out = data;
    return nndl_ok(err);
}

void nndl_dataset_free(nndl_dataset *data) {
    if (!data) return;
    if (--data->bytes->refs == 0) {
        free(data->bytes->images);
        free(data->bytes->labels);
        free(data->bytes->inputs);
        free(data->bytes->targets);
        free(data->bytes);
    }
    free(data);
}

size_t nndl_dataset_count(const nndl_dataset *data) { return data->count; }
int nndl_dataset_rows(const nndl_dataset *data) { return data->rows; }
int nndl_dataset_cols(const nndl_dataset *data) { return data->cols; }
int nndl_dataset_input_size(const nndl_dataset *data) { return data->rows * data->cols; }
const uint8_t *nndl_dataset_images(const nndl_dataset *data) { return data->images; }
const uint8_t *nndl_dataset_labels(const nndl_dataset *data) { return data->labels; }
int nndl_dataset_target_size(const nndl_dataset *data) { return data->target_size; }
const float *nndl_dataset_inputs(const nndl_dataset *data) { return data->inputs; }
const float *nndl_dataset_targets(const nndl_dataset *data) { return data->targets; }

/* ------------------------------------------------------------- values and targets */

/* The index of the first value of v[0..n) that is not finite, or n. */
static size_t first_not_finite(const float *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return i;
    return n;
}

static int check_values(const float *v, size_t count, size_t dim, const char *what, nndl_error *err) {
    size_t bad = first_not_finite(v, count * dim);
    if (bad < count * dim)
        return nndl_fail(err, NNDL_E_INVALID, "%s %zu of example %zu is not a finite number", what, bad % dim, bad / dim);
    return NNDL_OK;
}

int nndl_dataset_set_shape(nndl_dataset *data, int rows, int cols, nndl_error *err) {
    if (!data) return nndl_fail(err, NNDL_E_INVALID, "no data set given");
    if (rows < 1 || cols < 1 || (long long)rows * cols != (long long)data->rows * data->cols)
        return nndl_fail(err, NNDL_E_INVALID, "%d x %d is not a shape of %d values", rows, cols, data->rows * data->cols);
    data->rows = rows, data->cols = cols;
    return nndl_ok(err);
}

int nndl_dataset_from_arrays(nndl_dataset **out, const float *inputs, int input_size,
                             const float *targets, int target_size, size_t count, nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    if (!inputs || !targets) return nndl_fail(err, NNDL_E_INVALID, "no inputs or no targets given");
    if (count == 0) return nndl_fail(err, NNDL_E_INVALID, "a data set needs at least one example");
    if (input_size < 1 || input_size > NNDL_MAX_LAYER_SIZE || target_size < 1 || target_size > NNDL_MAX_LAYER_SIZE)
        return nndl_fail(err, NNDL_E_INVALID, "%d inputs and %d targets per example: each must be 1..%d", input_size,
                         target_size, NNDL_MAX_LAYER_SIZE);
    size_t in_bytes = nndl_mul_size(nndl_mul_size(count, (size_t)input_size), sizeof(float));
    size_t out_bytes = nndl_mul_size(nndl_mul_size(count, (size_t)target_size), sizeof(float));
    int status = check_values(inputs, count, (size_t)input_size, "input", err);
    if (status == NNDL_OK) status = check_values(targets, count, (size_t)target_size, "target", err);
    if (status != NNDL_OK) return status;
    nndl_dataset *data = nndl_zalloc(sizeof *data, "the data set", err);
    shared_bytes *bytes = data ? nndl_zalloc(sizeof *bytes, "the data set", err) : NULL;
    float *x = bytes ? nndl_alloc(in_bytes, "the inputs", err) : NULL;
    float *y = x ? nndl_alloc(out_bytes, "the targets", err) : NULL;
    if (!y) {
        free(x);
        free(bytes);
        free(data);
        return NNDL_E_NOMEM;
    }
    memcpy(x, inputs, in_bytes);
    memcpy(y, targets, out_bytes);
    *bytes = (shared_bytes){1, NULL, NULL, x, y};
    *data = (nndl_dataset){count, 1, input_size, NULL, NULL, x, y, target_size, bytes};
    *out = data;
    return nndl_ok(err);
}

/* ------------------------------------------------------------------------- expansion */

/* dst = src moved by (dx, dy) pixels, the pixels moved in being 0. */
static void shift_image(uint8_t *dst, const uint8_t *src, int rows, int cols, int dx, int dy) {
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++) {
            int sx = x - dx, sy = y - dy;
            dst[y * cols + x] = sx >= 0 && sy >= 0 && sx < cols && sy < rows ? src[sy * cols + sx] : 0;
        }
}

int nndl_dataset_expand(nndl_dataset **out, const nndl_dataset *src, nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    if (!src) return nndl_fail(err, NNDL_E_INVALID, "no data set given to expand");
    if (!src->images) return nndl_fail(err, NNDL_E_INVALID, "only a data set of images can be expanded");
    static const int moves[5][2] = {{0, 0}, {0, 1}, {0, -1}, {1, 0}, {-1, 0}}; /* as is, down, up, right, left */
    size_t dim = (size_t)src->rows * (size_t)src->cols, count = nndl_mul_size(src->count, 5);
    nndl_dataset *data = dataset_new(count, src->rows, src->cols, err);
    if (!data) return NNDL_E_NOMEM;
    for (size_t i = 0; i < src->count; i++)
        for (int k = 0; k < 5; k++) {
            shift_image(data->images + (5 * i + (size_t)k) * dim, src->images + i * dim, src->rows, src->cols,
                        moves[k][0], moves[k][1]);
            data->labels[5 * i + (size_t)k] = src->labels[i];
        }
    *out = data;
    return nndl_ok(err);
}

int nndl_dataset_sample(const nndl_dataset *data, size_t m, uint64_t seed, size_t *out, nndl_error *err) {
    if (!data || !out) return nndl_fail(err, NNDL_E_INVALID, "a sample needs a data set and a place for it");
    size_t n = nndl_dataset_count(data);
    if (m == 0 || m > n) return nndl_fail(err, NNDL_E_INVALID, "%zu examples asked of a set of %zu", m, n);
    size_t *order = nndl_alloc(nndl_mul_size(n, sizeof *order), "the sample's order", err);
    if (!order) return NNDL_E_NOMEM;
    for (size_t i = 0; i < n; i++) order[i] = i;
    nndl_rng rng;
    nndl_rng_seed(&rng, seed);
    for (size_t i = 0; i < m; i++) { /* the first m steps of a Fisher-Yates shuffle */
        size_t j = i + (size_t)nndl_rng_below(&rng, n - i), t = order[i];
        order[i] = order[j], order[j] = t;
        out[i] = order[i];
    }
    free(order);
    return nndl_ok(err);
}
