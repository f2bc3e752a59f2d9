/*
 * replay.c — the main() that turns a fuzz harness into a plain program (gcc or clang, no
 * libFuzzer): it runs the harness on every file named, or in the folders named, and says how
 * many. ctest runs it over the committed seeds and the saved reproducers of past crashes, under
 * AddressSanitizer and UBSan, so every bug the fuzzers found stays fixed.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    uint8_t *bytes = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 4096;
            uint8_t *grown = realloc(bytes, cap);
            if (!grown) break;
            bytes = grown;
        }
        size_t got = fread(bytes + len, 1, cap - len, f);
        len += got;
        if (!got) break;
    }
    fclose(f);
    /* an exact-size copy, so that AddressSanitizer sees a read past the input */
    uint8_t *input = malloc(len ? len : 1);
    if (len) memcpy(input, bytes, len);
    free(bytes);
    LLVMFuzzerTestOneInput(input, len);
    free(input);
    return 1;
}

static int replay(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return replay_file(path);
    DIR *dir = opendir(path);
    if (!dir) return -1;
    int count = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.') continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        int n = replay(child);
        if (n < 0) {
            closedir(dir);
            return n;
        }
        count += n;
    }
    closedir(dir);
    return count;
}

int main(int argc, char **argv) {
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int n = replay(argv[i]);
        if (n < 0) return 1;
        total += n;
    }
    printf("%s: %d inputs replayed\n", argc > 0 ? argv[0] : "replay", total);
    return total > 0 ? 0 : 1;
}
