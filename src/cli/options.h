/*
 * options.h — the command line of nndl, read into one struct: what cli/options.c parses and
 * cli/nndl.c acts on. Not a general option parser.
 */
#ifndef NNDL_CLI_OPTIONS_H
#define NNDL_CLI_OPTIONS_H

#include "nndl.h"

#include <stdio.h>

#define TRAINING_SIZE 50000 /* the book's split of the 60,000 training images */
#define VALIDATION_SIZE 10000
#define MAX_MODELS 16

typedef struct options {
    nndl_spec spec;
    nndl_hyper hyper;
    long epochs, train_limit, patience, threads; /* threads 0: one per core */
    nndl_schedule_kind schedule;
    unsigned long long seed;
    const char *save, *data, *json, *net;
    const char *models[MAX_MODELS]; /* every --model, for an ensemble */
    int num_models;
    int quiet, expand, monitor, speeds;
} options;

/* Reads argv[2..] into *o. Returns 0, or the exit status after printing why (2: bad usage;
 * --help prints the usage and exits 0). */
int parse_options(int argc, char **argv, options *o);

/* Prints "nndl: " and the message, then the usage, to standard error; returns 2. */
int usage_error(const char *fmt, const char *arg);

/* The usage, to `to`. */
void print_usage(FILE *to);

#endif
