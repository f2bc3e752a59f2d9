/*
 * test_png.c — data sets from PNG sprite sheets: the same pixels as the IDX they came from, and
 * every kind of bad sheet refused with its message (not a PNG, truncated, not a whole grid, too
 * few or too many tiles for the labels, bad labels), never a crash.
 */
#include "check.h"
#include "nndl.h"
#include "synthetic.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>

typedef struct buffer {
    uint8_t *bytes;
    size_t len;
} buffer;

static void append(void *context, void *data, int size) {
    buffer *b = context;
    b->bytes = realloc(b->bytes, b->len + (size_t)size);
    memcpy(b->bytes + b->len, data, (size_t)size);
    b->len += (size_t)size;
}

/* A sheet of `tiles_per_row` columns of rows x cols tiles holding the images of f. */
static buffer sheet(const idx_pair *f, int rows, int cols, int tiles_per_row, int grid_rows) {
    int width = tiles_per_row * cols, height = grid_rows * rows;
    uint8_t *pixels = calloc((size_t)width * (size_t)height, 1);
    uint32_t count = (uint32_t)(f->labels_len - 8);
    for (uint32_t i = 0; i < count && i < (uint32_t)(tiles_per_row * grid_rows); i++)
        for (int r = 0; r < rows; r++)
            memcpy(pixels + ((size_t)(i / tiles_per_row) * rows + r) * width + (i % tiles_per_row) * cols,
                   f->images + 16 + (size_t)i * rows * cols + (size_t)r * cols, (size_t)cols);
    buffer b = {NULL, 0};
    stbi_write_png_to_func(append, &b, width, height, 1, pixels, width);
    free(pixels);
    return b;
}

static int load(const buffer *png, const idx_pair *f, int rows, int cols, nndl_error *err) {
    nndl_dataset *d = NULL;
    int status = nndl_dataset_from_png(&d, png->bytes, png->len, f->labels, f->labels_len, rows, cols, err);
    if (status != NNDL_OK) CHECK(d == NULL, "a refused sheet left a data set");
    nndl_dataset_free(d);
    return status;
}

int main(void) {
    nndl_error err;
    idx_pair f = make_idx(23, 4, 5, 9); /* 23 images of 4 x 5: a sheet of 5 x 5 tiles, 2 empty */
    buffer png = sheet(&f, 4, 5, 5, 5);

    nndl_dataset *from_png, *from_idx;
    CHECK(nndl_dataset_from_png(&from_png, png.bytes, png.len, f.labels, f.labels_len, 4, 5, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_from_idx(&from_idx, f.images, f.images_len, f.labels, f.labels_len, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(from_png) == 23 && nndl_dataset_rows(from_png) == 4 && nndl_dataset_cols(from_png) == 5, "shape");
    CHECK(!memcmp(nndl_dataset_images(from_png), nndl_dataset_images(from_idx), 23 * 20), "pixels differ from the IDX");
    CHECK(!memcmp(nndl_dataset_labels(from_png), nndl_dataset_labels(from_idx), 23), "labels differ");
    nndl_dataset_free(from_png);
    nndl_dataset_free(from_idx);

    CHECK_ERROR(load(&png, &f, 3, 5, &err), NNDL_E_FORMAT, err, "not a whole grid");
    CHECK_ERROR(load(&png, &f, 0, 5, &err), NNDL_E_INVALID, err, "not possible");
    buffer small = sheet(&f, 4, 5, 5, 4); /* 20 tiles for 23 labels */
    CHECK_ERROR(load(&small, &f, 4, 5, &err), NNDL_E_FORMAT, err, "holds 20 tiles but the labels count 23");
    buffer big = sheet(&f, 4, 5, 5, 7); /* 35 tiles: more than a row of them empty */
    CHECK_ERROR(load(&big, &f, 4, 5, &err), NNDL_E_FORMAT, err, "holds 35 tiles");
    buffer text = {(uint8_t *)"this is not a PNG file at all", 29};
    CHECK_ERROR(load(&text, &f, 4, 5, &err), NNDL_E_FORMAT, err, "not a PNG");
    idx_pair wrong = f;
    wrong.labels = f.images, wrong.labels_len = f.images_len;
    CHECK_ERROR(load(&png, &wrong, 4, 5, &err), NNDL_E_FORMAT, err, "not an IDX label file");
    f.labels[8 + 3] = 11;
    CHECK_ERROR(load(&png, &f, 4, 5, &err), NNDL_E_FORMAT, err, "label 3 is 11");
    f.labels[8 + 3] = 1;

    int refused = 1;
    for (size_t cut = 0; cut < png.len; cut++) {
        buffer part = {png.bytes, cut};
        refused &= load(&part, &f, 4, 5, &err) == NNDL_E_FORMAT;
    }
    CHECK(refused, "a truncated sheet was accepted");
    buffer cut = {png.bytes, png.len - 1};
    CHECK_ERROR(load(&cut, &f, 4, 5, &err), NNDL_E_FORMAT, err, "truncated");
    int survived = 1;
    for (size_t i = 8; i < png.len; i += 3) { /* flipped bytes: refused or decoded, never a crash */
        png.bytes[i] ^= 0x5A;
        int status = load(&png, &f, 4, 5, &err);
        survived &= status == NNDL_OK || status == NNDL_E_FORMAT;
        png.bytes[i] ^= 0x5A;
    }
    CHECK(survived, "a corrupted sheet gave an unexpected status");

    free(png.bytes);
    free(small.bytes);
    free(big.bytes);
    free_idx(&f);
    return check_report("test_png");
}
