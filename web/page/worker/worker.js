// @ts-check
// worker.js — the page's training thread. It owns the WebAssembly core, MNIST and the networks;
// the page only sends messages and draws what comes back (messages.js says what each carries).
// It is served by the one Worker loop (lib/worker-loop.js), which also answers init, pause and
// resume, and runs the training (training.js) as its job, in slices, so that pause, reset and
// classify are answered within a slice. Here: the messages, the pad's readiness, MNIST, and the
// run kept across visits (runs.js: at every curve point and epoch end). Not here: the pad's
// networks (pad-network.js), teaching (teach.js).
import { Network, loadCore } from '../../lib/nndl.js';
import { helpersFromPage, prefetchHelper, useThreads, whyAlone } from '../../lib/threads.js';
import { serve } from '../../lib/worker-loop.js';
import * as pad from './pad-network.js';
import { deleteRun, getRun, putRun } from './runs.js';
import { EVAL_CHUNK, freeRun, newRun, progress, trainingJob } from './training.js';

/** @type {any} */ let core = null;
/** @type {any} */ let data = null;     // mnist.js's sets: null until MNIST is in
/** @type {any} */ let run = null;      // the training in progress (training.js)
/** @type {string} */ let base = '';    // where the site's data/ is
/** @type {string | null} */ let runKey = null; // under which this view keeps its run
/** @type {Promise<any>} */ let keptRun = Promise.resolve(undefined);
/** @type {(message: import('./messages.js').Pretrained) => void} */ let resolvePretrained = () => {};
/** @type {Promise<import('./messages.js').Pretrained>} */
const pretrained = new Promise((resolve) => (resolvePretrained = resolve));

/** What this Worker has loaded (its scripts, the network, MNIST), for the service worker to keep. */
const loadedUrls = () => [self.location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];

/** With the core in and the shipped network (boot.js sends it), the pad is ready: what the
 * ready reply adds. Its accuracy comes with it (pretrained.json), not measured at every load. */
async function init() {
  core = await loadCore();
  const { model, about, failed } = await pretrained;
  if (failed || !model || !about) throw new Error(failed ?? 'the shipped network did not come');
  if (model.byteLength !== about.bytes) throw new Error(`pretrained.nndl has ${model.byteLength} bytes; pretrained.json says ${about.bytes}`);
  const shipped = await pad.useShipped(model, about);
  if (core.shared) await prefetchHelper(); // kept with the rest: offline, training still uses every core
  return { pretrained: shipped.label, filters: shipped.net.filters(1), memory: core.memory.byteLength, urls: loadedUrls() };
}

/** For a view that trains: the run kept under `key`, offered; then MNIST (mnist.js, loaded only
 * by views that train) with progress in bytes as it downloads; Start can go once it is in. */
async function load(/** @type {import('./messages.js').Load} */ { key }) {
  runKey = key;
  keptRun = getRun(key);
  const kept = await keptRun;
  if (kept) loop.post({ type: 'kept', ...summary(kept) });
  const { loadMnist } = await import('../../lib/mnist.js');
  data = await loadMnist(base, core, EVAL_CHUNK, (/** @type {number} */ loaded, /** @type {number} */ total, /** @type {string} */ stage) =>
    loop.post({ type: 'loading', stage, loaded, total }));
  return { type: 'data', counts: data.counts, memory: core.memory.byteLength, urls: loadedUrls() };
}

/** What the training job tells the page, and when it keeps the run. */
const hooks = () => ({ post: loop.post, keep: keepRun, diverged: core.status.NNDL_E_DIVERGED });

function stopRun() {
  loop.stop();
  freeRun(run);
  run = null;
}

async function start(/** @type {import('./messages.js').Start} */ { config }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  if (!data) throw new Error('the training data is not loaded yet');
  stopRun();
  // 'auto' leaves the cost and the initial weights to the core, as the CLI does without --cost or --init
  const auto = (/** @type {string} */ value) => (value === 'auto' ? undefined : value);
  const options = { seed: config.seed, cost: auto(config.cost), hidden: config.hidden, init: auto(config.init) };
  run = await newRun(await Network.create(config.layers || config.sizes, options), config, data);
  const threads = await threadsFor(run.net);
  forgetKept();
  loop.post({ type: 'started', sizes: run.net.sizes, description: run.description, examples: run.train.count, filters: run.net.filters(1), threads });
  context.run(trainingJob(run, hooks()));
}

/** The helper Workers come from the page (boot.js answers): Firefox's `new Worker` in a Worker
 * waits for the page's thread and, now and then under load, never returned (threads.js). */
const helpers = helpersFromPage((message, transfer) => loop.post(message, transfer));

/** A network's threads: one per core where the page is cross-origin isolated (boot.js then gave
 * this Worker the core on shared memory), else one, and why. The bits are the same either way. */
async function threadsFor(/** @type {any} */ net) {
  const cores = navigator.hardwareConcurrency || 1;
  if (!core.shared) return { count: 1, why: whyAlone() };
  const count = await useThreads(core, net, cores, helpers.open);
  return { count, why: count < cores ? `of ${cores} cores: a helper did not start` : cores === 1 ? 'one core' : '' };
}

// ------------------------------------------------------------------ runs kept across visits

const summary = (/** @type {any} */ r) => ({ description: r.description, epoch: r.epoch, epochs: r.config.epochs, x: r.x, savedAt: r.savedAt, config: r.config, state: r.state });

/** Keeps the run as it is now (runs.js): the network's model file, settings, curves, position.
 * At most one write at a time; a call during one asks for another after it. */
function keepRun(/** @type {any} */ r) {
  // at an epoch's last point the epoch's end is still to be measured; it is kept after that
  if (!runKey || r !== run || r.done >= r.train.count) return;
  if (r.saving) {
    r.saveAgain = true;
    return;
  }
  const record = {
    key: runKey, savedAt: Date.now(), config: r.config, description: r.description, epoch: r.epoch, done: r.done,
    x: r.epoch + r.done / r.train.count, model: r.net.save(), log: r.log, validations: r.validations,
    state: r.state === 'done' ? 'done' : 'stopped', trainedMs: r.trainedMs, computeMs: r.computeMs, examples: r.examples,
    eta: r.hyper.eta,
  };
  r.saving = putRun(record).then(() => loop.post({ type: 'stored', x: record.x })).catch((e) => {
    if (!r.keepFailed) loop.post({ type: 'error', action: 'keep', message: `the browser would not keep the network (${e.message})`, code: null });
    r.keepFailed = true;
  }).finally(() => {
    r.saving = null;
    if (r.saveAgain && run === r) {
      r.saveAgain = false;
      keepRun(r);
    }
  });
}

/** Forgets the run kept for this view (a new run, Reset, or the reader's "Start afresh"). */
function forgetKept() {
  keptRun = Promise.resolve(undefined);
  return deleteRun(runKey);
}

/** The kept run becomes the one in progress: the same network, settings, curves and epoch. */
async function continueRun(/** @type {any} */ _, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const kept = await keptRun;
  if (!kept) throw new Error('no network is kept for this view');
  if (!data) throw new Error('the training data is not loaded yet');
  stopRun();
  const { config } = kept;
  const resumed = await newRun(await Network.load(kept.model, { seed: config.seed + 1 }), config, data);
  try {
    for (const accuracy of kept.validations) resumed.schedule.update(accuracy);
    if (kept.done > 0) resumed.net.resume(resumed.train, kept.epoch, kept.done);
  } catch (e) {
    freeRun(resumed);
    throw e;
  }
  run = resumed;
  const threads = await threadsFor(run.net);
  Object.assign(run, {
    epoch: kept.epoch, done: kept.done, batch: Math.round(kept.done / config.mini_batch_size),
    trainedMs: kept.trainedMs, computeMs: kept.computeMs, examples: kept.examples, log: kept.log, validations: kept.validations,
  });
  run.hyper.eta = kept.eta;
  loop.post({ type: 'started', resumed: true, config, sizes: run.net.sizes, description: run.description, examples: run.train.count, filters: run.net.filters(1), threads });
  for (const message of run.log) loop.post(message);
  loop.post(progress(run));
  if (kept.state === 'done' || run.epoch >= config.epochs) {
    run.state = 'done';
    loop.post({ type: 'done', reason: null });
  } else {
    context.run(trainingJob(run, hooks()));
  }
}

// ------------------------------------------------------------------------- messages

const loop = serve({
  init,
  pretrained(/** @type {import('./messages.js').Pretrained} */ message) {
    base = message.base;
    resolvePretrained(message);
  },
  helper: (/** @type {import('./messages.js').Helper} */ message) => helpers.answer(message),
  load,
  start,
  continue: continueRun,
  forget: forgetKept,
  async reset() {
    stopRun();
    await forgetKept(); // answered once the kept run is gone: a reload then finds nothing
    return { type: 'reset' };
  },
  set(/** @type {import('./messages.js').Set} */ { eta, epochs }) {
    if (!run) return;
    if (eta !== undefined) run.hyper.eta = eta;
    if (epochs !== undefined) run.config.epochs = epochs;
  },
  classify: (/** @type {import('./messages.js').Classify} */ message) => pad.classify(run, message),
  save(/** @type {import('./messages.js').Save} */ message) {
    const [saved, transfer] = pad.save(run, message);
    loop.post(saved, transfer);
  },
  async open(/** @type {import('./messages.js').Open} */ message) {
    const opened = await pad.open(message, data?.test); // refused before anything stops
    stopRun();
    return opened;
  },
  async teach(/** @type {import('./messages.js').Teach} */ message) {
    loop.post(await pad.teachIt(run, message, { base, core }));
    return pad.classify(run, message); // the same drawing, read again
  },
  async drawings() {
    const { keptDrawings } = await import('./teach.js');
    return { type: 'drawings', items: await keptDrawings() };
  },
  async forgetDrawings() {
    const { forgetDrawings } = await import('./teach.js');
    await forgetDrawings();
    return { type: 'drawings', items: [], forgotten: true };
  },
  untaught() {
    const label = pad.untaught();
    return label ? { type: 'untaught', label } : undefined;
  },
});
