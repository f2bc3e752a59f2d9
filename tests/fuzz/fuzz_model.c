/*
 * fuzz_model.c — nndl_network_load on any bytes: a refusal leaves no network and says why; a
 * model that loads saves to bytes that load again and save the same (a fixed point), writes its
 * JSON to exactly the length it announces, and, when small enough, predicts without a fault.
 */
#include "fuzz.h"

#include <string.h>

static uint8_t *saved(const nndl_network *net, size_t *len) {
    *len = nndl_network_saved_size(net);
    uint8_t *buf = malloc(*len);
    nndl_error err;
    FUZZ_REQUIRE(buf && nndl_network_save(net, buf, *len, &err) == NNDL_OK);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nndl_network *net = NULL;
    nndl_error err;
    if (nndl_network_load(&net, data, size, 1, &err) != NNDL_OK) {
        FUZZ_REQUIRE(net == NULL && err.message[0] != '\0');
        return 0;
    }
    size_t len, again_len;
    uint8_t *bytes = saved(net, &len);
    nndl_network *again = NULL;
    FUZZ_REQUIRE(nndl_network_load(&again, bytes, len, 1, &err) == NNDL_OK);
    uint8_t *twice = saved(again, &again_len);
    FUZZ_REQUIRE(again_len == len && memcmp(bytes, twice, len) == 0);
    free(bytes);
    free(twice);
    nndl_network_free(again);

    size_t json_len = nndl_network_to_json(net, NULL, 0);
    char *json = malloc(json_len + 1);
    FUZZ_REQUIRE(json && nndl_network_to_json(net, json, json_len + 1) == json_len && strlen(json) == json_len);
    free(json);

    nndl_spec spec;
    nndl_network_get_spec(net, &spec);
    if (fuzz_affordable(&spec, 1)) {
        float *input = calloc((size_t)spec.sizes[0], sizeof(float));
        float *output = malloc((size_t)spec.sizes[spec.num_layers - 1] * sizeof(float));
        int digit = nndl_network_predict(net, NULL, input, output, &err);
        FUZZ_REQUIRE(digit >= 0 && digit < spec.sizes[spec.num_layers - 1]);
        free(input);
        free(output);
    }
    nndl_network_free(net);
    return 0;
}
