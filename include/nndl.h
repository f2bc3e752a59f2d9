/*
 * nndl.h — the one public header of nndl: the programs of Michael Nielsen's "Neural Networks and
 * Deep Learning" (network.py, network2.py, network3.py) as a C library that builds natively and
 * as WebAssembly. Read it in order: make a network, train it, evaluate it, save it; the details
 * come last. src/examples/train.c is a whole program that trains and evaluates a network in a
 * few dozen lines (src/examples/train.mjs: the same in JavaScript, over the WebAssembly core).
 *
 * What it is: feedforward networks of fully connected, convolutional and max-pooling layers
 * (sigmoid, tanh, ReLU or softmax neurons; quadratic, cross-entropy or log-likelihood cost)
 * trained by backpropagation and mini-batch SGD with chapter 3's regularisation, momentum and
 * schedules, float32 throughout, with MNIST loaders and a model file. What it is not: a general
 * tensor library. It never prints, never calls exit() and keeps no global state.
 *
 * Conventions
 *   - Every call that can fail returns a status (NNDL_OK = 0, or negative) and fills the
 *     caller's nndl_error, which may be NULL.
 *   - Every _create / _load has one _free; _free(NULL) does nothing. Pointers that accessors
 *     return are borrowed: valid until their owner is freed; never free them.
 *   - The book's notation: layer l has n_l neurons, weights w^l (n_l x n_{l-1}, row-major:
 *     w^l_jk joins neuron k of layer l-1 to neuron j of layer l), biases b^l, and
 *     z^l = w^l a^{l-1} + b^l, a^l = f(z^l). Layer 0 is the input and has no parameters.
 *   - Chapter 6: a convolutional layer of F maps of r x c local receptive fields (stride 1, no
 *     padding) maps M maps of R x C to F maps of (R - r + 1) x (C - c + 1), its weights
 *     F x (M r c) in (m, i, j) order, one bias per map; a max-pooling layer of p x q keeps the
 *     largest of each block (leftover rows and columns dropped, as in network3.py). An example's
 *     values run map after map, row after row (n_l = maps x rows x cols).
 */
#ifndef NNDL_H
#define NNDL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================ errors */

typedef enum nndl_status {
    NNDL_OK = 0,
    NNDL_E_INVALID = -1,  /* an argument out of range (a layer size, eta, ...)              */
    NNDL_E_NOMEM = -2,    /* an allocation failed or would pass NNDL_MAX_BYTES              */
    NNDL_E_FORMAT = -3,   /* bytes that are not a valid IDX, PNG or model file              */
    NNDL_E_IO = -4,       /* a file could not be read or written (file helpers only)        */
    NNDL_E_DIVERGED = -5, /* training drove a parameter past NNDL_MAX_WEIGHT, or to NaN     */
    NNDL_E_STOPPED = -6   /* a progress callback asked to stop                              */
} nndl_status;

/* Filled by a failing call: the status and a sentence saying what went wrong. */
typedef struct nndl_error {
    int code;
    char message[256];
} nndl_error;

const char *nndl_status_name(int status); /* "invalid argument", ...; never NULL */

/* ==================================================================== make a network */

/* linear: a = z, for the output of a regression (chapter 4's weighted output). */
typedef enum nndl_activation { NNDL_SIGMOID, NNDL_TANH, NNDL_RELU, NNDL_SOFTMAX,
                               NNDL_LINEAR } nndl_activation;
/* Per example, y the target (the one-hot vector of a digit label): quadratic ||a - y||^2 / 2
 * (any output but softmax); cross-entropy -sum [y ln a + (1 - y) ln(1 - a)] (sigmoid output);
 * log-likelihood -sum y ln a, -ln a_y for a label (softmax output). */
typedef enum nndl_cost { NNDL_QUADRATIC, NNDL_CROSS_ENTROPY, NNDL_LOG_LIKELIHOOD } nndl_cost;
/* Initial weights: N(0, 1) (network.py) or N(0, 1/n_in) (network2.py); biases N(0, 1). */
typedef enum nndl_init { NNDL_INIT_LARGE, NNDL_INIT_SCALED } nndl_init;
typedef enum nndl_layer_kind { NNDL_FULL, NNDL_CONV, NNDL_POOL } nndl_layer_kind;

#define NNDL_MAX_LAYERS 64            /* layers of a network, the input included            */
#define NNDL_MAX_LAYER_SIZE 65536     /* neurons of a layer, inputs of a neuron              */
#define NNDL_MAX_BYTES ((size_t)1 << 31) /* any one allocation                             */

/* What a network is. nndl_spec_parse() and nndl_spec_fully_connected() fill every field. */
typedef struct nndl_spec {
    int num_layers;                              /* the input layer included                */
    int sizes[NNDL_MAX_LAYERS];                  /* n_0 .. n_L                              */
    nndl_activation activation[NNDL_MAX_LAYERS]; /* of layers 1..L                          */
    nndl_cost cost;
    nndl_init init;
    nndl_layer_kind kind[NNDL_MAX_LAYERS];       /* of layers 1..L                          */
    int maps[NNDL_MAX_LAYERS], rows[NNDL_MAX_LAYERS], cols[NNDL_MAX_LAYERS]; /* output shapes */
    int field_rows[NNDL_MAX_LAYERS], field_cols[NNDL_MAX_LAYERS]; /* receptive field, block */
} nndl_spec;

/* The layer string of the CLI, the page and the model's JSON, for input images of rows x cols:
 * layers after the input joined by '-': convFxRxC (F maps of R x C fields; convFxK), poolP
 * (P x P max-pooling; poolPxQ), fcN, softmaxN, an activation after a colon on conv and fc
 * layers (fc100:tanh), else `hidden` (a last fc layer: sigmoid). The cost is what the output
 * goes with (log-likelihood for softmax, else quadratic), the weights N(0, 1/n_in); change
 * either afterwards. Refuses, saying which layer and why, anything that cannot be built. */
int nndl_spec_parse(nndl_spec *spec, const char *layers, int rows, int cols,
                    nndl_activation hidden, nndl_error *err);
/* network.py's and network2.py's fully connected network of sizes[0..num_layers): `hidden`
 * neurons, the cost given, a softmax output for the log-likelihood cost (else sigmoid), N(0, 1)
 * weights. nndl_spec_fully_connected(s, sizes, 3, NNDL_SIGMOID, NNDL_QUADRATIC, err) is
 * Network([784, 30, 10]). */
int nndl_spec_fully_connected(nndl_spec *spec, const int *sizes, int num_layers,
                              nndl_activation hidden, nndl_cost cost, nndl_error *err);
/* Writes the layer string of spec, every activation named; like snprintf, returns its length. */
size_t nndl_spec_format(const nndl_spec *spec, char *buf, size_t len);
/* Checks a spec filled by hand: NNDL_E_INVALID naming the layer if it cannot be built. */
int nndl_spec_check(const nndl_spec *spec, nndl_error *err);

typedef struct nndl_network nndl_network;

/* A network as spec says, its parameters drawn by its own generator seeded with `seed` (the
 * same bits on every platform), biases then weights, layer by layer, as network.py draws them. */
int nndl_network_create_spec(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                             nndl_error *err);
/* network.py's Network(sizes): sigmoid neurons, quadratic cost, N(0, 1) weights. */
int nndl_network_create(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                        nndl_error *err);
void nndl_network_free(nndl_network *net);

/* ========================================================================= train it */

typedef struct nndl_dataset nndl_dataset;

/* MNIST's IDX image and label files, held in memory (copied: the caller keeps both). Refuses a
 * wrong magic, a truncated or over-long file, absurd sizes, counts that differ, a label > 9. */
int nndl_dataset_from_idx(nndl_dataset **out, const uint8_t *images, size_t images_len,
                          const uint8_t *labels, size_t labels_len, nndl_error *err);
/* The page's compact form: an 8-bit grey PNG of rows x cols tiles, left to right and top to
 * bottom, and the IDX labels that count them. Header and chunks are checked before decoding. */
int nndl_dataset_from_png(nndl_dataset **out, const uint8_t *png, size_t png_len,
                          const uint8_t *labels, size_t labels_len, int rows, int cols,
                          nndl_error *err);
/* Values and targets instead of images and labels (a regression's samples, chapter 4's points):
 * count examples of input_size values each, in `inputs`, and of target_size values each, in
 * `targets`, copied. Refuses NaN and infinities. Training fits the network's output to the
 * targets by its cost; evaluate and classify, which count digits, refuse such a set. */
int nndl_dataset_from_arrays(nndl_dataset **out, const float *inputs, int input_size,
                             const float *targets, int target_size, size_t count, nndl_error *err);
/* Reads a set's inputs as images of rows x cols (as many values as before), for convolutional
 * networks: a set from arrays is one row of input_size values until told. Before slicing it. */
int nndl_dataset_set_shape(nndl_dataset *data, int rows, int cols, nndl_error *err);
/* Examples [start, start + count): the book's split is [0, 50000) and [50000, 60000). The slice
 * shares src's bytes (no copy); either may be freed first, the bytes go with the last. Slices
 * of one set are made and freed by one thread at a time; reading them is free for all. */
int nndl_dataset_slice(nndl_dataset **out, const nndl_dataset *src, size_t start, size_t count,
                       nndl_error *err);
/* expand_mnist.py: each image, then it shifted one pixel down, up, right and left (5 n images). */
int nndl_dataset_expand(nndl_dataset **out, const nndl_dataset *src, nndl_error *err);
void nndl_dataset_free(nndl_dataset *data);
size_t nndl_dataset_count(const nndl_dataset *data);
int nndl_dataset_rows(const nndl_dataset *data);
int nndl_dataset_cols(const nndl_dataset *data);
int nndl_dataset_input_size(const nndl_dataset *data);           /* rows x cols            */
const uint8_t *nndl_dataset_images(const nndl_dataset *data);    /* count x size, 0..255   */
const uint8_t *nndl_dataset_labels(const nndl_dataset *data);    /* count, 0..9            */
/* A set from arrays: its target vectors' size, inputs and targets (images and labels NULL);
 * a set of images: 0, NULL, NULL. */
int nndl_dataset_target_size(const nndl_dataset *data);
const float *nndl_dataset_inputs(const nndl_dataset *data);      /* count x input size     */
const float *nndl_dataset_targets(const nndl_dataset *data);     /* count x target size    */

/* How training goes (network2.py's names; the CLI's options, the page's URL and the JavaScript
 * API spell them the same). For a mini-batch of m from a training set of n:
 * w -> (1 - eta lmbda/n) w - (eta l1/n) sgn(w) - (eta/m) nabla_w, with momentum mu through a
 * velocity. dropout drops what a hidden layer feeds a fully connected one (network3.py's
 * p_dropout, inverted: nothing changes at evaluation). rotate, shift, shear and elastic move each
 * training image at random anew for every use: a rotation of up to +-rotate degrees, a shift of
 * up to +-shift pixels, a slant x += s (y - centre) with |s| up to shear (handwriting that
 * leans), and Simard, Steinkraus and Platt's elastic distortion (2003): a random displacement
 * field smoothed by a Gaussian of sigma 4 pixels and scaled by alpha = elastic. */
typedef struct nndl_hyper {
    uint32_t mini_batch_size;
    float eta, lmbda, l1, mu, dropout, rotate, shift, shear, elastic;
} nndl_hyper;

nndl_hyper nndl_hyper_default(void); /* network.py's: mini-batches of 10, eta 3.0, the rest 0 */
/* Sets a field by its name ("eta", "lmbda", "mini_batch_size", ...), refusing a value out of
 * its range with the range. nndl_hyper_name(i) is the i-th field's name, NULL past the last. */
int nndl_hyper_set(nndl_hyper *h, const char *name, double value, nndl_error *err);
double nndl_hyper_get(const nndl_hyper *h, const char *name); /* h NULL: the default; NaN:
                                                                 an unknown name           */
const char *nndl_hyper_name(int i);
/* Checks every field for a training set of n examples. */
int nndl_hyper_check(const nndl_hyper *h, size_t n, nndl_error *err);
/* What training sees of example i of a set of images: its pixels in 0..1, moved as h's rotate,
 * shift, shear and elastic ask, drawn from a generator seeded with `seed` (out: the image's
 * rows x cols values). The same seed gives the same image on every platform, to rounding. */
int nndl_dataset_augment(const nndl_dataset *data, size_t i, const nndl_hyper *h, uint64_t seed,
                         float *out, nndl_error *err);

/* Where training is after a call: epochs completed, the examples of this epoch done, and what
 * this call did (mini-batches, examples, their cost summed, each taken before its step). */
typedef struct nndl_progress {
    uint32_t epoch, epoch_done; /* epoch_done: this call ended an epoch                        */
    size_t done, total;         /* examples of the current epoch done, of total                */
    size_t batches, examples;
    double cost;
} nndl_progress;

/* Mini-batch SGD, up to max_batches mini-batches, going on where the last call stopped: at an
 * epoch's start the random order of the training examples (the book's random.shuffle), then
 * for each mini-batch forward, backpropagation and the step. It stops at an epoch's end, where
 * the caller evaluates. A Web Worker calls it with a few mini-batches per time slice. A training
 * set of another size than the epoch's starts a new epoch; the mini-batch size may change. */
int nndl_network_train(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h,
                       size_t max_batches, nndl_progress *progress, nndl_error *err);
/* Goes on with training saved mid-epoch and loaded again (a reloaded page), whose order of
 * examples was not saved: `epoch` epochs are complete and `done` examples of the next; the next
 * call takes a fresh order, as at any epoch's start, and trains its examples after the first
 * `done`. Not bit for bit the run that was interrupted, the same in distribution. */
int nndl_network_resume(nndl_network *net, const nndl_dataset *train, uint32_t epoch, size_t done,
                        nndl_error *err);
/* Trains to the end of the epoch, calling callback (if not NULL) every `every` mini-batches;
 * nonzero from it stops with NNDL_E_STOPPED (calling again goes on). */
typedef int (*nndl_progress_fn)(void *user, const nndl_progress *progress);
int nndl_network_train_epoch(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h,
                             nndl_progress_fn callback, size_t every, void *user,
                             nndl_error *err);

/* Threads. A network trains and evaluates on `threads` threads: the caller's, and threads - 1
 * helpers the network starts and owns (freed with it; natively pthreads, in WebAssembly Workers
 * the page starts). Each product of a pass is split into ranges of its outputs, and every output
 * is made by the same operations in the same order whoever makes it: a seed gives the same bits
 * whatever the thread count, and only the time changes. 1, the default: the caller's thread
 * alone, the one-thread code path. 0: one per core this process may use (nndl_cores()). Two
 * threads using one network at once (evaluating, each with its workspace) do not wait for each
 * other: the second works alone. NNDL_E_INVALID above NNDL_MAX_THREADS, or above 1 in a
 * WebAssembly build without shared memory. Not while the network is training or evaluating. */
#define NNDL_MAX_THREADS 64
int nndl_network_set_threads(nndl_network *net, int threads, nndl_error *err);
int nndl_network_threads(const nndl_network *net);
int nndl_cores(void);

/* Chapter 3's schedules, kept between epochs by the caller: none, early-stop (after `patience`
 * epochs without a better validation accuracy) or halve (eta halved then; stop at eta0/128). */
typedef enum nndl_schedule_kind { NNDL_SCHEDULE_NONE, NNDL_SCHEDULE_EARLY_STOP,
                                  NNDL_SCHEDULE_HALVE_ETA } nndl_schedule_kind;
typedef enum nndl_schedule_action { NNDL_CONTINUE, NNDL_ETA_HALVED,
                                    NNDL_STOP } nndl_schedule_action;
typedef struct nndl_schedule {
    nndl_schedule_kind kind;
    int patience;
    float eta0, eta;      /* the first and the current learning rate                         */
    double best;          /* the best validation accuracy seen                                */
    int best_epoch, epoch, since_best;
} nndl_schedule;
int nndl_schedule_init(nndl_schedule *s, nndl_schedule_kind kind, int patience, float eta,
                       nndl_error *err);
/* Records an epoch's validation accuracy; says whether to go on, with s->eta, or stop. */
nndl_schedule_action nndl_schedule_update(nndl_schedule *s, double validation_accuracy);

/* ====================================================================== evaluate it */

/* The buffers of a forward pass. Evaluation reads the network and writes only its workspace, so
 * threads may share a network, each with a workspace; a NULL workspace makes one for the call. */
typedef struct nndl_workspace nndl_workspace;
int nndl_workspace_create(nndl_workspace **out, const nndl_network *net, nndl_error *err);
void nndl_workspace_free(nndl_workspace *ws);

/* How many examples of data the network gets right (argmax of its output = the label); a data
 * set of targets has no right answers to count (nndl_network_total_cost measures it). */
int nndl_network_evaluate(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data,
                          size_t *correct, nndl_error *err);
/* The digit it picks for every example (predictions: nndl_dataset_count(data) bytes). */
int nndl_network_classify(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data,
                          uint8_t *predictions, nndl_error *err);
/* network2.py's total_cost: the mean cost plus (lmbda/2n) sum w^2 + (l1/n) sum |w|, and (if
 * correct is not NULL) what evaluate gives (0 for a set of targets), from the same pass. */
int nndl_network_total_cost(const nndl_network *net, nndl_workspace *ws,
                            const nndl_dataset *data, float lmbda, float l1, double *cost,
                            size_t *correct, nndl_error *err);
/* The digit for one input of n_0 values in 0..1 (or a negative status); the n_L output
 * activations into activations if not NULL. */
int nndl_network_predict(const nndl_network *net, nndl_workspace *ws, const float *input,
                         float *activations, nndl_error *err);
/* The output activations of `count` inputs (count x n_0 floats in, count x n_L out). */
int nndl_network_feedforward(const nndl_network *net, nndl_workspace *ws, float *out,
                             const float *in, size_t count, nndl_error *err);

/* Chapter 2 step by step, and what each layer sees: one input x (n_0 values) forward and, with
 * a target y (n_L values; NULL: forward only), back, every layer's numbers kept. z, a and delta
 * (each NULL or nndl_network_trace_size() floats: layer 1's n_1 values, then layer 2's, ...; a
 * layer's values in an example's order) receive the weighted inputs z^l (a pooling layer's a^l),
 * the activations a^l and the errors delta^l (BP1, BP2); nabla (NULL or num_params floats) the
 * example's dC/dw and dC/db in the parameters' layout (BP3, BP4); *cost its cost. The network is
 * only read: the same pass as training, on one example. */
size_t nndl_network_trace_size(const nndl_network *net);
int nndl_network_trace(const nndl_network *net, nndl_workspace *ws, const float *x, const float *y,
                       float *z, float *a, float *delta, float *nabla, double *cost, nndl_error *err);
/* f'(z^l) of layer l's neurons from their activations a (count values, as a trace gives them):
 * the rule backpropagation uses in BP1 and BP2 — sigmoid a(1 - a), tanh 1 - a^2, ReLU [a > 0],
 * linear 1 — into prime, for the figures that write BP2's terms out (chapter 5's w_j sigma'(z_j)).
 * A softmax layer (its derivative is a matrix; the cost gives delta^L) or a pooling layer (no
 * activation) is refused. */
int nndl_network_activation_prime(const nndl_network *net, int layer, const float *a, size_t count,
                                  float *prime, nndl_error *err);
/* Chapter 1's mini-batch noise: the gradient of the cost summed over m examples of data (those
 * listed in `examples`, or the first m if NULL) into nabla (num_params floats), the summed cost
 * into *cost if not NULL: backpropagation of them as one batch, done in chunks on the training
 * workspace (no dropout; the parameters are not changed). */
int nndl_network_gradient(nndl_network *net, const nndl_dataset *data, const size_t *examples, size_t m,
                          float *nabla, double *cost, nndl_error *err);
/* A random mini-batch for it: m different examples of data (m at most its count), drawn by a
 * generator seeded with `seed` as an epoch's shuffle draws them, into out (m indices). */
int nndl_dataset_sample(const nndl_dataset *data, size_t m, uint64_t seed, size_t *out,
                        nndl_error *err);

/* Honest confidence (temperature scaling): the output's activation sees z^L / T, so that with
 * T > 1 a softmax's probabilities are less sure and with T < 1 surer, the answers unchanged. T is 1
 * as made, kept by the model file. fit_temperature sets the T that minimises the log-likelihood
 * cost of `data` (Guo et al. 2017: fitted on the validation set); calibration_error is the
 * expected calibration error of `bins` equal bins of top probability: sum over bins of
 * |accuracy - mean top probability| weighted by the bin's share of the examples. */
#define NNDL_MIN_TEMPERATURE 0.01f
#define NNDL_MAX_TEMPERATURE 100.0f
int nndl_network_set_temperature(nndl_network *net, float temperature, nndl_error *err);
float nndl_network_temperature(const nndl_network *net);
int nndl_network_fit_temperature(nndl_network *net, const nndl_dataset *data, float *temperature,
                                 nndl_error *err);
int nndl_network_calibration_error(const nndl_network *net, nndl_workspace *ws,
                                   const nndl_dataset *data, int bins, double *ece, nndl_error *err);

/* ========================================================================== save it */

/* The model file: "NNDL", format 4, the spec, the hyper-parameters it was trained with, the
 * output's temperature, the float32 parameters, a CRC-32. A truncated, corrupted or impossible
 * file is refused whole; formats 1 to 3 still load. */
size_t nndl_network_saved_size(const nndl_network *net);
int nndl_network_save(const nndl_network *net, uint8_t *buf, size_t len, nndl_error *err);
/* Reads a model from memory; `seed` only decides the order of later training. */
int nndl_network_load(nndl_network **out, const uint8_t *buf, size_t len, uint64_t seed,
                      nndl_error *err);
/* network2.py's save() as JSON ("layers", "input", "sizes", "activations", "cost", "init",
 * "hyper", "weights", "biases"; 9 significant digits); like snprintf, returns its length. */
size_t nndl_network_to_json(const nndl_network *net, char *buf, size_t len);

/* Files, native builds only. nndl_file_write writes atomically: a new file of a unique name
 * beside path, flushed, renamed over path; any failure leaves path as it was and says why.
 * It replaces only a regular file (a link or device at path is refused), keeping its mode.
 * nndl_file_check_writable says now what it would refuse. nndl_file_read reads a regular file
 * (*out is the caller's to free). A process that wants EFBIG past `ulimit -f` ignores SIGXFSZ. */
int nndl_file_read(uint8_t **out, size_t *len, const char *path, nndl_error *err);
int nndl_file_write(const char *path, const void *bytes, size_t len, nndl_error *err);
int nndl_file_check_writable(const char *path, nndl_error *err);
int nndl_network_save_file(const nndl_network *net, const char *path, nndl_error *err);
int nndl_network_load_file(nndl_network **out, const char *path, uint64_t seed,
                           nndl_error *err);
int nndl_dataset_load_idx(nndl_dataset **out, const char *images_path,
                          const char *labels_path, nndl_error *err);

/* ====================================================================== the details */

/* The names of the choices, defined once here for the CLI, the JSON and the page: the name of
 * value v of a kind, for v = 0, 1, ... until NULL ("" for a value the kind leaves out: softmax
 * is not a hidden activation); and back, -1 for an unknown name. */
typedef enum nndl_names { NNDL_NAMES_ACTIVATION, NNDL_NAMES_HIDDEN, NNDL_NAMES_COST,
                          NNDL_NAMES_INIT, NNDL_NAMES_SCHEDULE, NNDL_NAMES_LAYER_KIND } nndl_names;
const char *nndl_name(nndl_names kind, int value);
int nndl_name_parse(nndl_names kind, const char *name);

/* The network's shape and what it was trained with. */
int nndl_network_num_layers(const nndl_network *net);
int nndl_network_layer_size(const nndl_network *net, int layer); /* 0 out of range         */
void nndl_network_get_spec(const nndl_network *net, nndl_spec *spec);
nndl_hyper nndl_network_get_hyper(const nndl_network *net);
void nndl_network_set_hyper(nndl_network *net, const nndl_hyper *h); /* for the model file  */

/* Every parameter in one buffer, w^1 (n_1 x n_0), b^1, w^2, b^2, ...: writing through it sets
 * weights by hand. The gradients buffer has the same layout and holds nabla_w, nabla_b of the
 * last nndl_network_backprop() (summed over its batch); training never touches it. A pooling
 * layer has no parameters: its offsets are where the next layer's begin. */
size_t nndl_network_num_params(const nndl_network *net);
float *nndl_network_params(nndl_network *net);
float *nndl_network_grads(nndl_network *net);
size_t nndl_network_weights_offset(const nndl_network *net, int layer);
size_t nndl_network_biases_offset(const nndl_network *net, int layer);

/* One step by hand, unfused: backpropagation of m inputs x (m x n_0) with labels y into the
 * gradients buffer (the cost summed into *cost if not NULL; dropout masks from the network's
 * generator), then the update of nndl_hyper (whose mini-batch size is not used: m is) for a
 * training set of n. Training does the same with the step fused into BP4 (see update.c). */
int nndl_network_backprop(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          float dropout, double *cost, nndl_error *err);
int nndl_network_sgd_step(nndl_network *net, const nndl_hyper *h, size_t m, size_t n,
                          nndl_error *err);
/* The dropout mask of hidden layer l from the last step (m x n_l bytes, 1 kept, 0 dropped), or
 * NULL if it had no dropout or l feeds no fully connected layer. Borrowed. */
const uint8_t *nndl_network_dropout_mask(const nndl_network *net, int layer);

/* Chapter 5's speed of learning: ||nabla_b^l|| / m of each layer (speeds[0] = 0) averaged over
 * the mini-batches trained since the last reset; returns how many that was. */
size_t nndl_network_learning_speeds(nndl_network *net, float *speeds, int reset);

/* A parameter past +-NNDL_MAX_WEIGHT, or NaN, is divergence (NNDL_E_DIVERGED): networks that
 * learn MNIST stay within +-100; eta = 1e30 gets past it at once, while eta = 100 fails the
 * book's quieter way (weights near 10, accuracy near 10%). */
#define NNDL_MAX_WEIGHT 1e6f

/* The layout of the structs above for callers that read or write them as bytes (the JavaScript
 * API checks it when it loads the module): ("nndl_spec", its size), ("nndl_spec.cost", the
 * field's offset), ..., up to an entry whose name is NULL. The first entry is
 * ("nndl_layout_entry", the size of an entry), so a reader can check it reads entries right.
 * The statuses are there too ("NNDL_E_DIVERGED", its value as a signed 32-bit number). */
typedef struct nndl_layout_entry {
    const char *name;
    uint32_t value;
} nndl_layout_entry;
const nndl_layout_entry *nndl_layout(void);

#ifdef __cplusplus
}
#endif

#endif /* NNDL_H */
