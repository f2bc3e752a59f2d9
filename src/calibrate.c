/*
 * calibrate.c — honest confidence: temperature scaling (Guo, Pleiss, Sun and Weinberger 2017).
 * A network trained to high accuracy tends to put more probability on its answer than its
 * answers deserve; dividing the output's weighted input by one number T, fitted on held-out
 * data, makes its probabilities mean what they say without changing any answer. Here: setting
 * T, fitting it (the T of least log-likelihood cost on a data set, by golden-section search over
 * ln T), and the expected calibration error that measures the result. Not here: where T acts
 * (layer_full.c's forward pass, pass.c's BP1) or where it is kept (model.c).
 */
#include "internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>

int nndl_network_set_temperature(nndl_network *net, float temperature, nndl_error *err) {
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "no network given");
    if (!(temperature >= NNDL_MIN_TEMPERATURE && temperature <= NNDL_MAX_TEMPERATURE))
        return nndl_fail(err, NNDL_E_INVALID, "a temperature must be from %g to %g, got %g", (double)NNDL_MIN_TEMPERATURE,
                         (double)NNDL_MAX_TEMPERATURE, (double)temperature);
    net->temperature = temperature;
    return nndl_ok(err);
}

float nndl_network_temperature(const nndl_network *net) { return net ? net->temperature : 1.0f; }

/* The outputs of every example of data at T = 1 (count x n_L), read by one feedforward. */
static float *outputs_at_one(nndl_network *net, const nndl_dataset *data, nndl_error *err) {
    size_t n = nndl_dataset_count(data), n0 = (size_t)nndl_dataset_input_size(data);
    size_t n_out = (size_t)net->spec.sizes[net->spec.num_layers - 1];
    float *x = nndl_alloc(nndl_mul_size(nndl_mul_size(n, n0), sizeof(float)), "the inputs", err);
    float *out = x ? nndl_alloc(nndl_mul_size(nndl_mul_size(n, n_out), sizeof(float)), "the outputs", err) : NULL;
    if (!out) {
        free(x);
        return NULL;
    }
    nndl_bytes_to_unit(x, nndl_dataset_images(data), n * n0);
    float kept = net->temperature;
    net->temperature = 1.0f;
    int status = nndl_network_feedforward(net, NULL, out, x, n, err);
    net->temperature = kept;
    free(x);
    if (status != NNDL_OK) {
        free(out);
        return NULL;
    }
    return out;
}

/* The mean log-likelihood cost of the labels when probabilities p at T = 1 are taken to T:
 * softmax(ln p / T) (the softmax's shift by its maximum cancels). */
static double mean_cost(const float *p, const uint8_t *labels, size_t n, size_t k, double t) {
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        const float *row = p + i * k;
        double top = -INFINITY, sum = 0.0;
        for (size_t j = 0; j < k; j++) top = fmax(top, log(fmax(row[j], 1e-30)) / t);
        for (size_t j = 0; j < k; j++) sum += exp(log(fmax(row[j], 1e-30)) / t - top);
        total += -(log(fmax(row[labels[i]], 1e-30)) / t - top - log(sum));
    }
    return total / (double)n;
}

int nndl_network_fit_temperature(nndl_network *net, const nndl_dataset *data, float *temperature, nndl_error *err) {
    int status = nndl_check_data(net, data, err);
    if (status != NNDL_OK) return status;
    const nndl_spec *s = &net->spec;
    if (s->activation[s->num_layers - 1] != NNDL_SOFTMAX || !nndl_dataset_labels(data))
        return nndl_fail(err, NNDL_E_INVALID, "temperature scaling fits a softmax output to digit labels");
    float *p = outputs_at_one(net, data, err);
    if (!p) return err ? err->code : NNDL_E_NOMEM;
    size_t n = nndl_dataset_count(data), k = (size_t)s->sizes[s->num_layers - 1];
    /* golden-section search of the cost over ln T: it is unimodal in T for a softmax */
    double lo = log(NNDL_MIN_TEMPERATURE), hi = log(NNDL_MAX_TEMPERATURE), g = (sqrt(5.0) - 1.0) / 2.0;
    double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    double fa = mean_cost(p, nndl_dataset_labels(data), n, k, exp(a)), fb = mean_cost(p, nndl_dataset_labels(data), n, k, exp(b));
    while (hi - lo > 1e-5) {
        if (fa < fb) {
            hi = b, b = a, fb = fa;
            a = hi - g * (hi - lo);
            fa = mean_cost(p, nndl_dataset_labels(data), n, k, exp(a));
        } else {
            lo = a, a = b, fa = fb;
            b = lo + g * (hi - lo);
            fb = mean_cost(p, nndl_dataset_labels(data), n, k, exp(b));
        }
    }
    free(p);
    net->temperature = (float)exp((lo + hi) / 2.0);
    if (temperature) *temperature = net->temperature;
    return nndl_ok(err);
}

enum { CALIBRATION_CHUNK = 256 }; /* examples fed forward at once while measuring */

int nndl_network_calibration_error(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data, int bins,
                                   double *ece, nndl_error *err) {
    if (!ece || bins < 1 || bins > 1000) return nndl_fail(err, NNDL_E_INVALID, "the calibration error needs 1 to 1000 bins and a place");
    int status = nndl_check_data(net, data, err);
    if (status != NNDL_OK) return status;
    if (!nndl_dataset_labels(data)) return nndl_fail(err, NNDL_E_INVALID, "the calibration error counts digit labels");
    size_t n = nndl_dataset_count(data), n0 = (size_t)nndl_dataset_input_size(data);
    size_t k = (size_t)net->spec.sizes[net->spec.num_layers - 1];
    nndl_workspace *made = NULL;
    if (!ws) status = nndl_workspace_create(&made, net, err), ws = made;
    if (status != NNDL_OK) return status;
    float *in = nndl_alloc(CALIBRATION_CHUNK * n0 * sizeof *in, "the inputs", err);
    float *out = in ? nndl_alloc(CALIBRATION_CHUNK * k * sizeof *out, "the outputs", err) : NULL;
    /* per bin of top probability: the top probabilities summed, and the right answers counted */
    double *conf = out ? calloc((size_t)bins, sizeof *conf) : NULL, *right = conf ? calloc((size_t)bins, sizeof *right) : NULL;
    if (!right) status = nndl_fail(err, NNDL_E_NOMEM, "out of memory measuring the calibration");
    for (size_t first = 0; first < n && status == NNDL_OK; first += CALIBRATION_CHUNK) {
        size_t m = n - first < CALIBRATION_CHUNK ? n - first : CALIBRATION_CHUNK;
        nndl_bytes_to_unit(in, nndl_dataset_images(data) + first * n0, m * n0);
        status = nndl_network_feedforward(net, ws, out, in, m, err);
        for (size_t i = 0; i < m && status == NNDL_OK; i++) {
            const float *o = out + i * k;
            size_t best = 0;
            for (size_t j = 1; j < k; j++) best = o[j] > o[best] ? j : best;
            int b = (int)(o[best] * (float)bins);
            b = b >= bins ? bins - 1 : b < 0 ? 0 : b;
            conf[b] += o[best], right[b] += best == nndl_dataset_labels(data)[first + i];
        }
    }
    double total = 0.0;
    for (int b = 0; status == NNDL_OK && b < bins; b++) total += fabs(right[b] - conf[b]) / (double)n; /* empty bins add 0 */
    free(in), free(out), free(conf), free(right);
    nndl_workspace_free(made);
    if (status != NNDL_OK) return status;
    *ece = total;
    return nndl_ok(err);
}
