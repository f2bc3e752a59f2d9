/*
 * png.c — data sets from PNG sprite sheets, the compact form in which the page downloads MNIST:
 * a grayscale PNG holding the images as tiles of rows x cols pixels, left to right and top to
 * bottom, plus the IDX label file that says how many there are. Decoded by stb_image (Debian's
 * libstb-dev), which keeps every pixel value exact. Not a general image loader: PNG only, and the
 * header is checked against the labels before anything is decoded.
 */
#include "internal.h"

#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
/* stb's internal consistency asserts would pull abort() and stdio into the WebAssembly module,
 * which must never exit or print: they are compiled out. */
#define STBI_ASSERT(x) ((void)0)
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

#include <stdlib.h>
#include <string.h>

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Writes an IDX image header for count images of rows x cols into p (16 bytes). */
static void idx_header(uint8_t *p, uint32_t count, uint32_t rows, uint32_t cols) {
    const uint32_t v[4] = {0x803, count, rows, cols};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++) p[4 * i + b] = (uint8_t)(v[i] >> (24 - 8 * b));
}

int nndl_dataset_from_png(nndl_dataset **out, const uint8_t *png, size_t png_len,
                          const uint8_t *labels, size_t labels_len, int rows, int cols,
                          nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    if (!png || !labels) return nndl_fail(err, NNDL_E_INVALID, "no bytes given for the images or the labels");
    if (rows < 1 || cols < 1 || rows * cols > NNDL_MAX_LAYER_SIZE)
        return nndl_fail(err, NNDL_E_INVALID, "images of %d x %d pixels are not possible", rows, cols);
    if (labels_len < 8 || be32(labels) != 0x801)
        return nndl_fail(err, NNDL_E_FORMAT, "the labels are not an IDX label file");
    uint32_t count = be32(labels + 4);
    int width, height, channels;
    if (png_len > INT32_MAX || !stbi_info_from_memory(png, (int)png_len, &width, &height, &channels))
        return nndl_fail(err, NNDL_E_FORMAT, "the images are not a PNG file (%zu bytes)", png_len);
    if (width % cols != 0 || height % rows != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %d x %d pixels, not a whole grid of %d x %d tiles",
                         width, height, cols, rows);
    uint64_t tiles = (uint64_t)(width / cols) * (uint64_t)(height / rows);
    if (count == 0 || tiles < count || tiles - count >= (uint64_t)(width / cols))
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG holds %llu tiles but the labels count %u images",
                         (unsigned long long)tiles, (unsigned)count);
    /* stb_image forgives a missing end; we do not, so a cut-short download is always caught. */
    static const uint8_t iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    if (png_len < 12 || memcmp(png + png_len - 12, iend, 12) != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is truncated: it does not end with its IEND chunk");
    if ((uint64_t)width * (uint64_t)height > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %d x %d pixels: absurd", width, height);

    int w, h, n;
    uint8_t *pixels = stbi_load_from_memory(png, (int)png_len, &w, &h, &n, 1);
    if (!pixels) return nndl_fail(err, NNDL_E_FORMAT, "the PNG cannot be decoded: %s", stbi_failure_reason());

    /* Rearrange tiles into the IDX layout (image after image) and let the IDX reader check the
     * rest (label range, lengths) exactly as it does for files. */
    size_t dim = (size_t)rows * (size_t)cols, per_row = (size_t)(w / cols);
    size_t idx_len = 16 + (size_t)count * dim;
    uint8_t *idx = nndl_alloc(idx_len, "the decoded images", err);
    if (!idx) {
        stbi_image_free(pixels);
        return NNDL_E_NOMEM;
    }
    idx_header(idx, count, (uint32_t)rows, (uint32_t)cols);
    for (size_t i = 0; i < count; i++) {
        size_t tx = (i % per_row) * (size_t)cols, ty = (i / per_row) * (size_t)rows;
        for (int r = 0; r < rows; r++)
            memcpy(idx + 16 + i * dim + (size_t)r * (size_t)cols, pixels + (ty + (size_t)r) * (size_t)w + tx, (size_t)cols);
    }
    stbi_image_free(pixels);
    int status = nndl_dataset_from_idx(out, idx, idx_len, labels, labels_len, err);
    free(idx);
    return status;
}
