/*
 * fuzz_idx.c — nndl_dataset_from_idx on any pair of files. The input is a 16-bit length, the
 * image file of that length, then the label file. A refusal leaves no data set and says why; an
 * accepted one has labels 0..9 and every pixel readable, and slices and expands.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t images_len = fuzz_u16(&data, &size);
    if (images_len > size) images_len = size;
    const uint8_t *images = data, *labels = data + images_len;
    size_t labels_len = size - images_len;
    nndl_dataset *set = NULL;
    nndl_error err;
    if (nndl_dataset_from_idx(&set, images, images_len, labels, labels_len, &err) != NNDL_OK) {
        FUZZ_REQUIRE(set == NULL && err.message[0] != '\0');
        return 0;
    }
    size_t count = nndl_dataset_count(set), dim = (size_t)nndl_dataset_input_size(set);
    FUZZ_REQUIRE(count > 0 && dim == (size_t)nndl_dataset_rows(set) * (size_t)nndl_dataset_cols(set));
    FUZZ_REQUIRE(images_len == 16 + count * dim && labels_len == 8 + count);
    unsigned sum = 0;
    for (size_t i = 0; i < count * dim; i++) sum += nndl_dataset_images(set)[i];
    for (size_t i = 0; i < count; i++) FUZZ_REQUIRE(nndl_dataset_labels(set)[i] <= 9);
    (void)sum;
    nndl_dataset *part = NULL, *expanded = NULL;
    FUZZ_REQUIRE(nndl_dataset_slice(&part, set, count / 2, count - count / 2, &err) == NNDL_OK);
    FUZZ_REQUIRE(nndl_dataset_count(part) == count - count / 2);
    nndl_dataset_free(part);
    FUZZ_REQUIRE(nndl_dataset_slice(&part, set, count, 1, &err) != NNDL_OK && part == NULL);
    FUZZ_REQUIRE(nndl_dataset_expand(&expanded, set, &err) == NNDL_OK && nndl_dataset_count(expanded) == 5 * count);
    nndl_dataset_free(expanded);
    nndl_dataset_free(set);
    return 0;
}
