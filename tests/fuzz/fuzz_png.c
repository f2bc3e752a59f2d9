/*
 * fuzz_png.c — nndl_dataset_from_png on any sprite sheet. The input is the tile's rows and
 * columns (a byte each, 1 to 32), a 16-bit length, the label file of that length, then the PNG.
 * A refusal leaves no data set and says why; an accepted sheet gives as many images as labels,
 * of the tile's size.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int rows = 1 + fuzz_byte(&data, &size) % 32, cols = 1 + fuzz_byte(&data, &size) % 32;
    size_t labels_len = fuzz_u16(&data, &size);
    if (labels_len > size) labels_len = size;
    const uint8_t *labels = data, *png = data + labels_len;
    nndl_dataset *set = NULL;
    nndl_error err;
    if (nndl_dataset_from_png(&set, png, size - labels_len, labels, labels_len, rows, cols, &err) != NNDL_OK) {
        FUZZ_REQUIRE(set == NULL && err.message[0] != '\0');
        return 0;
    }
    FUZZ_REQUIRE(nndl_dataset_count(set) == labels_len - 8);
    FUZZ_REQUIRE(nndl_dataset_rows(set) == rows && nndl_dataset_cols(set) == cols);
    unsigned sum = 0;
    for (size_t i = 0; i < nndl_dataset_count(set) * (size_t)(rows * cols); i++) sum += nndl_dataset_images(set)[i];
    (void)sum;
    nndl_dataset_free(set);
    return 0;
}
