// @ts-check
// training.js — a run of the page's Worker: a network, its settings, its schedule and where it
// is, trained as a job of the one Worker loop (lib/worker-loop.js). Each step of the job is one
// chunk of a pending evaluation, else as many mini-batches as fit in a slice up to the next curve
// point (the core keeps the epoch's order and stops at its end by itself). Evaluations are cut
// into chunks of EVAL_CHUNK images so that a drawing never waits for the 30,000 images of an
// epoch's monitors: a curve point (accuracy on the validation subset, the training cost since
// the last, each layer's speed of learning) and the end of an epoch (network2.py's four monitors,
// the test accuracy, the misclassified digits, the schedule). Not here: the Worker's messages
// (worker.js), keeping a run across visits (worker.js, runs.js).
import { Schedule, choices, tuneKernels } from '../../lib/nndl.js';
import { SLICE_MS } from '../../lib/worker-loop.js';

/** @typedef {import('./messages.js').RunConfig} RunConfig */
/** What a run tells: post(message) what the page is to see, keep(run) at each curve point and
 * epoch end (the run is kept for a later visit), diverged: the core's status of divergence.
 * @typedef {{ post: (message: import('./messages.js').PageOut) => void, keep: (run: any) => void, diverged: number }} Hooks */

export const EVAL_CHUNK = 100;  // images per step of an evaluation: ~20 ms for a convolutional network
const POINTS_PER_EPOCH = 5;     // curve points from the validation subset per epoch
const GALLERY = 24;             // misclassified test digits sent after each epoch
const MAX_BATCHES = 20;         // mini-batches per call into the core

/** The core's hyper-parameters from the page's settings, which spell them as the core does. */
async function hyperOf(/** @type {RunConfig} */ config) {
  const { hyper } = await choices();
  return Object.fromEntries(hyper.map((name) => [name, /** @type {any} */ (config)[name]]));
}

/** A run of `net` (taken over: freed if this fails) with `config`'s schedule, on `data`
 * (mnist.js's sets; the expanded set made once, on first use, and kept there). log: the points
 * and epochs posted, which a kept run shows again. */
export async function newRun(/** @type {any} */ net, /** @type {RunConfig} */ config, /** @type {any} */ data) {
  // the core's kernels tuned to this engine once, when a reader first trains (the same bits,
  // sooner), not while the page loads: the pad's answers come from this Worker too
  await tuneKernels();
  let schedule;
  try {
    schedule = await Schedule.create(config.schedule, { patience: config.patience, eta: config.eta });
  } catch (e) {
    net.free();
    throw e;
  }
  if (config.expand) data.expanded ??= data.training.expand();
  const train = config.expand ? data.expanded : data.training;
  const batches = Math.ceil(train.count / config.mini_batch_size);
  return {
    net, schedule, train, data, config: { ...config }, hyper: await hyperOf(config), epoch: 0, batch: 0, done: 0, state: 'running',
    trainedMs: 0, computeMs: 0, examples: 0, costSum: 0, costCount: 0, msPerBatch: 1, pending: /** @type {(() => void)[]} */ ([]),
    pointEvery: Math.max(1, Math.floor(batches / POINTS_PER_EPOCH)),
    description: net.description, convolutional: net.spec.kind[1] === 'conv',
    log: /** @type {any[]} */ ([]), validations: /** @type {number[]} */ ([]), saving: null, saveAgain: false,
  };
}

export function freeRun(/** @type {any} */ r) {
  r?.net.free();
  r?.schedule.free();
}

/** The run as a job of the loop; after each slice, its progress. */
export function trainingJob(/** @type {any} */ r, /** @type {Hooks} */ hooks) {
  return {
    step() {
      const started = performance.now();
      if (r.pending.length) r.pending.shift()();
      else if (r.state === 'running') trainSome(r, hooks);
      r.trainedMs += performance.now() - started;
      return r.pending.length > 0 || r.state === 'running';
    },
    afterSlice: () => hooks.post(progress(r)),
    /** divergence is the book's lesson about eta; anything else is a failure, said as such */
    failed(/** @type {any} */ e) {
      const diverged = e.code === hooks.diverged;
      r.state = diverged ? 'diverged' : 'failed';
      hooks.post(diverged ? { type: 'diverged', message: e.message, code: e.code } : { type: 'error', action: 'train', message: e.message, code: e.code ?? null });
    },
  };
}

function trainSome(/** @type {any} */ r, /** @type {Hooks} */ hooks) {
  const fit = Math.max(1, Math.min(MAX_BATCHES, Math.floor(SLICE_MS / r.msPerBatch)));
  const before = performance.now();
  const p = r.net.train(r.train, r.hyper, Math.min(fit, r.pointEvery - (r.batch % r.pointEvery)));
  const ms = performance.now() - before;
  r.computeMs += ms;
  r.msPerBatch = 0.7 * r.msPerBatch + 0.3 * (ms / p.batches);
  r.batch += p.batches;
  r.done = p.done;
  r.examples += p.examples;
  r.costSum += p.cost;
  r.costCount += p.examples;
  if (r.batch % r.pointEvery === 0 || p.epochDone) point(r, p.done / p.total, hooks);
  if (p.epochDone) endEpoch(r, hooks);
}

/** Where the run is, and how fast it trains (the curve points' evaluations not counted). */
export function progress(/** @type {any} */ r) {
  return {
    type: /** @type {const} */ ('progress'), epoch: r.epoch, epochs: r.config.epochs, done: r.done, total: r.train.count,
    examplesPerSecond: r.computeMs > 0 ? (1000 * r.examples) / r.computeMs : 0,
    trainedMs: r.trainedMs,
  };
}

/** Queues the steps that measure `chunks` into `total`, a { cost, correct, count } to add to:
 * afterwards total.cost / total.count is network2.py's total_cost over all the chunks. The core
 * adds the regularisation terms R / n_chunk to a chunk's mean cost, so asked of the first chunk
 * alone they add R once to the summed cost, which is R / n over the whole set. */
function queueMeasure(/** @type {any} */ r, /** @type {any[]} */ chunks, /** @type {{ cost: number, correct: number, count: number }} */ total) {
  const reg = { lmbda: r.hyper.lmbda, l1: r.hyper.l1 };
  chunks.forEach((chunk, i) =>
    r.pending.push(() => {
      const { cost, correct } = r.net.measure(chunk, i === 0 ? reg : {});
      total.cost += cost * chunk.count;
      total.correct += correct;
      total.count += chunk.count;
    }));
}

/** A curve point: accuracy on the validation subset, mean training cost since the last point,
 * and the learning speed of each hidden layer over the mini-batches since the last point. The
 * subset is read in steps; the point is posted after the last. */
function point(/** @type {any} */ r, /** @type {number} */ fraction, /** @type {Hooks} */ hooks) {
  const { speeds } = r.net.learningSpeeds({ reset: true });
  const message = { type: 'point', x: r.epoch + fraction, cost: r.costCount ? r.costSum / r.costCount : null, speeds: speeds.slice(1, -1) };
  r.costSum = 0;
  r.costCount = 0;
  const subset = { cost: 0, correct: 0, count: 0 };
  queueMeasure(r, r.data.chunks.subset, subset);
  r.pending.push(() => {
    const done = { ...message, subsetAccuracy: subset.correct / subset.count };
    r.log.push(done);
    hooks.post(/** @type {any} */ ({ ...done, filters: r.convolutional ? r.net.filters(1) : null }));
    hooks.keep(r);
  });
}

/** The end of an epoch, in steps: network2.py's four monitors (accuracy and cost, regularisation
 * included, on validation and training data), the test accuracy and the misclassified digits,
 * then the schedule. */
function endEpoch(/** @type {any} */ r, /** @type {Hooks} */ hooks) {
  const validation = { cost: 0, correct: 0, count: 0 }, training = { cost: 0, correct: 0, count: 0 };
  /** @type {{ index: number, predicted: number, label: number, pixels: Uint8Array }[]} */
  const wrong = [];
  let right = 0, offset = 0;
  queueMeasure(r, r.data.chunks.validation, validation);
  queueMeasure(r, r.data.chunks.trainingSample, training);
  for (const chunk of r.data.chunks.test)
    r.pending.push(() => {
      const predictions = r.net.classify(chunk), labels = chunk.labels;
      for (let i = 0; i < predictions.length; i++) {
        if (predictions[i] === labels[i]) right++;
        else if (wrong.length < GALLERY) wrong.push({ index: offset + i, predicted: predictions[i], label: labels[i], pixels: chunk.image(i).slice() });
      }
      offset += chunk.count;
    });
  r.pending.push(() => finishEpoch(r, { validation, training, right, wrong }, hooks));
}

function finishEpoch(/** @type {any} */ r, /** @type {any} */ { validation, training, right, wrong }, /** @type {Hooks} */ hooks) {
  const accuracy = validation.correct / validation.count;
  /** @type {import('./messages.js').Epoch} */
  const message = {
    type: 'epoch', epoch: r.epoch, x: r.epoch + 1, validation: accuracy, test: right / r.data.test.count,
    trainingAccuracy: training.correct / training.count, trainingCost: training.cost / training.count,
    validationCost: validation.cost / validation.count, misclassified: wrong,
  };
  hooks.post(message);
  // the log keeps the gallery of the last epoch only
  for (const m of r.log) if (m.type === 'epoch') m.misclassified = [];
  r.log.push(message);
  r.validations.push(accuracy);
  r.epoch += 1;
  r.batch = 0;
  r.done = 0;
  const action = r.schedule.update(accuracy);
  if (action === 'halved') {
    r.hyper.eta = r.schedule.eta;
    hooks.post({ type: 'schedule', action, eta: r.hyper.eta });
  }
  if (action === 'stop' || r.epoch >= r.config.epochs) {
    r.state = 'done';
    hooks.post({ type: 'done', reason: action === 'stop' ? `no improvement in ${r.config.patience} epochs` : null });
  }
  hooks.keep(r);
}
