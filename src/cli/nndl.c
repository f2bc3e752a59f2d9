/*
 * nndl.c — the native command-line trainer: network.py's SGD loop with a command line (read by
 * cli/options.c).
 *   nndl train --sizes 784,30,10 --epochs 30 --mini_batch_size 10 --eta 3.0 --seed 1 [--save model.bin]
 *   nndl train --net conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10 --hidden relu --eta 0.03
 *   nndl evaluate --model model.bin
 * It prints what network.py prints ("Epoch k: correct / 10000"), plus timings, and draws a
 * progress bar when standard error is a terminal. Not a library: it is the one place in the
 * project that prints and exits.
 */
#define _POSIX_C_SOURCE 200809L
#include "nndl.h"
#include "options.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static int draw_progress(void *user, const nndl_progress *progress) {
    const progress_bar *bar = user;
    size_t done = progress->done, total = progress->total;
    int width = 40, filled = (int)((double)width * (double)done / (double)total);
    double elapsed = now() - bar->start;
    fprintf(stderr, "\r  [%.*s%*s] %3d%%  %.0f examples/s ", filled,
            "########################################", width - filled, "",
            (int)(100.0 * (double)done / (double)total), elapsed > 0 ? (double)done / elapsed : 0.0);
    if (done == total) fprintf(stderr, "\r%*s\r", width + 40, "");
    fflush(stderr);
    return 0;
}

static void print_monitors(const nndl_network *net, nndl_workspace *ws, const options *o, const nndl_dataset *train,
                           const nndl_dataset *validation) {
    /* network2.py's four monitors: cost and accuracy on the training and evaluation data. */
    nndl_error err;
    double train_cost = 0, validation_cost = 0;
    size_t train_right = 0, validation_right = 0;
    if (nndl_network_total_cost(net, ws, train, o->hyper.lmbda, o->hyper.l1, &train_cost, &train_right, &err) != NNDL_OK ||
        nndl_network_total_cost(net, ws, validation, o->hyper.lmbda, o->hyper.l1, &validation_cost, &validation_right,
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
    nndl_workspace *ws = NULL; /* the epochs' evaluations, made once for the run */
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
    if (nndl_network_create_spec(&net, &o->spec, o->seed, &err) != NNDL_OK ||
        nndl_network_set_threads(net, (int)o->threads, &err) != NNDL_OK ||
        nndl_workspace_create(&ws, net, &err) != NNDL_OK) {
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
           nndl_network_layer_size(net, 0), nndl_network_num_params(net), nndl_name(NNDL_NAMES_COST, (int)(o->spec.cost)),
           nndl_name(NNDL_NAMES_INIT, (int)(o->spec.init)), nndl_dataset_count(train));
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
        if (nndl_network_evaluate(net, ws, test, &right, &err) != NNDL_OK ||
            nndl_network_evaluate(net, ws, validation, &right_validation, &err) != NNDL_OK) {
            rc = fail("cannot evaluate", &err);
            goto done;
        }
        printf("Epoch %ld: %zu / %zu   validation %zu / %zu   %.2f s   %.0f examples/s\n", epoch,
               right, n_test, right_validation, nndl_dataset_count(validation), seconds,
               (double)n / seconds);
        if (o->monitor) print_monitors(net, ws, o, train, validation);
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
    nndl_workspace_free(ws);
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
 * tie goes to the tied digit with the largest probability summed over the networks (not to the
 * network listed first). sums: n x 10 summed output activations. */
static size_t vote(uint8_t *const *predictions, int models, const float *sums, const nndl_dataset *test) {
    size_t n = nndl_dataset_count(test), right = 0;
    const uint8_t *labels = nndl_dataset_labels(test);
    for (size_t i = 0; i < n; i++) {
        int votes[10] = {0}, best = predictions[0][i];
        for (int k = 0; k < models; k++) votes[predictions[k][i]]++;
        for (int d = 0; d < 10; d++)
            if (votes[d] > votes[best] || (votes[d] == votes[best] && sums[i * 10 + (size_t)d] > sums[i * 10 + (size_t)best]))
                best = d;
        right += best == labels[i];
    }
    return right;
}

static int evaluate(const options *o) {
    if (!o->num_models) return usage_error("%s needs --model FILE", "evaluate");
    nndl_error err = {0};
    nndl_dataset *test = NULL;
    uint8_t *predictions[MAX_MODELS] = {0};
    float *x = NULL, *out = NULL, *sums = NULL;
    int rc = 1;
    if (load_idx_pair(o, "t10k", &test, &err) != NNDL_OK) {
        fail("cannot load the test set", &err);
        goto done;
    }
    size_t n = nndl_dataset_count(test), n0 = (size_t)nndl_dataset_input_size(test);
    x = malloc(n * n0 * sizeof *x), out = malloc(n * 10 * sizeof *out), sums = calloc(n * 10, sizeof *sums);
    if (!x || !out || !sums) goto done;
    for (size_t i = 0; i < n * n0; i++) x[i] = nndl_dataset_images(test)[i] / 255.0f;
    for (int k = 0; k < o->num_models; k++) {
        nndl_network *net = NULL;
        predictions[k] = malloc(n);
        if (!predictions[k]) goto done;
        if (nndl_network_load_file(&net, o->models[k], o->seed, &err) != NNDL_OK ||
            nndl_network_set_threads(net, (int)o->threads, &err) != NNDL_OK) {
            fprintf(stderr, "nndl: cannot load the model %s: %s\n", o->models[k], err.message);
            goto done;
        }
        int status = nndl_network_layer_size(net, nndl_network_num_layers(net) - 1) == 10
                         ? nndl_network_feedforward(net, NULL, out, x, n, &err)
                         : nndl_network_classify(net, NULL, test, predictions[k], &err); /* its refusal */
        nndl_network_free(net);
        if (status != NNDL_OK) {
            fprintf(stderr, "nndl: cannot evaluate %s: %s\n", o->models[k], err.message);
            goto done;
        }
        size_t right = 0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            for (size_t d = 0; d < 10; d++) {
                sums[i * 10 + d] += out[i * 10 + d];
                best = out[i * 10 + d] > out[i * 10 + best] ? d : best;
            }
            predictions[k][i] = (uint8_t)best;
            right += best == nndl_dataset_labels(test)[i];
        }
        printf("%s: %zu / %zu (%.2f%%)\n", o->models[k], right, n, 100.0 * (double)right / (double)n);
    }
    if (o->num_models > 1) {
        size_t right = vote(predictions, o->num_models, sums, test);
        printf("Ensemble of %d networks voting (ties to the largest summed probability): %zu / %zu (%.2f%%)\n", o->num_models,
               right, n, 100.0 * (double)right / (double)n);
    }
    rc = 0;
done:
    for (int k = 0; k < o->num_models; k++) free(predictions[k]);
    free(x);
    free(out);
    free(sums);
    nndl_dataset_free(test);
    return rc;
}

/* The smallest top probability t (in steps of 0.01) above which the answers to `data` are right
 * at least 99.5% of the time: below it the page says it is unsure. probs: n x 10 outputs. */
static double unsure_below(const float *probs, const uint8_t *labels, size_t n) {
    for (int step = 0; step <= 100; step++) {
        double t = step / 100.0;
        size_t above = 0, right = 0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            for (size_t j = 1; j < 10; j++) best = probs[i * 10 + j] > probs[i * 10 + best] ? j : best;
            if (probs[i * 10 + best] < t) continue;
            above++, right += best == labels[i];
        }
        if (above && (double)right >= 0.995 * (double)above) return t;
    }
    return 1.0;
}

/* Temperature scaling of a model: T fitted on the validation set, the expected calibration error
 * on the test set before and after, the threshold of unsure answers, and (--save) the model with
 * its temperature. */
static int calibrate(const options *o) {
    if (o->num_models != 1) return usage_error("%s needs one --model FILE", "calibrate");
    nndl_error err = {0};
    nndl_network *net = NULL;
    nndl_dataset *train = NULL, *validation = NULL, *test = NULL;
    float *x = NULL, *probs = NULL;
    int rc = 1;
    if (nndl_network_load_file(&net, o->models[0], o->seed, &err) != NNDL_OK ||
        nndl_network_set_threads(net, (int)o->threads, &err) != NNDL_OK) {
        fail("cannot load the model", &err);
        goto done;
    }
    if (load_mnist(o, &train, &validation, &test, &err) != NNDL_OK) {
        fail("cannot load MNIST", &err);
        goto done;
    }
    double before, after;
    float t0 = nndl_network_temperature(net), t;
    if (nndl_network_calibration_error(net, NULL, test, 15, &before, &err) != NNDL_OK ||
        nndl_network_fit_temperature(net, validation, &t, &err) != NNDL_OK ||
        nndl_network_calibration_error(net, NULL, test, 15, &after, &err) != NNDL_OK) {
        fail("cannot calibrate", &err);
        goto done;
    }
    printf("Expected calibration error on the test set (15 bins): %.4f at T = %g, %.4f at T = %.4f (fitted on the validation set)\n",
           before, (double)t0, after, (double)t);
    size_t n = nndl_dataset_count(validation), n0 = (size_t)nndl_dataset_input_size(validation);
    x = malloc(n * n0 * sizeof *x), probs = malloc(n * 10 * sizeof *probs);
    if (!x || !probs) goto done;
    for (size_t i = 0; i < n * n0; i++) x[i] = nndl_dataset_images(validation)[i] / 255.0f;
    if (nndl_network_feedforward(net, NULL, probs, x, n, &err) != NNDL_OK) {
        fail("cannot read the validation set", &err);
        goto done;
    }
    printf("Unsure below a top probability of %.2f: above it 99.5%% of the validation set's answers are right\n",
           unsure_below(probs, nndl_dataset_labels(validation), n));
    if (o->save && nndl_network_save_file(net, o->save, &err) != NNDL_OK) {
        fail("cannot save", &err);
        goto done;
    }
    if (o->save) printf("%s: the model with its temperature\n", o->save);
    rc = 0;
done:
    free(x);
    free(probs);
    nndl_dataset_free(train);
    nndl_dataset_free(validation);
    nndl_dataset_free(test);
    nndl_network_free(net);
    return rc;
}

int main(int argc, char **argv) {
    /* Past a file size limit (ulimit -f) a write then fails with EFBIG, which the atomic write
     * reports, instead of the signal ending the process with nothing said. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) return usage_error("%s", "a command is needed");
    const char *command = argv[1];
    if (!strcmp(command, "help") || !strcmp(command, "--help") || !strcmp(command, "-h")) {
        print_usage(stdout);
        return 0;
    }
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc;
    if (!strcmp(command, "train")) return train(&o);
    if (!strcmp(command, "evaluate")) return evaluate(&o);
    if (!strcmp(command, "export")) return export_json(&o);
    if (!strcmp(command, "calibrate")) return calibrate(&o);
    return usage_error("unknown command '%s'", command);
}
