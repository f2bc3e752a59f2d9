/*
 * test_model.c — model files: a round trip gives the same parameters and predictions, and a
 * truncated, corrupted, foreign, other-version or absurd file is refused whole with its message.
 */
#include "check.h"
#include "nndl.h"

#include <stdlib.h>

static uint32_t crc32_of(const uint8_t *p, size_t n) { /* the bitwise definition, as a twin */
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Rewrites the checksum so that a deliberately edited header is judged on its content. */
static void reseal(uint8_t *buf, size_t len) { put_le32(buf + len - 4, crc32_of(buf, len - 4)); }

static int load(const uint8_t *buf, size_t len, nndl_error *err) {
    nndl_network *net = (nndl_network *)1;
    int status = nndl_network_load(&net, buf, len, 1, err);
    if (status != NNDL_OK) CHECK(net == NULL, "a refused model left a network");
    nndl_network_free(net);
    return status;
}

static void test_round_trip(void) {
    nndl_error err;
    nndl_network *net, *back;
    const int sizes[] = {13, 7, 5, 10};
    CHECK(nndl_network_create(&net, sizes, 4, 3, &err) == NNDL_OK, "%s", err.message);
    size_t len = nndl_network_saved_size(net);
    /* header: 12, sizes, activations and six shape fields 8 x 16, cost and init 8,
     * hyper-parameters 40, temperature 4 */
    CHECK(len == 12 + 8 * 16 + 8 + 44 + 4 * (13 * 7 + 7 + 7 * 5 + 5 + 5 * 10 + 10) + 4, "saved size %zu", len);
    uint8_t *buf = malloc(len);
    CHECK_ERROR(nndl_network_save(net, buf, len - 1, &err), NNDL_E_INVALID, err, "needs");
    CHECK(nndl_network_save(net, buf, len, &err) == NNDL_OK, "%s", err.message);
    CHECK(!memcmp(buf, "NNDL", 4) && buf[4] == 4, "header");
    CHECK(crc32_of((const uint8_t *)"123456789", 9) == 0xCBF43926u, "CRC-32 check value");
    CHECK(nndl_network_load(&back, buf, len, 99, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_num_layers(back) == 4 && nndl_network_layer_size(back, 2) == 5, "shape after load");
    CHECK(!memcmp(nndl_network_params(net), nndl_network_params(back), nndl_network_num_params(net) * sizeof(float)),
          "parameters differ after a round trip");
    float x[13], a[10], b[10];
    for (int i = 0; i < 13; i++) x[i] = (float)i / 13.0f;
    CHECK(nndl_network_predict(net, NULL, x, a, &err) == nndl_network_predict(back, NULL, x, b, &err) && !memcmp(a, b, sizeof a),
          "predictions differ after a round trip");

    const char *path = "test_model.tmp";
    CHECK(nndl_network_save_file(net, path, &err) == NNDL_OK, "%s", err.message);
    nndl_network *from_file;
    CHECK(nndl_network_load_file(&from_file, path, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(!memcmp(nndl_network_params(net), nndl_network_params(from_file), nndl_network_num_params(net) * sizeof(float)),
          "parameters differ after a file round trip");
    nndl_network_free(from_file);
    remove(path);
    CHECK_ERROR(nndl_network_load_file(&from_file, "/nonexistent/model.bin", 1, &err), NNDL_E_IO, err, "/nonexistent/model.bin");
    CHECK_ERROR(nndl_network_save_file(net, "/nonexistent/dir/model.bin", &err), NNDL_E_IO, err, "/nonexistent/dir");
    free(buf);
    nndl_network_free(net);
    nndl_network_free(back);
}

static void test_bad_files(void) {
    nndl_error err;
    nndl_network *net;
    const int sizes[] = {3, 4, 2};
    CHECK(nndl_network_create(&net, sizes, 3, 3, &err) == NNDL_OK, "%s", err.message);
    size_t len = nndl_network_saved_size(net);
    uint8_t *buf = malloc(len + 8);
    nndl_network_save(net, buf, len, &err);
    nndl_network_free(net);

    int all_refused = 1;
    for (size_t cut = 0; cut < len; cut++) all_refused &= load(buf, cut, &err) == NNDL_E_FORMAT;
    CHECK(all_refused, "a truncated model was accepted");
    CHECK_ERROR(load(buf, len - 9, &err), NNDL_E_FORMAT, err, "truncated");
    memset(buf + len, 0, 8);
    CHECK_ERROR(load(buf, len + 8, &err), NNDL_E_FORMAT, err, "too long");

    int flips_refused = 1;
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1 << bit);
            flips_refused &= load(buf, len, &err) == NNDL_E_FORMAT;
            buf[i] ^= (uint8_t)(1 << bit);
        }
    CHECK(flips_refused, "a model with a flipped bit was accepted");
    buf[40] ^= 4; /* inside the parameters */
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "corrupted");
    buf[40] ^= 4;

    CHECK_ERROR(load((const uint8_t *)"P5\n28 28\n255\n...........", 24, &err), NNDL_E_FORMAT, err, "does not start with");
    put_le32(buf + 4, 7);
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "version 7");
    put_le32(buf + 4, 4);
    put_le32(buf + 8, 1000);
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "1000 layers");
    put_le32(buf + 8, 3);
    put_le32(buf + 16, 0x7FFFFFFF);
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "neurons");
    put_le32(buf + 16, 65536);
    put_le32(buf + 12, 65536);
    put_le32(buf + 20, 65536);
    put_le32(buf + 48, 65536); /* the input's shape, 65536 x 1 x 1 (after sizes, activations, kinds) */
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "absurd");
    put_le32(buf + 48, 3);
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "impossible: layer 0 has 65536 neurons but its shape 3 x 1 x 1");
    put_le32(buf + 12, 3);
    put_le32(buf + 16, 4);
    put_le32(buf + 20, 2);
    reseal(buf, len);
    CHECK(load(buf, len, &err) == NNDL_OK, "restored model refused: %s", err.message);
    CHECK_ERROR(nndl_network_load(&net, NULL, 10, 1, &err), NNDL_E_INVALID, err, "no bytes");
    free(buf);
}

/* A chapter 3 network keeps its spec and hyper-parameters through a file; a spec that cannot
 * be is refused; a chapter 1 (version 1) file still loads as network.py's network. */
static void test_spec_and_versions(void) {
    nndl_error err;
    nndl_spec spec;
    nndl_spec_fully_connected(&spec, (const int[]){6, 5, 4, 10}, 4, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.activation[1] = NNDL_RELU;
    spec.activation[2] = NNDL_TANH;
    spec.activation[3] = NNDL_SOFTMAX;
    spec.cost = NNDL_LOG_LIKELIHOOD;
    spec.init = NNDL_INIT_SCALED;
    nndl_network *net, *back;
    CHECK(nndl_network_create_spec(&net, &spec, 5, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = {25, 0.25f, 5.0f, 0.5f, 0.9f, 0.5f, 10.0f, 2.0f, 0.3f, 8.0f};
    nndl_network_set_hyper(net, &h);
    size_t len = nndl_network_saved_size(net);
    uint8_t *buf = malloc(len);
    nndl_network_save(net, buf, len, &err);
    CHECK(nndl_network_load(&back, buf, len, 1, &err) == NNDL_OK, "%s", err.message);
    nndl_spec got;
    nndl_network_get_spec(back, &got);
    nndl_hyper got_h = nndl_network_get_hyper(back);
    CHECK(got.activation[1] == NNDL_RELU && got.activation[2] == NNDL_TANH && got.activation[3] == NNDL_SOFTMAX &&
              got.cost == NNDL_LOG_LIKELIHOOD && got.init == NNDL_INIT_SCALED,
          "spec after a round trip");
    CHECK(!memcmp(&got_h, &h, sizeof h), "hyper-parameters after a round trip");
    nndl_network_free(back);

    /* version 3: the same file with seven hyper-parameter floats (no shear or elastic) and no
     * temperature */
    size_t hyper_at = 12 + (size_t)(8 + 24) * 4 + 8, v3_len = len - 12;
    uint8_t *v3 = malloc(v3_len);
    memcpy(v3, buf, hyper_at + 32);
    memcpy(v3 + hyper_at + 32, buf + hyper_at + 44, len - hyper_at - 44);
    put_le32(v3 + 4, 3);
    reseal(v3, v3_len);
    CHECK(nndl_network_load(&back, v3, v3_len, 1, &err) == NNDL_OK, "version 3: %s", err.message);
    got_h = nndl_network_get_hyper(back);
    CHECK(got_h.rotate == h.rotate && got_h.shift == h.shift && got_h.shear == 0 && got_h.elastic == 0, "version 3 hyper-parameters");
    CHECK(!memcmp(nndl_network_params(back), nndl_network_params(net), 4 * nndl_network_num_params(net)), "version 3 parameters");
    nndl_network_free(back);
    free(v3);

    /* softmax moved to a hidden layer, the checksum made right again: refused for its content */
    put_le32(buf + 12 + 16 + 4, NNDL_SOFTMAX);
    reseal(buf, len);
    CHECK_ERROR(load(buf, len, &err), NNDL_E_FORMAT, err, "impossible: softmax is for the output layer only");
    free(buf);

    /* version 1: magic, 1, layers, sizes, parameters, CRC */
    size_t np = nndl_network_num_params(net), v1_len = 12 + 16 + 4 * np + 4;
    uint8_t *v1 = malloc(v1_len);
    memcpy(v1, "NNDL", 4);
    put_le32(v1 + 4, 1);
    put_le32(v1 + 8, 4);
    const int sizes[] = {6, 5, 4, 10};
    for (int l = 0; l < 4; l++) put_le32(v1 + 12 + 4 * l, (uint32_t)sizes[l]);
    memcpy(v1 + 28, nndl_network_params(net), 4 * np); /* this machine is little-endian */
    reseal(v1, v1_len);
    CHECK(nndl_network_load(&back, v1, v1_len, 1, &err) == NNDL_OK, "version 1: %s", err.message);
    nndl_network_get_spec(back, &got);
    CHECK(got.cost == NNDL_QUADRATIC && got.activation[3] == NNDL_SIGMOID && got.init == NNDL_INIT_LARGE, "version 1 spec");
    CHECK(!memcmp(nndl_network_params(back), nndl_network_params(net), 4 * np), "version 1 parameters");
    nndl_network_free(back);
    free(v1);
    nndl_network_free(net);
}

int main(void) {
    test_round_trip();
    test_bad_files();
    test_spec_and_versions();
    return check_report("test_model");
}
