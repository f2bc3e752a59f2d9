/*
 * schedule.c — chapter 3's training schedules as bookkeeping: early stopping after `patience`
 * epochs without a better validation accuracy, and the learning-rate schedule that halves eta
 * after `patience` such epochs and stops once eta has fallen to eta0/128. Not an optimiser: it
 * only says what to do after each epoch.
 */
#include "internal.h"

#include <stddef.h>

/* The JavaScript API (web/lib/) reads these structures' sizes and offsets from nndl_layout(),
 * so it follows a change; these checks keep one from being made by accident. */
_Static_assert(sizeof(nndl_schedule) == 40 && offsetof(nndl_schedule, eta) == 12, "nndl_schedule layout");
_Static_assert(sizeof(nndl_spec) == 4 + 4 * 8 * NNDL_MAX_LAYERS + 8 && offsetof(nndl_spec, kind) == 4 + 4 * 2 * NNDL_MAX_LAYERS + 8,
               "nndl_spec layout");
_Static_assert(sizeof(nndl_hyper) == 40 && offsetof(nndl_hyper, elastic) == 36, "nndl_hyper layout");

int nndl_schedule_init(nndl_schedule *s, nndl_schedule_kind kind, int patience, float eta,
                       nndl_error *err) {
    if (!s) return nndl_fail(err, NNDL_E_INVALID, "no schedule given");
    if ((unsigned)kind > NNDL_SCHEDULE_HALVE_ETA)
        return nndl_fail(err, NNDL_E_INVALID, "unknown schedule kind %d", (int)kind);
    if (kind != NNDL_SCHEDULE_NONE && patience < 1)
        return nndl_fail(err, NNDL_E_INVALID, "a schedule needs a patience of at least 1 epoch, got %d", patience);
    *s = (nndl_schedule){kind, patience, eta, eta, -1.0, -1, -1, 0};
    return nndl_ok(err);
}

nndl_schedule_action nndl_schedule_update(nndl_schedule *s, double validation_accuracy) {
    s->epoch++;
    if (validation_accuracy > s->best) {
        s->best = validation_accuracy;
        s->best_epoch = s->epoch;
        s->since_best = 0;
        return NNDL_CONTINUE;
    }
    s->since_best++;
    if (s->kind == NNDL_SCHEDULE_NONE || s->since_best < s->patience) return NNDL_CONTINUE;
    if (s->kind == NNDL_SCHEDULE_EARLY_STOP) return NNDL_STOP;
    /* halve eta; stop once it is eta0/128, the seventh halving */
    if (s->eta <= s->eta0 / 128.0f * 1.0001f) return NNDL_STOP;
    s->eta *= 0.5f;
    s->since_best = 0;
    return s->eta <= s->eta0 / 128.0f * 1.0001f ? NNDL_STOP : NNDL_ETA_HALVED;
}
