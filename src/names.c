/*
 * names.c — the facts that callers in other languages ask the core for, each defined once: the
 * names of the choices (activations, costs, initialisations, schedules, layer kinds), and the
 * layout of the structs that cross the WebAssembly boundary as bytes, with the statuses' values. The JavaScript API reads
 * both when it loads the module, so adding a name here (with its enum value in nndl.h and its
 * function in functions.c) is all it takes for the CLI and the page to offer it.
 * Not here: the layer string (spec.c), the hyper-parameters' names and ranges (update.c).
 */
#include "internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The names of each kind, by value; "" leaves a value out of that kind. */
static const char *const ACTIVATIONS[] = {"sigmoid", "tanh", "relu", "softmax", "linear", NULL};
static const char *const HIDDEN[] = {"sigmoid", "tanh", "relu", "", "linear", NULL}; /* softmax: output only */
static const char *const COSTS[] = {"quadratic", "cross-entropy", "log-likelihood", NULL};
static const char *const INITS[] = {"large", "scaled", NULL};
static const char *const SCHEDULES[] = {"none", "early-stop", "halve", NULL};
static const char *const KINDS[] = {"full", "conv", "pool", NULL};

static const char *const *list(nndl_names kind) {
    switch (kind) {
    case NNDL_NAMES_ACTIVATION: return ACTIVATIONS;
    case NNDL_NAMES_HIDDEN: return HIDDEN;
    case NNDL_NAMES_COST: return COSTS;
    case NNDL_NAMES_INIT: return INITS;
    case NNDL_NAMES_SCHEDULE: return SCHEDULES;
    case NNDL_NAMES_LAYER_KIND: return KINDS;
    default: return NULL;
    }
}

const char *nndl_name(nndl_names kind, int value) {
    const char *const *names = list(kind);
    if (!names || value < 0) return NULL;
    for (int i = 0; names[i]; i++)
        if (i == value) return names[i];
    return NULL;
}

int nndl_name_parse(nndl_names kind, const char *name) {
    const char *const *names = list(kind);
    for (int i = 0; names && name && *name && names[i]; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

const char *nndl_names_join(nndl_names kind, char *buf, size_t len) {
    size_t used = 0;
    buf[0] = '\0';
    for (int v = 0; nndl_name(kind, v); v++) {
        const char *name = nndl_name(kind, v);
        if (!*name) continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= len - used) break;
        used += (size_t)n;
    }
    return buf;
}

#define SIZE(type) {#type, (uint32_t)sizeof(type)}
#define FIELD(type, field) {#type "." #field, (uint32_t)offsetof(type, field)}

static const nndl_layout_entry LAYOUT[] = {
    SIZE(nndl_layout_entry),
    SIZE(nndl_error), FIELD(nndl_error, code), FIELD(nndl_error, message),
    {"nndl_error.message.length", (uint32_t)sizeof(((nndl_error *)0)->message)},
    {"NNDL_MAX_LAYERS", NNDL_MAX_LAYERS}, {"NNDL_MAX_THREADS", NNDL_MAX_THREADS},
    SIZE(nndl_spec), FIELD(nndl_spec, num_layers), FIELD(nndl_spec, sizes), FIELD(nndl_spec, activation),
    FIELD(nndl_spec, cost), FIELD(nndl_spec, init), FIELD(nndl_spec, kind), FIELD(nndl_spec, maps),
    FIELD(nndl_spec, rows), FIELD(nndl_spec, cols), FIELD(nndl_spec, field_rows), FIELD(nndl_spec, field_cols),
    SIZE(nndl_hyper),
    SIZE(nndl_progress), FIELD(nndl_progress, epoch), FIELD(nndl_progress, epoch_done), FIELD(nndl_progress, done),
    FIELD(nndl_progress, total), FIELD(nndl_progress, batches), FIELD(nndl_progress, examples),
    FIELD(nndl_progress, cost),
    SIZE(nndl_schedule), FIELD(nndl_schedule, eta),
    {"size_t", (uint32_t)sizeof(size_t)},
    {"NNDL_NAMES_ACTIVATION", NNDL_NAMES_ACTIVATION}, {"NNDL_NAMES_HIDDEN", NNDL_NAMES_HIDDEN},
    {"NNDL_NAMES_COST", NNDL_NAMES_COST}, {"NNDL_NAMES_INIT", NNDL_NAMES_INIT},
    {"NNDL_NAMES_SCHEDULE", NNDL_NAMES_SCHEDULE}, {"NNDL_NAMES_LAYER_KIND", NNDL_NAMES_LAYER_KIND},
    /* the statuses, as two's complement: a caller reads them as signed 32-bit values */
    {"NNDL_OK", (uint32_t)NNDL_OK}, {"NNDL_E_INVALID", (uint32_t)NNDL_E_INVALID},
    {"NNDL_E_NOMEM", (uint32_t)NNDL_E_NOMEM}, {"NNDL_E_FORMAT", (uint32_t)NNDL_E_FORMAT},
    {"NNDL_E_IO", (uint32_t)NNDL_E_IO}, {"NNDL_E_DIVERGED", (uint32_t)NNDL_E_DIVERGED},
    {"NNDL_E_STOPPED", (uint32_t)NNDL_E_STOPPED},
    {NULL, 0},
};

const nndl_layout_entry *nndl_layout(void) { return LAYOUT; }
