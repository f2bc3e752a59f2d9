/*
 * mnist_png.c — converts an IDX image file into the PNG sprite sheet the web page downloads:
 * tiles of rows x cols, one to a row (each image's rows right after the last's), unfiltered and
 * deflated by zlib at its best level, which is what deflates MNIST best of the layouts and
 * filters tried: the 47 MB of training images become 9.7 MB (100 tiles to a row with stb's own
 * deflate and filters: 11.3 MB), losslessly. Run by `bash src/build.sh data`; its output is
 * generated, never committed.
 *   nndl_mnist_png IMAGES_IDX LABELS_IDX OUT.png [COUNT OUT_LABELS.idx]
 * With COUNT, only the first COUNT images, and their labels written as an IDX file beside (the
 * figures' small sets: the first 1,000 training images, a few test digits). It writes atomically (nndl_file_write) and reads back what it wrote, comparing every pixel,
 * before it says it is done.
 */
#include "nndl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* zlib's deflate in place of stb's own, which is quicker to write but 12% larger here */
static unsigned char *deflate_best(unsigned char *data, int len, int *out_len, int quality);
#define STBIW_ZLIB_COMPRESS deflate_best
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>

enum { TILES_PER_ROW = 1 };

/* The message for a COUNT that is not 1 to the number of images (or no memory, all = 0). */
static int nndl_fail_count(nndl_error *err, const char *what, size_t all) {
    err->code = all ? NNDL_E_INVALID : NNDL_E_NOMEM;
    if (all) snprintf(err->message, sizeof err->message, "COUNT must be a whole number from 1 to %zu, not '%.40s'", all, what);
    else snprintf(err->message, sizeof err->message, "out of memory writing the labels");
    return err->code;
}

static unsigned char *deflate_best(unsigned char *data, int len, int *out_len, int quality) {
    (void)quality;
    uLongf size = compressBound((uLong)len);
    unsigned char *out = STBIW_MALLOC(size);
    if (!out || compress2(out, &size, data, (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
        STBIW_FREE(out);
        return NULL;
    }
    *out_len = (int)size;
    return out;
}

/* The PNG as stb_image_write hands it over, piece by piece; ok turns 0 if memory runs out. */
typedef struct buffer {
    uint8_t *bytes;
    size_t len;
    int ok;
} buffer;

static void append(void *context, void *data, int size) {
    buffer *b = context;
    uint8_t *grown = b->ok ? realloc(b->bytes, b->len + (size_t)size) : NULL;
    if (!grown) {
        b->ok = 0;
        return;
    }
    memcpy(grown + b->len, data, (size_t)size);
    b->bytes = grown;
    b->len += (size_t)size;
}

/* Keeps the first `count` images of *data, and writes their labels as an IDX file at path. */
static int first_images(nndl_dataset **data, const char *count_text, const char *path, nndl_error *err) {
    char *end;
    long count = strtol(count_text, &end, 10);
    size_t all = nndl_dataset_count(*data);
    if (*end || count < 1 || (size_t)count > all)
        return nndl_fail_count(err, count_text, all);
    nndl_dataset *part = NULL;
    int status = nndl_dataset_slice(&part, *data, 0, (size_t)count, err);
    if (status != NNDL_OK) return status;
    nndl_dataset_free(*data);
    *data = part;
    uint8_t *idx = malloc(8 + (size_t)count);
    if (!idx) return nndl_fail_count(err, "memory", 0);
    const uint8_t header[8] = {0, 0, 8, 1, (uint8_t)(count >> 24), (uint8_t)(count >> 16), (uint8_t)(count >> 8), (uint8_t)count};
    memcpy(idx, header, 8);
    memcpy(idx + 8, nndl_dataset_labels(part), (size_t)count);
    status = nndl_file_write(path, idx, 8 + (size_t)count, err);
    free(idx);
    return status;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: nndl_mnist_png IMAGES_IDX LABELS_IDX OUT.png [COUNT OUT_LABELS.idx]\n");
        return 2;
    }
    nndl_error err;
    nndl_dataset *data = NULL, *back = NULL;
    if (nndl_dataset_load_idx(&data, argv[1], argv[2], &err) != NNDL_OK) {
        fprintf(stderr, "nndl_mnist_png: %s\n", err.message);
        return 1;
    }
    const char *labels_path = argv[2];
    if (argc == 6 && first_images(&data, argv[4], argv[5], &err) != NNDL_OK) {
        fprintf(stderr, "nndl_mnist_png: %s\n", err.message);
        nndl_dataset_free(data);
        return 1;
    }
    if (argc == 6) labels_path = argv[5];
    int rows = nndl_dataset_rows(data), cols = nndl_dataset_cols(data);
    size_t count = nndl_dataset_count(data), dim = (size_t)rows * (size_t)cols;
    size_t grid_rows = (count + TILES_PER_ROW - 1) / TILES_PER_ROW;
    int width = TILES_PER_ROW * cols, height = (int)grid_rows * rows;
    uint8_t *sheet = calloc((size_t)width * (size_t)height, 1);
    for (size_t i = 0; i < count; i++) {
        size_t tx = (i % TILES_PER_ROW) * (size_t)cols, ty = (i / TILES_PER_ROW) * (size_t)rows;
        for (int r = 0; r < rows; r++)
            memcpy(sheet + (ty + (size_t)r) * (size_t)width + tx,
                   nndl_dataset_images(data) + i * dim + (size_t)r * (size_t)cols, (size_t)cols);
    }
    stbi_write_force_png_filter = 0; /* no filter: MNIST's rows deflate best as they are */
    buffer out = {NULL, 0, 1};
    int ok = sheet && stbi_write_png_to_func(append, &out, width, height, 1, sheet, width) && out.ok;
    free(sheet);
    if (!ok || nndl_file_write(argv[3], out.bytes, out.len, &err) != NNDL_OK) {
        fprintf(stderr, "nndl_mnist_png: %s\n", ok ? err.message : "out of memory encoding the PNG");
        free(out.bytes);
        nndl_dataset_free(data);
        return 1;
    }
    free(out.bytes);
    /* read back from the disk, as the page will */
    size_t png_len = 0, labels_len = 0;
    uint8_t *png = NULL, *labels = NULL;
    int same = nndl_file_read(&png, &png_len, argv[3], &err) == NNDL_OK &&
               nndl_file_read(&labels, &labels_len, labels_path, &err) == NNDL_OK &&
               nndl_dataset_from_png(&back, png, png_len, labels, labels_len, rows, cols, &err) == NNDL_OK &&
               !memcmp(nndl_dataset_images(back), nndl_dataset_images(data), count * dim);
    if (!same) fprintf(stderr, "nndl_mnist_png: %s does not read back as %s: %s\n", argv[3], argv[1], err.message);
    else printf("%s: %zu images of %d x %d, %zu bytes\n", argv[3], count, rows, cols, png_len);
    free(png);
    free(labels);
    nndl_dataset_free(back);
    nndl_dataset_free(data);
    return same ? 0 : 1;
}
