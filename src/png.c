/*
 * png.c — data sets from PNG sprite sheets, the compact form in which the page downloads MNIST:
 * an 8-bit greyscale PNG holding the images as tiles of rows x cols pixels, left to right and
 * top to bottom, plus the IDX label file that says how many there are.
 * Not a general image loader: it reads exactly the PNGs our tools write (8-bit grey, not
 * interlaced) and refuses the rest by their header, before any pixel is decoded. Every chunk's
 * length is checked against the file and its CRC against its bytes; the image data is inflated
 * by stb_image's zlib (Debian's libstb-dev) into a buffer of exactly the size the header
 * promises, so no file, however crafted, makes it allocate more than that plus its own length.
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

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* What the header and the chunks say: the size of the image and where its data is. */
typedef struct png_info {
    uint32_t width, height;
    size_t idat_len;            /* the image data's bytes, summed over its IDAT chunks      */
} png_info;

static const char *colour_name(int type) {
    switch (type) {
    case 0: return "grey";
    case 2: return "RGB";
    case 3: return "palette";
    case 4: return "grey and alpha";
    case 6: return "RGBA";
    default: return "unknown colour";
    }
}

/* The IHDR chunk's fields: only 8-bit grey, not interlaced, within the byte cap. */
static int check_header(const uint8_t *d, png_info *info, nndl_error *err) {
    info->width = be32(d), info->height = be32(d + 4);
    int depth = d[8], colour = d[9], compression = d[10], filter = d[11], interlace = d[12];
    if (info->width == 0 || info->height == 0 || info->width > INT32_MAX || info->height > INT32_MAX)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG says it is %u x %u pixels", info->width, info->height);
    if (depth != 8 || colour != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %d-bit %s; the sprite sheets are 8-bit grey", depth,
                         colour_name(colour));
    if (compression != 0 || filter != 0 || interlace != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %s; the sprite sheets are not",
                         interlace ? "interlaced" : "of an unknown compression or filter method");
    /* one filter byte per row, then the row */
    uint64_t raw = (uint64_t)info->height * ((uint64_t)info->width + 1);
    if (raw > NNDL_MAX_BYTES || raw > INT_MAX)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %u x %u pixels, over the limit of %zu bytes", info->width,
                         info->height, (size_t)NNDL_MAX_BYTES);
    return NNDL_OK;
}

/* Walks the chunks: the signature, IHDR first, each chunk whole within the file and matching
 * its CRC, IDAT chunks one after another, and IEND last, ending the file (stb_image forgives a
 * missing end; we do not, so a cut-short download is always caught). */
static int read_chunks(const uint8_t *png, size_t len, png_info *info, nndl_error *err) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len < 8 || memcmp(png, signature, 8) != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the images are not a PNG file (%zu bytes)", len);
    info->idat_len = 0;
    int chunks = 0, idat_state = 0; /* 0: none yet, 1: in the IDAT run, 2: after it */
    for (size_t at = 8;;) {
        if (len - at < 12)
            return nndl_fail(err, NNDL_E_FORMAT, "the PNG is truncated: it does not end with its IEND chunk");
        uint32_t n = be32(png + at);
        const uint8_t *type = png + at + 4, *data = png + at + 8;
        if (n > INT32_MAX || n > len - at - 12)
            return nndl_fail(err, NNDL_E_FORMAT, "the PNG is truncated: chunk %d claims %u bytes, %zu are left", chunks, n,
                             len - at - 12);
        if (nndl_crc32(0, type, 4 + (size_t)n) != be32(data + n))
            return nndl_fail(err, NNDL_E_FORMAT, "the PNG is corrupted: chunk %d (%.4s) fails its CRC", chunks,
                             (const char *)type);
        if (chunks == 0 && (memcmp(type, "IHDR", 4) != 0 || n != 13))
            return nndl_fail(err, NNDL_E_FORMAT, "the PNG does not start with its header (IHDR)");
        if (chunks == 0) {
            int status = check_header(data, info, err);
            if (status != NNDL_OK) return status;
        }
        if (memcmp(type, "IDAT", 4) == 0) {
            if (idat_state == 2) return nndl_fail(err, NNDL_E_FORMAT, "the PNG's image data is split by another chunk");
            idat_state = 1;
            info->idat_len += n;
        } else if (idat_state == 1) {
            idat_state = 2;
        }
        chunks++;
        at += 12 + (size_t)n;
        if (memcmp(type, "IEND", 4) == 0) {
            if (at != len) return nndl_fail(err, NNDL_E_FORMAT, "the PNG has %zu bytes after its end", len - at);
            break;
        }
    }
    if (!info->idat_len || info->idat_len > INT_MAX)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG has %zu bytes of image data", info->idat_len);
    /* deflate expands by at most 1032 to 1: a header that promises more is a lie, refused
     * before a buffer of its size is allocated */
    uint64_t raw = (uint64_t)info->height * ((uint64_t)info->width + 1);
    if (raw > (uint64_t)info->idat_len * 1032 + 64)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG's %zu bytes of image data cannot hold %u x %u pixels", info->idat_len,
                         info->width, info->height);
    return NNDL_OK;
}

/* The IDAT chunks' bytes, one after another (the zlib stream). */
static void gather_idat(uint8_t *out, const uint8_t *png, size_t len) {
    for (size_t at = 8; at + 12 <= len;) {
        uint32_t n = be32(png + at);
        if (memcmp(png + at + 4, "IDAT", 4) == 0) out = (uint8_t *)memcpy(out, png + at + 8, n) + n;
        at += 12 + (size_t)n;
    }
}

/* The data of the only IDAT chunk when there is one holding all idat_len bytes, else NULL. */
static const uint8_t *find_idat(const uint8_t *png, size_t len, size_t idat_len) {
    for (size_t at = 8; at + 12 <= len;) {
        uint32_t n = be32(png + at);
        if (memcmp(png + at + 4, "IDAT", 4) == 0) return n == idat_len ? png + at + 8 : NULL;
        at += 12 + (size_t)n;
    }
    return NULL;
}

/* Undoes PNG's per-row filters in place (one byte per pixel): each row starts with its filter
 * type and is rebuilt from the row above, already rebuilt. */
static int unfilter(uint8_t *raw, uint32_t width, uint32_t height, nndl_error *err) {
    size_t stride = (size_t)width + 1;
    for (uint32_t y = 0; y < height; y++) {
        uint8_t *row = raw + y * stride + 1;
        const uint8_t *up = y ? row - stride : NULL;
        int type = row[-1];
        for (size_t x = 0; x < width; x++) {
            int a = x ? row[x - 1] : 0, b = up ? up[x] : 0, c = x && up ? up[x - 1] : 0, add;
            switch (type) {
            case 0: add = 0; break;
            case 1: add = a; break;
            case 2: add = b; break;
            case 3: add = (a + b) / 2; break;
            case 4: { /* Paeth: whichever of a, b, c is nearest a + b - c */
                int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
                add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            default: return nndl_fail(err, NNDL_E_FORMAT, "the PNG is corrupted: row %u has filter %d", y, type);
            }
            row[x] = (uint8_t)(row[x] + add);
        }
    }
    return NNDL_OK;
}

/* The pixels of a checked PNG into *out: height x (width + 1) bytes, each row after its filter
 * byte (the caller frees them). A single IDAT chunk (stb's, the page's files) is inflated where
 * it lies; several are gathered first. */
static int decode(const uint8_t *png, size_t len, const png_info *info, uint8_t **out, nndl_error *err) {
    size_t raw_len = (size_t)info->height * ((size_t)info->width + 1);
    *out = NULL;
    const uint8_t *stream = find_idat(png, len, info->idat_len);
    uint8_t *gathered = NULL;
    if (!stream) {
        stream = gathered = nndl_alloc(info->idat_len, "the PNG's image data", err);
        if (!gathered) return NNDL_E_NOMEM;
        gather_idat(gathered, png, len);
    }
    uint8_t *raw = nndl_alloc(raw_len, "the decoded PNG", err);
    if (!raw) {
        free(gathered);
        return NNDL_E_NOMEM;
    }
    /* a buffer of exactly raw_len: a stream that would inflate past it is refused, not grown */
    int got = stbi_zlib_decode_buffer((char *)raw, (int)raw_len, (const char *)stream, (int)info->idat_len);
    free(gathered);
    int status = got < 0 ? nndl_fail(err, NNDL_E_FORMAT, "the PNG's image data cannot be inflated: %s", stbi_failure_reason())
               : (size_t)got != raw_len ? nndl_fail(err, NNDL_E_FORMAT, "the PNG's image data is cut short: %d of %zu bytes", got, raw_len)
               : unfilter(raw, info->width, info->height, err);
    if (status == NNDL_OK) *out = raw;
    else free(raw);
    return status;
}

/* Rearranges the unfiltered rows of a sheet of tiles, in place, into images one after another
 * (the IDX layout), `count` of them. A band of `rows` pixel rows holds `per_row` tiles; band b
 * is read from where it lies and written at b x per_row images, which starts no later and ends
 * before band b + 1 begins, so each band goes through `band` (per_row images) and overwrites only
 * bands already read. */
static void tiles_to_images(uint8_t *raw, uint8_t *band, size_t count, size_t per_row, int rows,
                            int cols, uint32_t width) {
    size_t dim = (size_t)rows * (size_t)cols, stride = (size_t)width + 1;
    for (size_t first = 0; first < count; first += per_row) {
        size_t n = count - first < per_row ? count - first : per_row;
        const uint8_t *top = raw + (first / per_row) * (size_t)rows * stride + 1;
        for (size_t t = 0; t < n; t++)
            for (int r = 0; r < rows; r++)
                memcpy(band + t * dim + (size_t)r * (size_t)cols, top + (size_t)r * stride + t * (size_t)cols, (size_t)cols);
        memmove(raw + first * dim, band, n * dim);
    }
}

int nndl_dataset_from_png(nndl_dataset **out, const uint8_t *png, size_t png_len,
                          const uint8_t *labels, size_t labels_len, int rows, int cols,
                          nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new data set");
    *out = NULL;
    if (!png || !labels) return nndl_fail(err, NNDL_E_INVALID, "no bytes given for the images or the labels");
    if (rows < 1 || cols < 1 || (long long)rows * cols > NNDL_MAX_LAYER_SIZE)
        return nndl_fail(err, NNDL_E_INVALID, "images of %d x %d pixels are not possible", rows, cols);
    if (labels_len < 8 || be32(labels) != 0x801)
        return nndl_fail(err, NNDL_E_FORMAT, "the labels are not an IDX label file");
    uint32_t count = be32(labels + 4);
    if (labels_len - 8 != count) /* checked again by the IDX reader; here before any decoding */
        return nndl_fail(err, NNDL_E_FORMAT, "the labels file says %u labels but has %zu", (unsigned)count, labels_len - 8);
    png_info info = {0, 0, 0};
    int status = read_chunks(png, png_len, &info, err);
    if (status != NNDL_OK) return status;
    if (info.width % (uint32_t)cols != 0 || info.height % (uint32_t)rows != 0)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG is %u x %u pixels, not a whole grid of %d x %d tiles",
                         info.width, info.height, cols, rows);
    uint64_t per_row = info.width / (uint32_t)cols, tiles = per_row * (info.height / (uint32_t)rows);
    if (count == 0 || tiles < count || tiles - count >= per_row)
        return nndl_fail(err, NNDL_E_FORMAT, "the PNG holds %llu tiles but the labels count %u images",
                         (unsigned long long)tiles, (unsigned)count);
    uint8_t *raw;
    status = decode(png, png_len, &info, &raw, err);
    if (status != NNDL_OK) return status;
    uint8_t *band = nndl_alloc(per_row * (size_t)rows * (size_t)cols, "a band of tiles", err);
    if (!band) {
        free(raw);
        return NNDL_E_NOMEM;
    }
    tiles_to_images(raw, band, count, per_row, rows, cols, info.width);
    free(band);
    /* the tail the filter bytes and spare tiles took is given back */
    size_t images_len = (size_t)count * (size_t)rows * (size_t)cols;
    uint8_t *images = realloc(raw, images_len);
    return nndl_dataset_adopt(out, images ? images : raw, count, rows, cols, labels + 8, err);
}
