/*
 * test_png.c — data sets from PNG sprite sheets: the same pixels as the IDX they came from, and
 * every kind of bad sheet refused with its message (not a PNG, truncated, not a whole grid, too
 * few or too many tiles for the labels, bad labels), never a crash. Crafted files (issue 9) are
 * refused by their header or chunks before anything of their size is allocated: 16-bit RGBA of
 * 8400 x 8400, a chunk claiming 2 GB, an image over the byte cap, an interlaced or RGB image, a
 * bad CRC, a deflate stream that inflates past the image (a zip bomb), one that stops short.
 * A sheet whose image data is cut into several IDAT chunks reads the same as one in a single.
 */
#include "check.h"
#include "nndl.h"
#include "pngs.h"
#include "synthetic.h"

static int load(const buffer *png, const idx_pair *f, int rows, int cols, nndl_error *err);

/* The same sheet with its one IDAT chunk cut into `parts` chunks (other encoders write many). */
static buffer split_idat(const buffer *png, int parts) {
    buffer b = {NULL, 0};
    size_t at = 8;
    append(&b, png->bytes, 8);
    while (at + 12 <= png->len) {
        uint32_t n = (uint32_t)png->bytes[at] << 24 | (uint32_t)png->bytes[at + 1] << 16 |
                     (uint32_t)png->bytes[at + 2] << 8 | png->bytes[at + 3];
        const uint8_t *type = png->bytes + at + 4, *data = png->bytes + at + 8;
        char name[5] = {0};
        memcpy(name, type, 4);
        if (strcmp(name, "IDAT") == 0)
            for (uint32_t first = 0, step = n / (uint32_t)parts + 1; first < n; first += step) {
                uint32_t len = n - first < step ? n - first : step;
                chunk(&b, "IDAT", data + first, len, len);
            }
        else
            chunk(&b, name, data, n, n);
        at += 12 + (size_t)n;
    }
    return b;
}

/* A sheet decodes to its IDX's pixels, from one IDAT chunk or several. */
static void same_as_idx(const buffer *png, const idx_pair *f) {
    nndl_error err;
    nndl_dataset *from_png, *from_idx;
    CHECK(nndl_dataset_from_png(&from_png, png->bytes, png->len, f->labels, f->labels_len, 4, 5, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_from_idx(&from_idx, f->images, f->images_len, f->labels, f->labels_len, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(from_png) == 23 && nndl_dataset_rows(from_png) == 4 && nndl_dataset_cols(from_png) == 5, "shape");
    CHECK(!memcmp(nndl_dataset_images(from_png), nndl_dataset_images(from_idx), 23 * 20), "pixels differ from the IDX");
    CHECK(!memcmp(nndl_dataset_labels(from_png), nndl_dataset_labels(from_idx), 23), "labels differ");
    nndl_dataset_free(from_png);
    nndl_dataset_free(from_idx);
}

static void crafted_files(const idx_pair *f, nndl_error *err) {
    uint8_t tiny[4] = {0x78, 0x9C, 0x03, 0x00};
    buffer b = crafted(8400, 8400, 16, 6, 0, tiny, 4, 4);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "16-bit RGBA");
    free(b.bytes);
    b = crafted(20, 20, 8, 0, 0, tiny, 4, 0x7FFFFFF0u); /* ~240 bytes claiming 2 GB */
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "claims 2147483632 bytes");
    free(b.bytes);
    b = crafted(65535, 65535, 8, 0, 0, tiny, 4, 4);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "over the limit");
    free(b.bytes);
    b = crafted(4000, 4000, 8, 0, 0, tiny, 4, 4); /* 16 MB promised by 4 bytes */
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "4 bytes of image data cannot hold 4000 x 4000 pixels");
    free(b.bytes);
    b = crafted(25, 20, 8, 0, 1, tiny, 4, 4);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "interlaced");
    free(b.bytes);
    b = crafted(25, 20, 8, 2, 0, tiny, 4, 4);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "8-bit RGB");
    free(b.bytes);

    buffer bomb = zlib_rows(25, 200000, 0); /* 5 MB of rows for an image of 20 */
    b = crafted(25, 20, 8, 0, 0, bomb.bytes, (uint32_t)bomb.len, (uint32_t)bomb.len);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "cannot be inflated");
    free(b.bytes);
    free(bomb.bytes);
    buffer short_rows = zlib_rows(25, 19, 0);
    b = crafted(25, 20, 8, 0, 0, short_rows.bytes, (uint32_t)short_rows.len, (uint32_t)short_rows.len);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "cut short");
    free(b.bytes);
    free(short_rows.bytes);
    buffer bad_filter = zlib_rows(25, 20, 7);
    b = crafted(25, 20, 8, 0, 0, bad_filter.bytes, (uint32_t)bad_filter.len, (uint32_t)bad_filter.len);
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "row 0 has filter 7");
    b.bytes[b.len - 12 - 5] ^= 1; /* a byte of the image data, under the IDAT's CRC */
    CHECK_ERROR(load(&b, f, 4, 5, err), NNDL_E_FORMAT, *err, "fails its CRC");
    free(b.bytes);
    free(bad_filter.bytes);
    CHECK_ERROR(nndl_dataset_from_png(&(nndl_dataset *){NULL}, tiny, 4, f->labels, f->labels_len, 65536, 65537, err),
                NNDL_E_INVALID, *err, "not possible");
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

    same_as_idx(&png, &f);
    buffer split = split_idat(&png, 3);
    CHECK(split.len == png.len + 24, "the IDAT was not split in three");
    same_as_idx(&split, &f);
    free(split.bytes);

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
    buffer tail = {malloc(png.len + 1), png.len + 1};
    memcpy(tail.bytes, png.bytes, png.len);
    tail.bytes[png.len] = 0;
    CHECK_ERROR(load(&tail, &f, 4, 5, &err), NNDL_E_FORMAT, err, "1 bytes after its end");
    free(tail.bytes);
    crafted_files(&f, &err);

    free(png.bytes);
    free(small.bytes);
    free(big.bytes);
    free_idx(&f);
    return check_report("test_png");
}
