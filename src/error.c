/*
 * error.c — status names, the error record every fallible call fills, checked allocation.
 * Deliberately has no global "last error": the caller owns the nndl_error it passes in.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nndl_status_name(int status) {
    switch (status) {
    case NNDL_OK: return "ok";
    case NNDL_E_INVALID: return "invalid argument";
    case NNDL_E_NOMEM: return "out of memory";
    case NNDL_E_FORMAT: return "bad file format";
    case NNDL_E_IO: return "input/output error";
    case NNDL_E_DIVERGED: return "training diverged";
    case NNDL_E_STOPPED: return "stopped";
    default: return "unknown status";
    }
}

int nndl_fail(nndl_error *err, int code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

int nndl_ok(nndl_error *err) {
    if (err) {
        err->code = NNDL_OK;
        err->message[0] = '\0';
    }
    return NNDL_OK;
}

size_t nndl_mul_size(size_t a, size_t b) {
    if (a != 0 && b > SIZE_MAX / a) return SIZE_MAX;
    return a * b;
}

static void *checked(size_t bytes, int zero, const char *what, nndl_error *err) {
    if (bytes > NNDL_MAX_BYTES) {
        nndl_fail(err, NNDL_E_NOMEM, "%s would need %zu bytes, more than the limit of %zu",
                  what, bytes, (size_t)NNDL_MAX_BYTES);
        return NULL;
    }
    void *p = zero ? calloc(bytes ? bytes : 1, 1) : malloc(bytes ? bytes : 1);
    if (!p) nndl_fail(err, NNDL_E_NOMEM, "out of memory allocating %zu bytes for %s", bytes, what);
    return p;
}

void *nndl_alloc(size_t bytes, const char *what, nndl_error *err) {
    return checked(bytes, 0, what, err);
}

void *nndl_zalloc(size_t bytes, const char *what, nndl_error *err) {
    return checked(bytes, 1, what, err);
}
