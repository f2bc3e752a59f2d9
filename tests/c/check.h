/*
 * check.h — the few assertion macros the C tests share. A failed CHECK prints where and why
 * and the test goes on, so one run shows every failure; main returns check_report().
 * Not a framework: no fixtures, no registration, ctest runs each test program.
 */
#ifndef NNDL_CHECK_H
#define NNDL_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures = 0, check_count = 0;

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        check_count++;                                                                        \
        if (!(cond)) {                                                                        \
            check_failures++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);          \
            fprintf(stderr, __VA_ARGS__);                                                     \
            fputc('\n', stderr);                                                              \
        }                                                                                     \
    } while (0)

/* A status and a message that contains `needle`. */
#define CHECK_ERROR(status, want, err, needle)                                                \
    CHECK((status) == (want) && strstr((err).message, (needle)) != NULL,                      \
          "status %d (want %d), message \"%s\" (want it to mention \"%s\")", (status), (want),  \
          (err).message, (needle))

static int check_report(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
