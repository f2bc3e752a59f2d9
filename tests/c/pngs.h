/*
 * pngs.h — PNG files made in memory for the tests and the fuzz seeds: what stb_image_write
 * writes, and crafted ones (any header, any image data, any claimed chunk length) that a
 * library must refuse. Include it in one source file of a program: it holds stb_image_write.
 */
#ifndef NNDL_PNGS_H
#define NNDL_PNGS_H

#include "internal.h"
#include "synthetic.h"

#include <stdlib.h>
#include <string.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>

typedef struct buffer {
    uint8_t *bytes;
    size_t len;
} buffer;

static inline void append(void *context, void *data, int size) {
    buffer *b = context;
    b->bytes = realloc(b->bytes, b->len + (size_t)size);
    memcpy(b->bytes + b->len, data, (size_t)size);
    b->len += (size_t)size;
}

/* A sheet of `tiles_per_row` columns of rows x cols tiles holding the images of f. */
static inline buffer sheet(const idx_pair *f, int rows, int cols, int tiles_per_row, int grid_rows) {
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

/* Adds a chunk with its length and CRC. */
static inline void chunk(buffer *b, const char *type, const uint8_t *data, uint32_t len, uint32_t claimed) {
    uint8_t head[8];
    put_be32(head, claimed);
    memcpy(head + 4, type, 4);
    append(b, head, 8);
    if (len) append(b, (void *)data, (int)len);
    uint32_t crc = nndl_crc32(nndl_crc32(0, (const uint8_t *)type, 4), data, len);
    uint8_t tail[4];
    put_be32(tail, crc);
    append(b, tail, 4);
}

/* A PNG of the given header whose image data is `idat` (len bytes, claimed as `claimed`). */
static inline buffer crafted(uint32_t width, uint32_t height, int depth, int colour, int interlace, const uint8_t *idat,
                      uint32_t len, uint32_t claimed) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    buffer b = {NULL, 0};
    append(&b, (void *)signature, 8);
    uint8_t ihdr[13] = {0};
    put_be32(ihdr, width);
    put_be32(ihdr + 4, height);
    ihdr[8] = (uint8_t)depth, ihdr[9] = (uint8_t)colour, ihdr[12] = (uint8_t)interlace;
    chunk(&b, "IHDR", ihdr, 13, 13);
    chunk(&b, "IDAT", idat, len, claimed);
    chunk(&b, "IEND", NULL, 0, 0);
    return b;
}

/* Image data for a width x height grey image whose rows all use `filter`: the zlib stream of
 * `rows` rows (more or fewer than height to make a bad one). */
static inline buffer zlib_rows(uint32_t width, uint32_t rows, int filter) {
    size_t n = (size_t)rows * (width + 1);
    uint8_t *raw = calloc(n ? n : 1, 1);
    for (uint32_t y = 0; y < rows; y++) raw[(size_t)y * (width + 1)] = (uint8_t)filter;
    int len = 0;
    buffer b = {stbi_zlib_compress(raw, (int)n, &len, 5), 0};
    b.len = (size_t)len;
    free(raw);
    return b;
}

#endif
