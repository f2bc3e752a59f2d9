/*
 * fuzz.h — what the fuzz harnesses share: how one input is cut into the arguments of the entry
 * point it drives (the seed maker, seeds.c, cuts the same way), and the budget that keeps a
 * fuzzed network small enough to run thousands of times a second. Each harness defines
 * LLVMFuzzerTestOneInput; libFuzzer calls it when built with clang (npm run fuzz), replay.c
 * when built as a plain program that replays a corpus under ctest. Not a test framework.
 */
#ifndef NNDL_FUZZ_H
#define NNDL_FUZZ_H

#include "nndl.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes a byte from the front of the input (0 once it is used up). */
static inline uint8_t fuzz_byte(const uint8_t **data, size_t *size) {
    if (!*size) return 0;
    (*size)--;
    return *(*data)++;
}

/* Takes a big-endian 16-bit number from the front of the input. */
static inline size_t fuzz_u16(const uint8_t **data, size_t *size) {
    size_t hi = fuzz_byte(data, size);
    return hi << 8 | fuzz_byte(data, size);
}

/* Networks whose parameters (with gradients and velocities) and batch buffers would pass this
 * many bytes, or whose forward pass would pass this many multiply-adds per example, are only
 * checked, not built: the library allows 2 GB, which a fuzzer run at a 2 GB RSS limit cannot. */
#define FUZZ_MAX_BYTES ((uint64_t)96 << 20)
#define FUZZ_MAX_MACS ((uint64_t)20 << 20)

/* A property that must hold whatever the input: a failure is a crash the fuzzer reports. */
#define FUZZ_REQUIRE(cond)                                                                    \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: FUZZ_REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* Whether a completed spec is small enough to build and run a batch of m through (see
 * FUZZ_MAX_BYTES): its parameters three times over (values, gradients, velocities), its
 * activations, deltas and feeds, and the unrolled receptive fields. */
static inline int fuzz_affordable(const nndl_spec *s, uint64_t m) {
    uint64_t params = 0, macs = 0, acts = (uint64_t)s->sizes[0], scratch = 0;
    for (int l = 1; l < s->num_layers; l++) {
        uint64_t in = (uint64_t)s->sizes[l - 1], positions = (uint64_t)s->rows[l] * (uint64_t)s->cols[l];
        uint64_t field = (uint64_t)s->maps[l - 1] * (uint64_t)s->field_rows[l] * (uint64_t)s->field_cols[l];
        if (s->kind[l] == NNDL_CONV) {
            params += (uint64_t)s->maps[l] * (field + 1);
            macs += (uint64_t)s->maps[l] * field * positions;
            scratch = scratch > field * positions ? scratch : field * positions;
        } else if (s->kind[l] == NNDL_FULL) {
            params += (uint64_t)s->sizes[l] * (in + 1);
            macs += (uint64_t)s->sizes[l] * in;
            scratch = scratch > in ? scratch : in;
        }
        acts += 3 * (uint64_t)s->sizes[l];
    }
    return 4 * (3 * params + m * (acts + scratch)) <= FUZZ_MAX_BYTES && macs <= FUZZ_MAX_MACS;
}

#endif
