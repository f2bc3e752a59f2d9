/*
 * nndl.h — the one public header of nndl, a C core for the programs of Michael Nielsen's
 * "Neural Networks and Deep Learning" (network.py, network2.py, chapter 5's experiments and
 * network3.py's convolutional networks).
 *
 * What it is: feedforward networks of fully connected, convolutional and max-pooling layers
 * (sigmoid, tanh, ReLU or softmax neurons; quadratic, cross-entropy or log-likelihood cost)
 * trained by backpropagation and mini-batch stochastic gradient descent with chapter 3's
 * regularisation, momentum and schedules, float32 throughout, with MNIST loaders (IDX files, PNG
 * sprite sheets) and a model file. The same source builds as a native library and as a
 * standalone WebAssembly module.
 * What it is not: a general tensor library. It never prints, never calls exit() and keeps no
 * global state; every function that can fail returns a status and fills an nndl_error.
 *
 * Conventions
 *   - Every nndl_X_create() / nndl_X_load...() has exactly one nndl_X_free(); free(NULL) is a no-op.
 *   - Pointers returned by accessors are BORROWED: they stay valid until the owning object is
 *     freed (or, for activations, until the next call that may grow the batch). Never free them.
 *   - The error argument may be NULL when the caller does not want the message.
 *   - Notation follows the book: layer l has n_l neurons, weights w^l (n_l x n_{l-1}, row-major,
 *     w^l_jk joins neuron k of layer l-1 to neuron j of layer l), biases b^l, z^l = w^l a^{l-1} + b^l,
 *     a^l = f(z^l) with f the layer's activation. Layer 0 is the input layer and has no parameters.
 *   - Chapter 6's layers: a convolutional layer of F feature maps with r x c local receptive
 *     fields (stride 1, no padding) maps an input of M maps of R x C to F maps of
 *     (R - r + 1) x (C - c + 1): z^l_{f,y,x} = b^l_f + sum_{m,i,j} w^l_{f,m,i,j} a^{l-1}_{m,y+i,x+j};
 *     its weights are F x (M r c), row-major in (m, i, j) order, and its biases F, shared by all
 *     the positions of a map. A max-pooling layer of p x p takes the largest activation of each
 *     p x p block of each map (rows and columns that do not fill a block are left out, as in
 *     network3.py); it has no parameters and no activation. An example's values are counted
 *     map after map, row after row (n_l = maps x rows x cols).
 */
#ifndef NNDL_H
#define NNDL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Status and errors
 * ------------------------------------------------------------------------------------------- */

typedef enum nndl_status {
    NNDL_OK = 0,
    NNDL_E_INVALID = -1,  /* an argument is out of range (layer size, batch size, eta, ...)   */
    NNDL_E_NOMEM = -2,    /* an allocation failed or would exceed NNDL_MAX_BYTES               */
    NNDL_E_FORMAT = -3,   /* bytes that are not a valid IDX, PNG or model file                 */
    NNDL_E_IO = -4,       /* a file could not be opened, read or written (file helpers only)   */
    NNDL_E_DIVERGED = -5, /* training drove a weight or bias past NNDL_MAX_WEIGHT (or to NaN)  */
    NNDL_E_STOPPED = -6   /* a progress callback asked to stop                                 */
} nndl_status;

/* Filled by a failing call: the status it returned and a sentence saying what went wrong. */
typedef struct nndl_error {
    int code;
    char message[256];
} nndl_error;

/* A short constant name for a status ("invalid argument", ...). Never NULL, never freed. */
const char *nndl_status_name(int status);

/* Limits that keep absurd requests (a corrupt file, a typo of an extra zero) from allocating
 * gigabytes: no layer may exceed NNDL_MAX_LAYER_SIZE neurons, no network NNDL_MAX_LAYERS layers,
 * and no single object NNDL_MAX_BYTES. */
#define NNDL_MAX_LAYERS 64
#define NNDL_MAX_LAYER_SIZE 65536
#define NNDL_MAX_BYTES ((size_t)1 << 31)

/* A weight or bias that training drives past +-NNDL_MAX_WEIGHT (or to NaN or infinity) counts as
 * divergence and stops training with NNDL_E_DIVERGED. Networks that learn MNIST keep their
 * parameters within +-100; one of a million has every sigmoid it feeds saturated (sigma' is
 * exactly 0 in float32 past |z| = 17), so learning cannot come back. A learning rate of 1e30 gets
 * there on its first mini-batch, while eta = 100 fails the book's quieter way (weights near 10,
 * accuracy stuck near 10%). */
#define NNDL_MAX_WEIGHT 1e6f

/* ---------------------------------------------------------------------------------------------
 * Data sets: images of bytes (0..255, read as value/255 like the book's mnist_loader) and labels
 * ------------------------------------------------------------------------------------------- */

typedef struct nndl_dataset nndl_dataset;

/* Parses an IDX image file (magic 0x00000803) and an IDX label file (magic 0x00000801) held in
 * memory. The bytes are copied; the caller keeps ownership of both buffers. Refuses, with a
 * message: a wrong magic number, a truncated or over-long file, a zero or absurd dimension, an
 * image count that differs from the label count, and a label outside 0..9.
 * On success *out owns a new data set: release it with nndl_dataset_free(). */
int nndl_dataset_from_idx(nndl_dataset **out, const uint8_t *images, size_t images_len,
                          const uint8_t *labels, size_t labels_len, nndl_error *err);

/* Parses a PNG sprite sheet and an IDX label file held in memory: the PNG is grayscale (other
 * colour types are converted) and holds the images as tiles of rows x cols pixels, left to right
 * then top to bottom; the label file says how many images there are. This is the compact form the
 * web page downloads (src/tools/mnist_png.c writes it). Refuses, with a message: bytes that are not
 * a PNG, a PNG that is not a whole grid of tiles or has too few or too many tiles for the labels,
 * and everything nndl_dataset_from_idx() refuses in the labels. The caller keeps both buffers;
 * on success *out owns a new data set (free it with nndl_dataset_free()). */
int nndl_dataset_from_png(nndl_dataset **out, const uint8_t *png, size_t png_len,
                          const uint8_t *labels, size_t labels_len, int rows, int cols,
                          nndl_error *err);

/* File helper: reads both files and calls nndl_dataset_from_idx(). Not in the WebAssembly build. */
int nndl_dataset_load_idx(nndl_dataset **out, const char *images_path, const char *labels_path,
                          nndl_error *err);

/* Copies examples [start, start + count) of src into a new data set (*out, caller frees). This is
 * how the book's split is made: training = [0, 50000), validation = [50000, 60000). */
int nndl_dataset_slice(nndl_dataset **out, const nndl_dataset *src, size_t start, size_t count,
                       nndl_error *err);

/* The book's expand_mnist.py: a new data set (*out, caller frees) of 5 n images, each image of
 * src followed by its copies shifted one pixel down, up, right and left (the pixels shifted in
 * are 0). MNIST's 50,000 training images become 250,000. */
int nndl_dataset_expand(nndl_dataset **out, const nndl_dataset *src, nndl_error *err);

void nndl_dataset_free(nndl_dataset *data);

size_t nndl_dataset_count(const nndl_dataset *data);
int nndl_dataset_rows(const nndl_dataset *data);
int nndl_dataset_cols(const nndl_dataset *data);
/* rows * cols: the size of the input layer a network needs for this data. */
int nndl_dataset_input_size(const nndl_dataset *data);
/* Borrowed: count * input_size bytes, example after example, row-major. */
const uint8_t *nndl_dataset_images(const nndl_dataset *data);
/* Borrowed: count labels, each 0..9. */
const uint8_t *nndl_dataset_labels(const nndl_dataset *data);

/* ---------------------------------------------------------------------------------------------
 * Networks
 * ------------------------------------------------------------------------------------------- */

typedef struct nndl_network nndl_network;

/* Activation functions (chapter 3's choices), one per layer. Softmax is for the output layer
 * only, and goes with the log-likelihood cost. */
typedef enum nndl_activation {
    NNDL_SIGMOID = 0, /* sigma(z) = 1 / (1 + e^-z)                                            */
    NNDL_TANH = 1,    /* tanh(z)                                                               */
    NNDL_RELU = 2,    /* max(0, z)                                                             */
    NNDL_SOFTMAX = 3  /* e^z_j / sum_k e^z_k                                                   */
} nndl_activation;

/* Cost functions, per example x with desired output y (one-hot of the label):
 *   quadratic      C = ||a^L - y||^2 / 2                       (chapter 1; any output activation
 *                                                              but softmax)
 *   cross-entropy  C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]   (sigmoid output only)
 *   log-likelihood C = -ln a_y                                  (softmax output only) */
typedef enum nndl_cost {
    NNDL_QUADRATIC = 0,
    NNDL_CROSS_ENTROPY = 1,
    NNDL_LOG_LIKELIHOOD = 2
} nndl_cost;

/* Weight initialisation. Biases are N(0, 1) either way. */
typedef enum nndl_init {
    NNDL_INIT_LARGE = 0, /* weights N(0, 1): network.py's                                      */
    NNDL_INIT_SCALED = 1 /* weights N(0, 1/n_in): network2.py's default, no early saturation   */
} nndl_init;

/* The kinds of layer (chapter 6's network3.py has the same three, its ConvPoolLayer being a
 * convolutional layer followed by a pooling layer here). */
typedef enum nndl_layer_kind {
    NNDL_FULL = 0, /* fully connected: every neuron sees every activation of the layer before  */
    NNDL_CONV = 1, /* convolutional: feature maps of shared weights over local receptive fields */
    NNDL_POOL = 2  /* max-pooling of each feature map                                          */
} nndl_layer_kind;

/* What a network is: its layers, their activations, its cost and how it was initialised.
 * A spec whose shape fields are all 0 is read as fully connected layers of sizes[] (chapters 1
 * to 5); nndl_spec_parse() fills every field for any network. Convolutional and pooling layers
 * come first, fully connected layers after them, and the output layer is fully connected. */
typedef struct nndl_spec {
    int num_layers;                              /* including the input layer                 */
    int sizes[NNDL_MAX_LAYERS];                  /* n_0 .. n_L                                */
    nndl_activation activation[NNDL_MAX_LAYERS]; /* activation[l] of layer l >= 1; [0] unused */
    nndl_cost cost;
    nndl_init init;
    nndl_layer_kind kind[NNDL_MAX_LAYERS];       /* kind[l] of layer l >= 1; [0] unused       */
    /* The shape of layer l's output: maps x rows x cols = sizes[l] (a fully connected layer is
     * n x 1 x 1; layer 0 is the image, 1 x 28 x 28 for MNIST). */
    int maps[NNDL_MAX_LAYERS], rows[NNDL_MAX_LAYERS], cols[NNDL_MAX_LAYERS];
    /* A convolutional layer's local receptive field, or a pooling layer's block; 0 otherwise. */
    int field_rows[NNDL_MAX_LAYERS], field_cols[NNDL_MAX_LAYERS];
} nndl_spec;

/* Fills spec with network.py's network of these sizes: sigmoid everywhere, quadratic cost,
 * N(0, 1) weights. Returns NNDL_E_INVALID (with a message) for an impossible number of layers. */
int nndl_spec_default(nndl_spec *spec, const int *sizes, int num_layers, nndl_error *err);

/* Parses a network described the way the CLI, the model file's JSON and the page write it:
 * layers from the first hidden one to the output, joined by '-', for input images of
 * input_rows x input_cols pixels:
 *   convFxRxC   convolutional layer of F feature maps and R x C local receptive fields
 *               (convFxK: K x K)
 *   poolP       max-pooling of P x P blocks (poolPxQ: P x Q)
 *   fcN         fully connected layer of N neurons
 *   softmaxN    fully connected layer of N softmax neurons (the log-likelihood cost's output)
 * Any conv or fc layer may name its activation after a colon (conv20x5x5:relu, fc100:tanh);
 * the others get `hidden`, except a last fc layer, which gets sigmoid. network3.py's best
 * network is "conv20x5x5-pool2-conv40x5x5-pool2-fc1000-fc1000-softmax10" with hidden relu.
 * Fills the whole spec: shapes and sizes, activations, cost (log-likelihood for a softmax
 * output, quadratic otherwise; change it afterwards if wanted) and init (scaled: N(0, 1/n_in)
 * weights, n_in being a neuron's number of inputs). Refuses, saying where, an unknown layer, a
 * number out of range, a receptive field larger than its input, or a conv or pool layer after a
 * fully connected one. */
int nndl_spec_parse(nndl_spec *spec, const char *layers, int input_rows, int input_cols,
                    nndl_activation hidden, nndl_error *err);

/* Writes spec in the form nndl_spec_parse() reads, every activation named (e.g.
 * "conv20x5x5:relu-pool2-fc100:relu-softmax10"); a fully connected spec of sizes 784,30,10
 * gives "fc30:sigmoid-fc10:sigmoid". Like snprintf: writes at most len bytes, NUL included,
 * and returns the length of the whole text. */
size_t nndl_spec_format(const nndl_spec *spec, char *buf, size_t len);

/* Names as the CLI, the model file's JSON and the page spell them ("sigmoid", "cross-entropy",
 * "scaled"...), and back: the parsers return -1 for an unknown name. Never NULL, never freed. */
const char *nndl_activation_name(nndl_activation a);
const char *nndl_cost_name(nndl_cost c);
const char *nndl_init_name(nndl_init i);
int nndl_activation_parse(const char *name);
int nndl_cost_parse(const char *name);
int nndl_init_parse(const char *name);

/* Creates a network as spec says, its parameters drawn by the network's own generator seeded
 * with `seed` (biases then weights, layer by layer, as network.py and network2.py draw them).
 * Refuses, with a message, sizes out of range, softmax anywhere but the output layer, and a cost
 * that does not go with the output activation. *out owns the network: nndl_network_free(). */
int nndl_network_create_spec(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                             nndl_error *err);
/* Copies the network's spec into *spec. */
void nndl_network_get_spec(const nndl_network *net, nndl_spec *spec);

/* Creates network.py's network (nndl_spec_default) with the given layer sizes, sizes[0] being the
 * input layer (e.g. {784,30,10}). Weights and biases are drawn from N(0,1), as in network.py, by the network's own generator
 * seeded with `seed`: the same seed gives bit-identical parameters on every platform. The
 * generator then goes on to shuffle the training data of each epoch.
 * Needs 2 <= num_layers <= NNDL_MAX_LAYERS and 1 <= sizes[i] <= NNDL_MAX_LAYER_SIZE.
 * On success *out owns the network: release it with nndl_network_free(). */
int nndl_network_create(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                        nndl_error *err);
void nndl_network_free(nndl_network *net);

int nndl_network_num_layers(const nndl_network *net);
/* n_l, for 0 <= layer < num_layers; 0 for a layer out of range. */
int nndl_network_layer_size(const nndl_network *net, int layer);

/* All parameters live in one contiguous float buffer, layer after layer: w^1 (n_1 x n_0,
 * row-major), b^1 (n_1), w^2, b^2, ... The gradients buffer has the same layout and holds
 * nabla_w, nabla_b of the last mini-batch: the SUM over its examples, as in network.py's
 * update_mini_batch (see nndl_network_train_batches for what training leaves there). Both pointers are borrowed and stable for the life of the network; writing
 * through params is how a caller sets weights by hand. */
size_t nndl_network_num_params(const nndl_network *net);
float *nndl_network_params(nndl_network *net);
float *nndl_network_grads(nndl_network *net);
/* Offsets (in floats) of w^l and b^l inside params/grads, for 1 <= layer < num_layers. A
 * pooling layer has no parameters: both offsets are where the next layer's begin. */
size_t nndl_network_weights_offset(const nndl_network *net, int layer);
size_t nndl_network_biases_offset(const nndl_network *net, int layer);

/* Feedforward for `count` examples of n_0 floats each (row after row in `in`); writes count x
 * n_L output activations to `out` (caller-owned). */
int nndl_network_feedforward(nndl_network *net, float *out, const float *in, size_t count,
                             nndl_error *err);

/* Backpropagation over a whole mini-batch in matrix form (the book's chapter 2 exercise: one
 * matrix product per layer for the batch). x holds m inputs of n_0 floats, y holds m labels;
 * the desired output is the one-hot vector of the label. Writes nabla_w, nabla_b of the
 * network's cost (summed over the batch, regularisation not included) into the gradients buffer
 * and, if cost is not NULL, the cost summed over the batch. With dropout > 0 each hidden neuron
 * is dropped with that probability for each example (inverted dropout: the kept ones are scaled
 * by 1/(1 - dropout), so nothing changes at evaluation); the masks drawn stay readable through
 * nndl_network_dropout_mask() until the next call. */
int nndl_network_backprop(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          float dropout, double *cost, nndl_error *err);

/* The dropout mask of hidden layer l drawn by the last backpropagation or mini-batch: m x n_l
 * bytes, 1 for a kept neuron, 0 for a dropped one. Dropout drops the activations that a hidden
 * layer feeds a fully connected layer (network3.py's p_dropout on its fully connected and
 * softmax layers): every hidden layer of a fully connected network, the last pooling layer and
 * the hidden fully connected layers of a convolutional one. Borrowed; NULL if that batch had no
 * dropout or l is not such a layer. */
const uint8_t *nndl_network_dropout_mask(const nndl_network *net, int layer);

/* The hyper-parameters of training (network2.py's and chapter 3's names). The layout is fixed
 * (32-bit fields) so that JavaScript can write it into WebAssembly memory. */
typedef struct nndl_hyper {
    uint32_t mini_batch_size; /* m                                                            */
    float eta;                /* learning rate                                                 */
    float lmbda;              /* L2: w -> (1 - eta lmbda / n) w - (eta/m) nabla_w              */
    float l1;                 /* L1: w -> w - (eta l1 / n) sgn(w) - (eta/m) nabla_w             */
    float mu;                 /* momentum: v -> mu v - eta grad, w -> w + v; 0 = plain SGD     */
    float dropout;            /* probability of dropping a neuron fed to a fully connected layer */
    float rotate;             /* on-the-fly expansion: random rotation up to +-rotate degrees  */
    float shift;              /* ... and random shift up to +-shift pixels; both 0 = none      */
} nndl_hyper;

/* network.py's training: mini-batch 10, eta 3.0, everything else off. */
nndl_hyper nndl_hyper_default(void);

/* Checks hyper-parameters for a training set of n examples; NNDL_E_INVALID with a message if a
 * value is out of range (eta must be finite and >= 0, mu in [0, 1), dropout in [0, 1), ...). */
int nndl_hyper_check(const nndl_hyper *h, size_t n, nndl_error *err);

/* Gradient descent step with the gradients buffer of the last backprop, m being its batch size
 * and n the size of the training set (for the regularisation terms): the update rule of
 * nndl_hyper (whose mini_batch_size is not used here), momentum included. Returns NNDL_E_DIVERGED, and says so, if a parameter went past
 * NNDL_MAX_WEIGHT or became NaN. */
int nndl_network_sgd_step(nndl_network *net, const nndl_hyper *h, size_t m, size_t n,
                          nndl_error *err);

/* Called during an epoch after every `every` mini-batches and at its end, with how many examples
 * are done out of how many. Return nonzero to stop the epoch (NNDL_E_STOPPED is returned). */
typedef int (*nndl_progress_fn)(void *user, size_t done, size_t total);

/* Starts an epoch: draws a fresh random order of the n training examples (the book's
 * random.shuffle) from the network's generator. */
int nndl_network_shuffle(nndl_network *net, size_t n, nndl_error *err);

/* Trains mini-batches [first, first + count) of the current epoch's order on `train`, which must
 * have the size the last nndl_network_shuffle() was given. The last mini-batch of an epoch may
 * be short (n not a multiple of the mini-batch size). If cost is not NULL it receives the cost
 * summed over the examples trained, each measured just before its mini-batch's step (the running
 * training cost a live chart shows). Training fuses each SGD step into backpropagation, so
 * afterwards the gradients buffer holds nabla_b but not nabla_w. This is the piece a Web Worker
 * calls in chunks so that it stays responsive; nndl_network_train_epoch() does a whole epoch. */
int nndl_network_train_batches(nndl_network *net, const nndl_dataset *train, size_t first,
                               size_t count, const nndl_hyper *h, double *cost,
                               nndl_error *err);

/* One epoch of mini-batch SGD (the body of network.py's SGD loop): shuffle, then every
 * mini-batch. progress may be NULL. */
int nndl_network_train_epoch(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h,
                             nndl_progress_fn progress, size_t every, void *user,
                             nndl_error *err);

/* Chapter 5's speed of learning: for each layer l = 1..L, the norm of the bias gradient
 * ||nabla_b^l|| / m of a mini-batch, averaged over the mini-batches trained since the last call
 * with reset != 0. Writes num_layers floats into speeds (speeds[0] = 0, the input layer) and
 * returns how many mini-batches the average covers. */
size_t nndl_network_learning_speeds(nndl_network *net, float *speeds, int reset);

/* network2.py's total_cost: the mean cost of the network on data plus the regularisation terms
 * (lmbda / 2n) sum w^2 + (l1 / n) sum |w|, n being the size of data. If correct is not NULL it
 * also receives what nndl_network_evaluate() would give, from the same pass over the data: the
 * four monitors of network2.py cost two passes, not four. */
int nndl_network_total_cost(nndl_network *net, const nndl_dataset *data, float lmbda, float l1,
                            double *cost, size_t *correct, nndl_error *err);

/* How many examples of `data` the network classifies right (argmax of the output = label). */
int nndl_network_evaluate(nndl_network *net, const nndl_dataset *data, size_t *correct,
                          nndl_error *err);

/* Writes the digit the network picks for every example of data into predictions (caller-owned,
 * nndl_dataset_count(data) bytes): what a gallery of misclassified digits is made from. */
int nndl_network_classify(nndl_network *net, const nndl_dataset *data, uint8_t *predictions,
                          nndl_error *err);

/* The digit the network picks for one input of n_0 floats, or a negative status. If
 * activations is not NULL, the n_L output activations are written there. */
int nndl_network_predict(nndl_network *net, const float *input, float *activations,
                         nndl_error *err);

/* ---------------------------------------------------------------------------------------------
 * Training schedules (chapter 3): the learning-rate schedule that halves eta when the validation
 * accuracy has not improved for `patience` epochs and stops at eta/128, and early stopping after
 * `patience` epochs without improvement. Plain bookkeeping, shared by the CLI and the page.
 * ------------------------------------------------------------------------------------------- */

typedef enum nndl_schedule_kind {
    NNDL_SCHEDULE_NONE = 0,       /* train every epoch asked for                              */
    NNDL_SCHEDULE_EARLY_STOP = 1, /* stop after `patience` epochs without improvement          */
    NNDL_SCHEDULE_HALVE_ETA = 2   /* halve eta after `patience` such epochs; stop at eta0/128  */
} nndl_schedule_kind;

typedef struct nndl_schedule {
    nndl_schedule_kind kind;
    int patience;
    float eta0, eta;       /* the starting and the current learning rate                   */
    double best;           /* the best validation accuracy seen                             */
    int best_epoch, epoch; /* epochs seen; -1 before any                                    */
    int since_best;        /* epochs since the best (or since eta last changed)             */
} nndl_schedule;

/* Starts a schedule; patience must be >= 1 unless kind is NNDL_SCHEDULE_NONE. */
int nndl_schedule_init(nndl_schedule *s, nndl_schedule_kind kind, int patience, float eta,
                       nndl_error *err);

/* What to do after an epoch. */
typedef enum nndl_schedule_action {
    NNDL_CONTINUE = 0,
    NNDL_ETA_HALVED = 1, /* go on with s->eta, half what it was                             */
    NNDL_STOP = 2        /* no improvement for long enough: stop training                    */
} nndl_schedule_action;

/* Records the validation accuracy of the epoch just trained and says what to do next. */
nndl_schedule_action nndl_schedule_update(nndl_schedule *s, double validation_accuracy);

/* ---------------------------------------------------------------------------------------------
 * Model files: magic "NNDL", a format version, the spec (layer sizes, activations, cost,
 * initialisation), the hyper-parameters it was trained with, the parameters (little-endian
 * float32) and a CRC-32 of everything before it. A file that is truncated, corrupted, of another
 * version or of absurd size is refused whole: nothing is half-loaded. Version 3 adds chapter 6's
 * layer kinds and shapes; version 2 files (fully connected layers) and version 1 files (sizes and
 * parameters only: network.py's sigmoid and quadratic cost) are still read.
 * ------------------------------------------------------------------------------------------- */

/* Records the hyper-parameters a network is trained with, so that its model file says how it was
 * made; train_epoch and train_batches do it themselves. */
void nndl_network_set_hyper(nndl_network *net, const nndl_hyper *h);
/* The hyper-parameters last recorded (nndl_hyper_default() for a new network). */
nndl_hyper nndl_network_get_hyper(const nndl_network *net);

/* Bytes that nndl_network_save() writes for this network. */
size_t nndl_network_saved_size(const nndl_network *net);
/* Writes the model into buf (caller-owned, at least nndl_network_saved_size() bytes). */
int nndl_network_save(const nndl_network *net, uint8_t *buf, size_t len, nndl_error *err);
/* Reads a model from memory into a new network (*out, caller frees). The generator of the new
 * network is seeded with `seed`; it only decides the order of later training. */
int nndl_network_load(nndl_network **out, const uint8_t *buf, size_t len, uint64_t seed,
                      nndl_error *err);
/* The network as JSON in the spirit of network2.py's save(): {"layers" (the layer string of
 * nndl_spec_format), "input" (maps, rows, cols), "sizes", "activations", "cost", "init",
 * "hyper", "weights" (one array of rows per layer: n_l rows of n_{l-1} for a fully connected
 * layer, a row of maps_{l-1} r c per feature map for a convolutional one, none for pooling),
 * "biases"}, floats with 9 significant digits (enough to give the same float32 back). Writes at most len bytes, NUL included, like
 * snprintf, and returns the length of the whole text; call with len 0 to learn the size. */
size_t nndl_network_to_json(const nndl_network *net, char *buf, size_t len);

/* File helpers around save and load (nndl_file_write and nndl_file_read below). Not in the
 * WebAssembly build. */
int nndl_network_save_file(const nndl_network *net, const char *path, nndl_error *err);
int nndl_network_load_file(nndl_network **out, const char *path, uint64_t seed, nndl_error *err);

/* ---------------------------------------------------------------------------------------------
 * Files (native builds only): the one way nndl reads and writes them.
 * ------------------------------------------------------------------------------------------- */

/* Reads the whole regular file at path into a new buffer (*out, caller frees; *len bytes).
 * A directory, device or pipe is refused with NNDL_E_IO saying what it is. */
int nndl_file_read(uint8_t **out, size_t *len, const char *path, nndl_error *err);

/* Writes len bytes to path atomically: into a new file of a unique name in the same folder,
 * flushed to the disk (fsync), then renamed over path. A failure at any step (a full disk, a
 * file size limit, a folder that cannot be written) removes the new file and leaves path as it
 * was, byte for byte, with NNDL_E_IO and the system's reason. Only a regular file is replaced:
 * a symbolic link, device, directory or anything else at path is refused. The new file keeps
 * the permissions of the one it replaces (else the umask decides). A process that wants
 * EFBIG rather than death past `ulimit -f` ignores SIGXFSZ (the CLI does). */
int nndl_file_write(const char *path, const void *bytes, size_t len, nndl_error *err);

/* Checks, without writing, what nndl_file_write(path) would refuse at once: something other than
 * a regular file at path, or a folder that does not exist or cannot be written. A program that
 * will write path at the end of long work asks this first. */
int nndl_file_check_writable(const char *path, nndl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* NNDL_H */
