/*
 * files.c — the file helpers over the in-memory loaders and savers (native builds only; the
 * WebAssembly build leaves this file out, as the browser has no files): reading a whole regular
 * file, and the one way nndl writes a file, atomically. Not here: parsing (dataset.c, model.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What kind of file st is, for a message ("a directory", "a symbolic link", ...). */
static const char *kind_of(const struct stat *st) {
    if (S_ISDIR(st->st_mode)) return "a directory";
    if (S_ISLNK(st->st_mode)) return "a symbolic link";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) return "a device";
    if (S_ISFIFO(st->st_mode)) return "a pipe";
    if (S_ISSOCK(st->st_mode)) return "a socket";
    return "not a regular file";
}

int nndl_file_read(uint8_t **out, size_t *len, const char *path, nndl_error *err) {
    if (!out || !len) return nndl_fail(err, NNDL_E_INVALID, "no place given for the file's bytes");
    *out = NULL;
    *len = 0;
    if (!path || !*path) return nndl_fail(err, NNDL_E_INVALID, "no file name given");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nndl_fail(err, NNDL_E_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    int status = NNDL_OK;
    if (fstat(fd, &st) != 0) status = nndl_fail(err, NNDL_E_IO, "cannot read %s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode)) status = nndl_fail(err, NNDL_E_IO, "cannot read %s: it is %s", path, kind_of(&st));
    if (status != NNDL_OK) {
        close(fd);
        return status;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = nndl_alloc(size, path, err);
    if (!buf) status = NNDL_E_NOMEM;
    for (size_t got = 0; status == NNDL_OK && got < size;) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            status = nndl_fail(err, NNDL_E_IO, "cannot read %s: %s", path, n < 0 ? strerror(errno) : "it was cut short while reading");
        else
            got += (size_t)n;
    }
    close(fd);
    if (status != NNDL_OK) {
        free(buf);
        return status;
    }
    *out = buf;
    *len = size;
    return NNDL_OK;
}

/* Creates a new, empty file next to path (same folder, so that rename() cannot cross file
 * systems) under a name nobody else holds: O_EXCL refuses a name that exists, so two writers
 * in one folder never share a temporary file. mkstemp() would do the same but always with mode
 * 0600; opening with 0666 lets the umask decide, as for any other file the user makes. */
static int create_temporary(char *tmp, size_t size, const char *path, nndl_error *err) {
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    unsigned long long salt = (unsigned long long)t.tv_nsec ^ (unsigned long long)(uintptr_t)tmp;
    for (int attempt = 0; attempt < 100; attempt++) {
        salt = salt * 6364136223846793005ULL + 1442695040888963407ULL;
        int n = snprintf(tmp, size, "%.*s.%s.%ld.%012llx.tmp", dir_len, path, slash ? slash + 1 : path,
                         (long)getpid(), salt >> 16);
        if (n < 0 || (size_t)n >= size)
            return nndl_fail(err, NNDL_E_IO, "cannot write %s: the name is too long for a temporary file beside it", path);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0) nndl_fail(err, NNDL_E_IO, "cannot write %s: cannot create a file in its folder: %s", path, strerror(errno));
            return fd;
        }
    }
    return nndl_fail(err, NNDL_E_IO, "cannot write %s: no free temporary name in its folder", path);
}

static int write_all(int fd, const uint8_t *bytes, size_t len) {
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, bytes + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* Refuses to replace anything at path but a regular file: a device node, a symbolic link or a
 * directory there would be silently swapped for a regular file by rename(). */
static int check_target(const char *path, struct stat *st, int *exists, nndl_error *err) {
    *exists = lstat(path, st) == 0;
    if (!*exists && errno != ENOENT) return nndl_fail(err, NNDL_E_IO, "cannot write %s: %s", path, strerror(errno));
    if (*exists && !S_ISREG(st->st_mode))
        return nndl_fail(err, NNDL_E_IO, "will not write %s: it is %s, and only a regular file is replaced", path,
                         kind_of(st));
    return NNDL_OK;
}

/* The folder of path into buf ("." for a bare name). */
static int folder_of(char *buf, size_t size, const char *path) {
    const char *slash = strrchr(path, '/');
    int n = snprintf(buf, size, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    return n > 0 && (size_t)n < size;
}

int nndl_file_check_writable(const char *path, nndl_error *err) {
    if (!path || !*path) return nndl_fail(err, NNDL_E_INVALID, "no file name given");
    struct stat st;
    int exists, status = check_target(path, &st, &exists, err);
    if (status != NNDL_OK) return status;
    char dir[4096];
    if (!folder_of(dir, sizeof dir, path)) return nndl_fail(err, NNDL_E_IO, "cannot write %s: the name is too long", path);
    if (access(dir, W_OK | X_OK) != 0)
        return nndl_fail(err, NNDL_E_IO, "cannot write %s: its folder: %s", path, strerror(errno));
    return nndl_ok(err);
}

int nndl_file_write(const char *path, const void *bytes, size_t len, nndl_error *err) {
    if (!path || !*path) return nndl_fail(err, NNDL_E_INVALID, "no file name given");
    if (!bytes && len) return nndl_fail(err, NNDL_E_INVALID, "no bytes given to write to %s", path);
    struct stat st;
    int exists, status = check_target(path, &st, &exists, err);
    if (status != NNDL_OK) return status;
    char tmp[4096];
    int fd = create_temporary(tmp, sizeof tmp, path, err);
    if (fd < 0) return NNDL_E_IO;
    /* The new file keeps the permissions of the one it replaces. */
    int failure = 0; /* the errno of the first step that failed */
    if ((exists && fchmod(fd, st.st_mode & 07777) != 0) || write_all(fd, bytes, len) != 0 || fsync(fd) != 0)
        failure = errno;
    if (close(fd) != 0 && !failure) failure = errno;
    if (failure) {
        unlink(tmp);
        return nndl_fail(err, NNDL_E_IO, "cannot write %s: %s; the file is unchanged", path, strerror(failure));
    }
    /* Checked again just before the swap, to narrow the window in which something else may
     * have appeared at path. */
    status = check_target(path, &st, &exists, err);
    if (status == NNDL_OK && rename(tmp, path) != 0)
        status = nndl_fail(err, NNDL_E_IO, "cannot write %s: %s; the file is unchanged", path, strerror(errno));
    if (status != NNDL_OK) {
        unlink(tmp);
        return status;
    }
    /* The rename itself reaches the disk with the folder (best effort: some file systems refuse
     * fsync on a directory, and the data is already safe). */
    int dir = folder_of(tmp, sizeof tmp, path) ? open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dir >= 0) {
        (void)fsync(dir);
        close(dir);
    }
    return nndl_ok(err);
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
    int status = nndl_file_read(&images, &images_len, images_path, err);
    if (status == NNDL_OK) status = nndl_file_read(&labels, &labels_len, labels_path, err);
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
    if (status == NNDL_OK) status = nndl_file_write(path, buf, len, err);
    free(buf);
    return status;
}

int nndl_network_load_file(nndl_network **out, const char *path, uint64_t seed, nndl_error *err) {
    if (out) *out = NULL;
    uint8_t *buf;
    size_t len;
    int status = nndl_file_read(&buf, &len, path, err);
    if (status != NNDL_OK) return status;
    status = blame(path, nndl_network_load(out, buf, len, seed, err), err);
    free(buf);
    return status;
}
