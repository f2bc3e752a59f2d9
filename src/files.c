/*
 * files.c — thin file helpers over the in-memory loaders and savers (native builds only; the
 * WebAssembly build leaves this file out, as the browser has no files).
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file into a new buffer (*out, caller frees). */
static int read_file(uint8_t **out, size_t *len, const char *path, nndl_error *err) {
    *out = NULL;
    *len = 0;
    if (!path) return nndl_fail(err, NNDL_E_INVALID, "no file name given");
    FILE *f = fopen(path, "rb");
    if (!f) return nndl_fail(err, NNDL_E_IO, "cannot open %s: %s", path, strerror(errno));
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return nndl_fail(err, NNDL_E_IO, "cannot find the size of %s", path);
    }
    uint8_t *buf = nndl_alloc((size_t)size, path, err);
    if (!buf) {
        fclose(f);
        return NNDL_E_NOMEM;
    }
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    if (got != (size_t)size) {
        free(buf);
        return nndl_fail(err, NNDL_E_IO, "cannot read %s: got %zu of %ld bytes", path, got, size);
    }
    *out = buf;
    *len = (size_t)size;
    return NNDL_OK;
}

/* Prefixes err's message with the file's name, so the caller knows which file was bad. */
static int blame(const char *path, int status, nndl_error *err) {
    if (status != NNDL_OK && err) {
        /* A message longer than the record is cut short: the start says the most. */
        char message[sizeof err->message];
        if (snprintf(message, sizeof message, "%s: %s", path, err->message) >= 0)
            memcpy(err->message, message, sizeof message);
    }
    return status;
}

int nndl_dataset_load_idx(nndl_dataset **out, const char *images_path, const char *labels_path,
                          nndl_error *err) {
    if (out) *out = NULL;
    uint8_t *images = NULL, *labels = NULL;
    size_t images_len = 0, labels_len = 0;
    int status = read_file(&images, &images_len, images_path, err);
    if (status == NNDL_OK) status = read_file(&labels, &labels_len, labels_path, err);
    if (status == NNDL_OK) {
        status = nndl_dataset_from_idx(out, images, images_len, labels, labels_len, err);
        if (status != NNDL_OK) {
            char both[2048];
            snprintf(both, sizeof both, "%s and %s", images_path, labels_path);
            blame(both, status, err);
        }
    }
    free(images);
    free(labels);
    return status;
}

int nndl_network_save_file(const nndl_network *net, const char *path, nndl_error *err) {
    if (!net || !path) return nndl_fail(err, NNDL_E_INVALID, "saving needs a network and a file name");
    size_t len = nndl_network_saved_size(net);
    uint8_t *buf = nndl_alloc(len, "the model", err);
    if (!buf) return NNDL_E_NOMEM;
    int status = nndl_network_save(net, buf, len, err);
    if (status == NNDL_OK) {
        /* Write to a temporary name and rename, so a failure never leaves half a model behind
         * in place of a good one. */
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            status = nndl_fail(err, NNDL_E_IO, "cannot write %s: %s", tmp, strerror(errno));
        } else {
            int ok = fwrite(buf, 1, len, f) == len;
            ok = (fclose(f) == 0) && ok;
            if (!ok || rename(tmp, path) != 0) {
                remove(tmp);
                status = nndl_fail(err, NNDL_E_IO, "cannot write %s", path);
            }
        }
    }
    free(buf);
    return status;
}

int nndl_network_load_file(nndl_network **out, const char *path, uint64_t seed, nndl_error *err) {
    if (out) *out = NULL;
    uint8_t *buf;
    size_t len;
    int status = read_file(&buf, &len, path, err);
    if (status != NNDL_OK) return status;
    status = blame(path, nndl_network_load(out, buf, len, seed, err), err);
    free(buf);
    return status;
}
