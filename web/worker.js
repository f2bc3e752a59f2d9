// worker.js — the page's training thread. It owns the WebAssembly core, MNIST and the networks;
// the page only sends messages and draws what comes back. Training runs in slices of about
// SLICE_MS, yielding between them, so that pause, reset and classify are answered within a slice
// and the page never waits on training. Evaluations (curve points, the end of an epoch) are cut
// into chunks that run in those slices too: a convolutional network takes seconds to read the
// 30,000 images of an epoch's monitors, and a drawing must not wait for them.
//
// In:  init {base, model, about}   the pretrained network's bytes and pretrained.json (fetched by
//                                  boot.js), or {base, failed}: why they could not be
//      core {wasm, data, key}      the core compiled by the page (a WebAssembly.Module); then
//                                  the pad is ready, and (data: true) MNIST loads, with progress;
//                                  key: under which this view keeps its run (runs.js), or null
//      continue                    the kept run becomes the one in progress and goes on
//      forget                      the kept run is deleted
//      start {config}              create a network from config and train it
//      pause, resume, reset        pause is answered by paused, after which nothing of the run
//                                  comes; reset by reset, once the kept run is forgotten
//      set {eta, epochs}           change the learning rate or epoch count while training
// (config: sizes or layers, cost, hidden, init, eta, mini_batch_size, epochs, seed, lmbda, l1, mu,
//  dropout, rotate, shift, schedule, patience: see params.js)
//      classify {id, pixels}       784 values in 0..1: which digit, with the network in use
//      teach {id, pixels, label}   the network in use learns that the drawing is `label`
//      drawings, forgetDrawings    the corrected drawings kept in the browser: sent, or forgotten
//      untaught                    back to the shipped network
//      save {format}               the network in use as a model file ('nndl') or JSON ('json')
//      open {bytes, name}          a model file (the CLI's --save) becomes the network in use
// Out: ready {pretrained, filters, memory, urls} (the pad works), loading {loaded, total, stage},
//      data {counts, memory, urls} (Start can go; memory: the core's bytes, urls: what the Worker
//      loaded, for the service worker to keep), started {filters}, progress
//      {...}, point {..., speeds, filters}, epoch {...}, schedule {action, eta}, paused, done,
//      reset, diverged {message}, classification {id, digit, activations, network, unsureBelow},
//      saved {format, data, name}, taught {rounds, kept, label, taught}, drawings {items},
//      untaught {label}, opened
//      {label, filters}, error {action, name, message, code} (action: the message that failed),
//      kept {description, epoch, epochs, x, savedAt, config, state}: a run kept from an earlier
//      visit, offered after ready; started {resumed: true} then its points and epochs again;
//      stored {x}: the run is kept as it was at epoch x
// (filters: the first layer's feature-map weights when it is convolutional, see Network.filters)
import { Network, Schedule, choices, loadCore } from './nndl.js';
import * as pad from './pad-network.js';
import { deleteRun, getRun, putRun } from './runs.js';

const SLICE_MS = 15;         // training per slice; a message waits at most about this long
const POINTS_PER_EPOCH = 5;  // curve points from the validation subset per epoch
const GALLERY = 24;          // misclassified test digits sent after each epoch
const EVAL_CHUNK = 100;      // images per step of an evaluation: ~20 ms for a convolutional network
const MAX_BATCHES = 20;      // mini-batches per call into the core
const DIVERGED = -5;         // NNDL_E_DIVERGED: the status the core gives divergence

let data = null;             // { training, test, counts, chunks, expanded } (mnist.js): null until MNIST is in
let run = null;              // the training in progress, see start()
const yieldChannel = new MessageChannel();
yieldChannel.port1.onmessage = () => slice();

const post = (message, transfer) => self.postMessage(message, transfer ?? []);

let base = null, wasmCore = null, resolvePretrained;
const pretrained = new Promise((resolve) => (resolvePretrained = resolve));
let runKey = null, keptRun = null; // this view's key, and the record kept under it (a promise)

/** The pretrained network and what is known of it, as boot.js fetched them: its accuracy comes
 * with it (pretrained.json) instead of being measured on the test set at every load. */
function init(message) {
  base = message.base;
  resolvePretrained(message);
}

/** With the core in, the pad is ready; then, for views that train, MNIST. */
async function core({ wasm, data: wanted, key }) {
  runKey = key ?? null;
  keptRun = runKey ? getRun(runKey) : Promise.resolve(undefined);
  wasmCore = await loadCore({ wasm });
  const { model, about, failed } = await pretrained;
  if (failed) throw new Error(failed);
  if (model.byteLength !== about.bytes) throw new Error(`pretrained.nndl has ${model.byteLength} bytes; pretrained.json says ${about.bytes}`);
  const shipped = await pad.useShipped(model, about);
  post({ type: 'ready', pretrained: shipped.label, filters: shipped.net.filters(1), memory: wasmCore.memory.byteLength, urls: loadedUrls() });
  const kept = await keptRun;
  if (kept) post({ type: 'kept', ...summary(kept) });
  if (wanted) await loadData();
}

/** MNIST (mnist.js, loaded only by views that train), with progress in bytes as it downloads;
 * Start can go once it is in. */
async function loadData() {
  const { loadMnist } = await import('./mnist.js');
  data = await loadMnist(base, wasmCore, EVAL_CHUNK, (loaded, total, stage) => post({ type: 'loading', stage, loaded, total }));
  post({ type: 'data', counts: data.counts, memory: wasmCore.memory.byteLength, urls: loadedUrls() });
}

/** What this Worker has loaded (its scripts, the network, MNIST), for the service worker to keep. */
const loadedUrls = () => [self.location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];

/** The core's hyper-parameters from the page's settings, which spell them as the core does. */
async function hyperOf(config) {
  const { hyper } = await choices();
  return Object.fromEntries(hyper.map((name) => [name, config[name]]));
}

async function start({ config }) {
  if (!data) throw new Error('the training data is not loaded yet');
  stopRun();
  // 'auto' leaves the cost and the initial weights to the core, as the CLI does without --cost or --init
  const auto = (value) => (value === 'auto' ? undefined : value);
  const options = { seed: config.seed, cost: auto(config.cost), hidden: config.hidden, init: auto(config.init) };
  run = await newRun(await Network.create(config.layers || config.sizes, options), config);
  forgetKept();
  post({ type: 'started', sizes: run.net.sizes, description: run.description, examples: run.train.count, filters: run.net.filters(1) });
  scheduleSlice();
}

/** The state of a run of `net` (taken over: freed if this fails) with `config`'s schedule and
 * training set; where the epoch is, the core keeps (nndl_network_train), the Worker counts what
 * it shows. log: the points and epochs posted, which a kept run shows again. */
async function newRun(net, config) {
  let schedule;
  try {
    schedule = await Schedule.create(config.schedule, { patience: config.patience, eta: config.eta });
  } catch (e) {
    net.free();
    throw e;
  }
  // expand_mnist's 250,000 images are made once, on first use, and kept
  if (config.expand) data.expanded ??= data.training.expand();
  const train = config.expand ? data.expanded : data.training;
  const batches = Math.ceil(train.count / config.mini_batch_size);
  return {
    net, schedule, train, config: { ...config }, hyper: await hyperOf(config), epoch: 0, batch: 0, done: 0, state: 'running',
    trainedMs: 0, computeMs: 0, examples: 0, costSum: 0, costCount: 0, msPerBatch: 1, pending: [],
    pointEvery: Math.max(1, Math.floor(batches / POINTS_PER_EPOCH)),
    description: net.description, convolutional: net.spec.kind[1] === 'conv',
    log: [], validations: [], saving: null, saveAgain: false,
  };
}

// ------------------------------------------------------------------ runs kept across visits

const summary = (r) => ({ description: r.description, epoch: r.epoch, epochs: r.config.epochs, x: r.x, savedAt: r.savedAt, config: r.config, state: r.state });

/** Keeps the run as it is now (runs.js): the network's model file, settings, curves, position.
 * At most one write at a time; a call during one asks for another after it. */
function keepRun() {
  // at an epoch's last point the epoch's end is still to be measured; it is kept after that
  if (!runKey || !run || run.done >= run.train.count) return;
  if (run.saving) {
    run.saveAgain = true;
    return;
  }
  const r = run;
  const record = {
    key: runKey, savedAt: Date.now(), config: r.config, description: r.description, epoch: r.epoch, done: r.done,
    x: r.epoch + r.done / r.train.count, model: r.net.save(), log: r.log, validations: r.validations,
    state: r.state === 'done' ? 'done' : 'stopped', trainedMs: r.trainedMs, computeMs: r.computeMs, examples: r.examples,
    eta: r.hyper.eta,
  };
  r.saving = putRun(record).then(() => post({ type: 'stored', x: record.x })).catch((e) => {
    if (!r.keepFailed) post({ type: 'error', action: 'keep', message: `the browser would not keep the network (${e.message}); training goes on` });
    r.keepFailed = true;
  }).finally(() => {
    r.saving = null;
    if (r.saveAgain && run === r) {
      r.saveAgain = false;
      keepRun();
    }
  });
}

/** Forgets the run kept for this view (a new run, Reset, or the reader's "Start afresh"). */
function forgetKept() {
  keptRun = Promise.resolve(undefined);
  return deleteRun(runKey);
}

/** The kept run becomes the one in progress: the same network, settings, curves and epoch. */
async function continueRun() {
  const kept = await keptRun;
  if (!kept) throw new Error('no network is kept for this view');
  if (!data) throw new Error('the training data is not loaded yet');
  stopRun();
  const { config } = kept;
  const resumed = await newRun(await Network.load(kept.model, { seed: config.seed + 1 }), config);
  try {
    for (const accuracy of kept.validations) resumed.schedule.update(accuracy);
    if (kept.done > 0) resumed.net.resume(resumed.train, kept.epoch, kept.done);
  } catch (e) {
    resumed.net.free();
    resumed.schedule.free();
    throw e;
  }
  run = resumed;
  run.hyper.eta = kept.eta;
  const { net } = run;
  Object.assign(run, {
    epoch: kept.epoch, done: kept.done, batch: Math.round(kept.done / config.mini_batch_size),
    trainedMs: kept.trainedMs, computeMs: kept.computeMs, examples: kept.examples, log: kept.log, validations: kept.validations,
  });
  post({ type: 'started', resumed: true, config, sizes: net.sizes, description: run.description, examples: run.train.count, filters: net.filters(1) });
  for (const message of run.log) post(message);
  progress();
  if (kept.state === 'done' || run.epoch >= config.epochs) {
    run.state = 'done';
    post({ type: 'done', reason: null });
  } else {
    scheduleSlice();
  }
}

function stopRun() {
  run?.net.free();
  run?.schedule.free();
  run = null;
}

function scheduleSlice() {
  yieldChannel.port2.postMessage(null);
}

/** One slice of work until SLICE_MS have passed: the steps of a pending evaluation first, else
 * mini-batches, as many per call as fit in a slice (measured as it goes). */
function slice() {
  if (!run || run.state !== 'running') return;
  const { net } = run;
  const started = performance.now();
  try {
    while (performance.now() - started < SLICE_MS && run.state === 'running') {
      if (run.pending.length) {
        run.pending.shift()();
        continue;
      }
      // as many mini-batches as fit in the slice, up to the next curve point; the core stops
      // at the epoch's end by itself
      const fit = Math.max(1, Math.min(MAX_BATCHES, Math.floor(SLICE_MS / run.msPerBatch)));
      const before = performance.now();
      const p = net.train(run.train, run.hyper, Math.min(fit, run.pointEvery - (run.batch % run.pointEvery)));
      const ms = performance.now() - before;
      run.computeMs += ms;
      run.msPerBatch = 0.7 * run.msPerBatch + 0.3 * (ms / p.batches);
      run.batch += p.batches;
      run.done = p.done;
      run.examples += p.examples;
      run.costSum += p.cost;
      run.costCount += p.examples;
      if (run.batch % run.pointEvery === 0 || p.epochDone) point(p.done / p.total);
      if (p.epochDone) endEpoch();
    }
  } catch (e) {
    // divergence is the book's lesson about eta; anything else is a failure, said as such
    run.trainedMs += performance.now() - started;
    run.state = e.code === DIVERGED ? 'diverged' : 'failed';
    post(e.code === DIVERGED ? { type: 'diverged', message: e.message, code: e.code }
      : { type: 'error', action: 'train', message: e.message, code: e.code });
    return;
  }
  run.trainedMs += performance.now() - started;
  progress();
  if (run.state === 'running') scheduleSlice();
}

function progress() {
  post({
    type: 'progress', epoch: run.epoch, epochs: run.config.epochs,
    done: run.done, total: run.train.count,
    // training alone: the curve points' evaluations are not counted against it
    examplesPerSecond: run.computeMs > 0 ? (1000 * run.examples) / run.computeMs : 0,
    trainedMs: run.trainedMs,
  });
}

/** Queues the steps that measure `chunks` into `total`, a { cost, correct, count } to add to:
 * afterwards total.cost / total.count is network2.py's total_cost over all the chunks. The core
 * adds the regularisation terms R / n_chunk to a chunk's mean cost, so asked of the first chunk
 * alone they add R once to the summed cost, which is R / n over the whole set. */
function queueMeasure(chunks, total) {
  const reg = { lmbda: run.hyper.lmbda, l1: run.hyper.l1 };
  chunks.forEach((chunk, i) =>
    run.pending.push(() => {
      const { cost, correct } = run.net.measure(chunk, i === 0 ? reg : {});
      total.cost += cost * chunk.count;
      total.correct += correct;
      total.count += chunk.count;
    }));
}

/** A curve point: accuracy on the validation subset, mean training cost since the last point,
 * and the learning speed of each hidden layer over the mini-batches since the last point. The
 * subset is read in steps; the point is posted after the last. */
function point(fraction) {
  const { speeds } = run.net.learningSpeeds({ reset: true });
  const message = {
    type: 'point', x: run.epoch + fraction,
    cost: run.costCount ? run.costSum / run.costCount : null,
    speeds: speeds.slice(1, -1), // the hidden layers
  };
  run.costSum = 0;
  run.costCount = 0;
  const subset = { cost: 0, correct: 0, count: 0 };
  queueMeasure(data.chunks.subset, subset);
  run.pending.push(() => {
    const done = { ...message, subsetAccuracy: subset.correct / subset.count };
    run.log.push(done);
    post({ ...done, filters: run.convolutional ? run.net.filters(1) : null });
    keepRun();
  });
}

/** The end of an epoch, in steps: network2.py's four monitors (accuracy and cost, regularisation
 * included, on validation and training data), the test accuracy and the misclassified digits,
 * then the schedule. */
function endEpoch() {
  const validation = { cost: 0, correct: 0, count: 0 }, training = { cost: 0, correct: 0, count: 0 };
  const wrong = [];
  let right = 0;
  queueMeasure(data.chunks.validation, validation);
  queueMeasure(data.chunks.trainingSample, training);
  let offset = 0;
  for (const chunk of data.chunks.test)
    run.pending.push(() => {
      const predictions = run.net.classify(chunk), labels = chunk.labels;
      for (let i = 0; i < predictions.length; i++) {
        if (predictions[i] === labels[i]) right++;
        else if (wrong.length < GALLERY)
          wrong.push({ index: offset + i, predicted: predictions[i], label: labels[i], pixels: chunk.image(i).slice() });
      }
      offset += chunk.count;
    });
  run.pending.push(() => finishEpoch(validation, training, right, wrong));
}

function finishEpoch(validation, training, right, wrong) {
  const accuracy = validation.correct / validation.count;
  const monitors = {
    trainingAccuracy: training.correct / training.count,
    trainingCost: training.cost / training.count,
    validationCost: validation.cost / validation.count,
  };
  const message = { type: 'epoch', epoch: run.epoch, x: run.epoch + 1, validation: accuracy, test: right / data.test.count, ...monitors, misclassified: wrong };
  post(message);
  // the log keeps the gallery of the last epoch only
  for (const m of run.log) if (m.type === 'epoch') m.misclassified = [];
  run.log.push(message);
  run.validations.push(accuracy);
  run.epoch += 1;
  run.batch = 0;
  run.done = 0;
  const action = run.schedule.update(accuracy);
  if (action === 'halved') {
    run.hyper.eta = run.schedule.eta;
    post({ type: 'schedule', action, eta: run.hyper.eta });
  }
  if (action === 'stop' || run.epoch >= run.config.epochs) {
    run.state = 'done';
    post({ type: 'done', reason: action === 'stop' ? `no improvement in ${run.config.patience} epochs` : null });
  }
  keepRun();
}

const handlers = {
  init,
  classify: (message) => post(pad.classify(run, message)),
  save: (message) => post(...pad.save(run, message)),
  async open(message) {
    const opened = await pad.open(message, data?.test); // refused before anything stops
    stopRun();
    post(opened);
  },
  async teach(message) {
    post(await pad.teachIt(run, message, { base, core: wasmCore }));
    post(pad.classify(run, message)); // the same drawing, read again
  },
  async drawings() {
    const { keptDrawings } = await import('./teach.js');
    post({ type: 'drawings', items: await keptDrawings() });
  },
  async forgetDrawings() {
    const { forgetDrawings } = await import('./teach.js');
    await forgetDrawings();
    post({ type: 'drawings', items: [], forgotten: true });
  },
  untaught() {
    const label = pad.untaught();
    if (label) post({ type: 'untaught', label });
  },
  core,
  start,
  pause() {
    if (run?.state === 'running') run.state = 'paused';
    post({ type: 'paused' });
  },
  resume() {
    if (run?.state === 'paused') {
      run.state = 'running';
      scheduleSlice();
    }
  },
  async reset() {
    stopRun();
    await forgetKept(); // answered once the kept run is gone: a reload then finds nothing
    post({ type: 'reset' });
  },
  continue: continueRun,
  forget: forgetKept,
  set({ eta, epochs }) {
    if (!run) return;
    if (eta !== undefined) run.hyper.eta = eta;
    if (epochs !== undefined) run.config.epochs = epochs;
  },
};

self.onmessage = async ({ data: message }) => {
  try {
    await handlers[message.type]?.(message);
  } catch (e) {
    post({ type: 'error', action: message.type, name: message.name, message: e.message, code: e.code });
  }
};
