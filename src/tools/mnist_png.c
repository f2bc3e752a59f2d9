/*
 * mnist_png.c — converts an IDX image file into the PNG sprite sheet the web page downloads
 * (tiles of rows x cols, 100 to a row): MNIST's 47 MB of training images become about 10 MB,
 * losslessly. Run by `bash src/build.sh data`; its output is generated, never committed.
 *   nndl_mnist_png IMAGES_IDX LABELS_IDX OUT.png
 * It reads back what it wrote and compares every pixel before it says it is done.
 */
#include "nndl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>

enum { TILES_PER_ROW = 100 };

static void append(void *context, void *data, int size) {
    FILE *f = context;
    fwrite(data, 1, (size_t)size, f);
}

static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = buf ? (size_t)n : 0;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: nndl_mnist_png IMAGES_IDX LABELS_IDX OUT.png\n");
        return 2;
    }
    nndl_error err;
    nndl_dataset *data = NULL, *back = NULL;
    if (nndl_dataset_load_idx(&data, argv[1], argv[2], &err) != NNDL_OK) {
        fprintf(stderr, "nndl_mnist_png: %s\n", err.message);
        return 1;
    }
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
    stbi_write_png_compression_level = 9;
    FILE *f = fopen(argv[3], "wb");
    int ok = f && stbi_write_png_to_func(append, f, width, height, 1, sheet, width);
    ok = f && fclose(f) == 0 && ok;
    free(sheet);
    if (!ok) {
        fprintf(stderr, "nndl_mnist_png: cannot write %s\n", argv[3]);
        nndl_dataset_free(data);
        return 1;
    }
    size_t png_len, labels_len;
    uint8_t *png = read_all(argv[3], &png_len), *labels = read_all(argv[2], &labels_len);
    int same = png && labels &&
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
