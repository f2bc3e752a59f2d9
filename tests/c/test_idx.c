/*
 * test_idx.c — the IDX reader takes good files and refuses every kind of bad one with its own
 * message, never crashing (the suite runs under AddressSanitizer): truncated, over-long, wrong
 * magic, swapped files, count mismatch, zero or absurd dimensions, labels outside 0..9, and
 * every possible truncation and header byte flip of a small file.
 */
#include "check.h"
#include "nndl.h"
#include "synthetic.h"

static int parse(const idx_pair *f, nndl_error *err) {
    nndl_dataset *d = (nndl_dataset *)1; /* must be reset to NULL on failure */
    int status = nndl_dataset_from_idx(&d, f->images, f->images_len, f->labels, f->labels_len, err);
    if (status != NNDL_OK) CHECK(d == NULL, "a refused file left a data set");
    nndl_dataset_free(d);
    return status;
}

static void test_good(void) {
    nndl_error err;
    idx_pair f = make_idx(3, 2, 3, 1);
    nndl_dataset *d;
    CHECK(nndl_dataset_from_idx(&d, f.images, f.images_len, f.labels, f.labels_len, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(d) == 3 && nndl_dataset_rows(d) == 2 && nndl_dataset_cols(d) == 3 &&
              nndl_dataset_input_size(d) == 6, "dimensions");
    CHECK(!memcmp(nndl_dataset_images(d), f.images + 16, 18) && !memcmp(nndl_dataset_labels(d), f.labels + 8, 3),
          "bytes differ from the file");
    nndl_dataset *s;
    CHECK(nndl_dataset_slice(&s, d, 1, 2, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(s) == 2 && !memcmp(nndl_dataset_images(s), f.images + 16 + 6, 12) &&
              nndl_dataset_labels(s)[0] == f.labels[9], "slice");
    nndl_dataset_free(s);
    /* a slice shares its source's bytes and outlives it; a slice of a slice too */
    nndl_dataset *s2, *s3;
    CHECK(nndl_dataset_slice(&s2, d, 1, 2, &err) == NNDL_OK && nndl_dataset_images(s2) == nndl_dataset_images(d) + 6,
          "a slice copied its bytes");
    CHECK(nndl_dataset_slice(&s3, s2, 1, 1, &err) == NNDL_OK && nndl_dataset_labels(s3)[0] == f.labels[10], "slice of a slice");
    nndl_dataset_free(d);
    nndl_dataset_free(s2);
    CHECK(!memcmp(nndl_dataset_images(s3), f.images + 16 + 12, 6), "a slice lost its bytes with its source");
    nndl_dataset_free(s3);
    CHECK(nndl_dataset_from_idx(&d, f.images, f.images_len, f.labels, f.labels_len, &err) == NNDL_OK, "%s", err.message);
    CHECK_ERROR(nndl_dataset_slice(&s, d, 2, 2, &err), NNDL_E_INVALID, err, "not a non-empty part");
    CHECK_ERROR(nndl_dataset_slice(&s, d, 0, 0, &err), NNDL_E_INVALID, err, "not a non-empty part");
    nndl_dataset_free(d);
    free_idx(&f);
}

static void test_bad(void) {
    nndl_error err;
    idx_pair f = make_idx(5, 4, 4, 2);
    idx_pair g = f;

    g.images_len = f.images_len - 1;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "truncated");
    g.images_len = 10;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "header");
    g = f;
    g.labels_len = f.labels_len - 2;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "labels file is truncated");

    /* over-long */
    idx_pair longer = make_idx(5, 4, 4, 2);
    longer.images = realloc(longer.images, longer.images_len + 3);
    longer.images_len += 3;
    CHECK_ERROR(parse(&longer, &err), NNDL_E_FORMAT, err, "3 unexpected bytes");
    free_idx(&longer);

    /* the two files swapped */
    g.images = f.labels, g.images_len = f.labels_len, g.labels = f.images, g.labels_len = f.images_len;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "that of an IDX label file");

    /* wrong magic */
    g = f;
    f.images[3] = 0x08;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "magic number 0x00000808");
    f.images[3] = 0x03;

    /* label count differs */
    idx_pair fewer = make_idx(4, 4, 4, 2);
    g.labels = fewer.labels, g.labels_len = fewer.labels_len;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "5 images but the labels file has 4");
    free_idx(&fewer);
    g = f;

    /* label out of range */
    uint8_t keep = f.labels[10];
    f.labels[10] = 10;
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "label 2 is 10");
    f.labels[10] = keep;

    /* zero and absurd dimensions */
    put_be32(f.images + 8, 0);
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "none may be 0");
    put_be32(f.images + 8, 60000);
    put_be32(f.images + 12, 60000);
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "absurd");
    put_be32(f.images + 4, 0xFFFFFFFFu);
    put_be32(f.images + 8, 28);
    put_be32(f.images + 12, 28);
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "over the limit");
    put_be32(f.images + 4, 1000000); /* plausible header, but the bytes are not there */
    CHECK_ERROR(parse(&g, &err), NNDL_E_FORMAT, err, "truncated");
    put_be32(f.images + 4, 5);
    put_be32(f.images + 8, 4);
    put_be32(f.images + 12, 4);
    CHECK(parse(&g, &err) == NNDL_OK, "restored file refused: %s", err.message);

    CHECK_ERROR(nndl_dataset_from_idx(NULL, f.images, f.images_len, f.labels, f.labels_len, &err), NNDL_E_INVALID, err, "no place");
    g.images = NULL;
    CHECK_ERROR(parse(&g, &err), NNDL_E_INVALID, err, "no bytes");
    free_idx(&f);
}

/* Every truncation of both files and every single-byte change of the headers: refused or
 * accepted, never a crash, and a changed header is never silently taken for the original. */
static void test_exhaustive(void) {
    nndl_error err;
    idx_pair f = make_idx(6, 3, 3, 5);
    idx_pair g = f;
    int refused = 1;
    for (size_t len = 0; len < f.images_len; len++) {
        g.images_len = len;
        refused &= parse(&g, &err) == NNDL_E_FORMAT;
    }
    g = f;
    for (size_t len = 0; len < f.labels_len; len++) {
        g.labels_len = len;
        refused &= parse(&g, &err) == NNDL_E_FORMAT;
    }
    CHECK(refused, "a truncated file was accepted");
    g = f;
    int header_flips_refused = 1;
    for (size_t i = 0; i < 16; i++)
        for (int bit = 0; bit < 8; bit++) {
            f.images[i] ^= (uint8_t)(1 << bit);
            header_flips_refused &= parse(&g, &err) == NNDL_E_FORMAT;
            f.images[i] ^= (uint8_t)(1 << bit);
        }
    CHECK(header_flips_refused, "a flipped bit in the image header was accepted");
    free_idx(&f);
}

static void test_files(void) {
    nndl_error err;
    nndl_dataset *d;
    CHECK_ERROR(nndl_dataset_load_idx(&d, "/nonexistent/images", "/nonexistent/labels", &err), NNDL_E_IO, err,
                "/nonexistent/images");
    idx_pair f = make_idx(7, 2, 2, 3);
    const char *images = "test_idx_images.tmp", *labels = "test_idx_labels.tmp";
    FILE *fi = fopen(images, "wb"), *fl = fopen(labels, "wb");
    CHECK(fi && fl, "cannot write temporary files");
    if (!fi || !fl) return;
    fwrite(f.images, 1, f.images_len, fi);
    fwrite(f.labels, 1, f.labels_len - 1, fl); /* one label short */
    fclose(fi);
    fclose(fl);
    CHECK_ERROR(nndl_dataset_load_idx(&d, images, labels, &err), NNDL_E_FORMAT, err, "test_idx_labels.tmp");
    remove(images);
    remove(labels);
    free_idx(&f);
}

int main(void) {
    test_good();
    test_bad();
    test_exhaustive();
    test_files();
    return check_report("test_idx");
}
