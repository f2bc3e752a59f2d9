// app.js — the page's main thread: settings (kept in the URL), buttons, live figures, the chart,
// the drawing pad and the gallery. Every bit of training and classification happens in the
// Worker (worker/worker.js); this thread only sends messages through the one Worker client and
// draws what comes back, at most once per frame. boot.js hands it the client and the core being
// compiled by a call (start); nothing here imports boot.js. Not here: the settings' form
// (settings.js), their checks and the link (params.js), the pad (pad.js).
import { loadCore, specOf } from '../lib/nndl.js';
import { paintDigit } from '../shared/draw.js';
import { connectHost, trustedOrigins } from '../shared/embedded.js';
import { urlWriter } from '../shared/url-writes.js';
import { showFilters } from './filters.js';
import { keepForLater } from '../shared/offline.js';
import { createPadPanel } from './pad.js';
import { PANELS, TRAINING_PANELS } from './panels.js';
import { PRESETS, SETTINGS, formatSetting, parseParams, toSearch } from './params.js';
import { createSettingsForm } from './settings.js';
import { createTeachPanel } from './teach-panel.js';

const $ = (id) => document.getElementById(id);
// Starting up is cut into tasks of a few milliseconds each, so that no task of the main thread
// runs over 50 ms while the page loads (the reader may already be drawing).
const nextTask = () => new Promise((resolve) => setTimeout(resolve));
// What this view needs: MNIST only where it trains (a view of the pad or the filters never
// downloads it: panels.js), the charts (and uPlot) only where they are shown.

let worker, core, state, needsData, chart, speedChart, pad, teachPanel, settings;
let phase = 'loading'; // loading | ready | running | paused | done | diverged
let fallbackFilters = null, speedLayers = [];   // the pretrained (or opened) network's filters
let pretrained = '', loadingSince = 0, opening = '';
let kept = null; // what the Worker says it kept for this view (its 'kept' message)
let notKept = ''; // why the browser would not keep this run (private window, storage full), once it says so

/** Starts the page: `worker`, the Worker's client (boot.js started it and gave it the core),
 * and `wasm`, the core being compiled. */
export async function start({ worker: client, wasm: compiling }) {
  worker = client;
  // The drawing pad takes strokes at once; they are read when the Worker has its network.
  pad = createPadPanel((drawing, pixels) => worker.post({ type: 'classify', drawing, pixels }));
  teachPanel = createTeachPanel(worker, pad);
  // The core on this thread too, for what only it knows: its names, its grammar, its ranges. It
  // computes nothing here; training and classification are the Worker's.
  core = await loadCore({ wasm: await compiling });
  state = parseParams(location.search, core);
  needsData = state.panels.some((p) => TRAINING_PANELS.includes(p));
  const charts = state.panels.includes('curves') || state.panels.includes('speeds') ? await import('./chart.js') : null;
  await nextTask();
  chart = state.panels.includes('curves') ? charts.createChart($('chart'), { zoom: state.axes !== 'full' }) : null;
  window.nndlChart = chart; // for the tests: the axes' ranges
  await nextTask();
  speedChart = state.panels.includes('speeds') ? charts.createSpeedChart($('speed-chart')) : null;
  await nextTask();
  applyLayout();
  await nextTask();
  settings = createSettingsForm(state, core, { phase: () => phase, changed: settingsChanged });
  wire();
  setPhase('loading');
  worker.ready.then(onReady, (e) => onMessage.error({ action: 'init', message: e.message }));
  worker.listen(onMessage);
}

// ------------------------------------------------------------------ layout and URL state

function applyLayout() {
  document.body.classList.toggle('embed', state.embed);
  for (const panel of PANELS) $(panel).hidden = !state.panels.includes(panel);
  const full = $('full-page');
  full.hidden = !state.embed;
  full.href = `./${toSearch({ ...state, embed: false, panels: PANELS })}`;
  // in a lesson's iframe: its height to the host as it changes, its settings to a trusted host
  if (state.embed) connectHost({ origins: trustedOrigins(new URLSearchParams(location.search).get('allow')), state: () => ({ state: Object.fromEntries(new URL(full.href).searchParams), url: full.href }) });
  if (state.notes.length) {
    const box = $('notes');
    box.hidden = false;
    box.textContent = 'Some settings in this link could not be used:';
    const list = document.createElement('ul');
    for (const note of state.notes) {
      const item = document.createElement('li');
      item.textContent = note; // text, never markup: notes quote the link's own values
      list.append(item);
    }
    box.append(list);
  }
}

/** Writes the settings into the link, at most every URL_EVERY_MS (url-writes.js). */
const saveToUrl = urlWriter(() => `${location.pathname}${toSearch(state)}${location.hash}`);

/** Under which a view keeps its run (runs.js): the full page, or an embed by its panels and
 * preset, so that several embeds on a lesson page keep their own networks. */
function runKeyOf({ embed, panels, preset }) {
  return embed ? `embed ${panels.join(',')} ${preset}` : 'page';
}

function settingsChanged() {
  saveToUrl();
  if (phase === 'running' || phase === 'paused') worker.post({ type: 'set', eta: state.config.eta, epochs: state.config.epochs });
}

// -------------------------------------------------------------------------------- buttons

function setPhase(next) {
  phase = next;
  const trainable = phase !== 'loading';
  $('start').disabled = !trainable || phase === 'running';
  $('start').textContent = phase === 'done' || phase === 'diverged' || phase === 'paused' ? 'Restart' : 'Start';
  $('pause').disabled = phase !== 'running' && phase !== 'paused';
  $('pause').textContent = phase === 'paused' ? 'Resume' : 'Pause';
  $('pause').setAttribute('aria-pressed', String(phase === 'paused'));
  $('reset').disabled = !trainable || phase === 'ready';
  for (const name of ['preset', ...SETTINGS]) if (name !== 'eta' && name !== 'epochs') $(name).disabled = phase === 'running';
  $('sizes').disabled ||= $('layers').value.trim() !== ''; // the layers replace the sizes
}

function status(text, bad = false) {
  $('status').textContent = text;
  $('status').classList.toggle('bad', bad);
}

/** Clears the figures for a run of the settings in state.config; the book's line when they
 * are a preset's own. */
function prepareRun() {
  const preset = PRESETS[state.preset];
  const matchesPreset = SETTINGS.every((n) => formatSetting(n, state.config[n]) === formatSetting(n, preset[n]));
  chart?.reset(matchesPreset ? preset.reference : null);
  resetSpeedChart();
  document.body.dataset.points = '0';
  document.body.dataset.accuracies = '[]';
  $('gallery-list').replaceChildren();
  $('resume').hidden = true;
  return matchesPreset && preset.reference != null ? ` Dashed line: ${preset.referenceLabel}.` : '';
}

function offerKept() {
  const when = new Date(kept.savedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const finished = kept.state === 'done';
  $('resume-text').textContent = `Kept from ${when}: ${kept.description}, ${kept.epoch} of ${kept.epochs} epochs trained`
    + `${finished ? ' (finished)' : ''}. ${finished ? 'Use it again' : 'Continue where it stopped'}, with its curves, or start afresh?`;
  $('resume-continue').textContent = finished ? 'Use it again' : 'Continue training';
  $('resume-continue').disabled = phase === 'loading';
  $('resume').hidden = false;
}

/** One line per hidden layer with biases (pooling layers have none to measure). */
function resetSpeedChart() {
  const { layers, sizes } = state.config;
  const hidden = layers
    ? specOf(core, layers).kind.slice(1, -1).map((kind, i) => ({ keep: kind !== 'pool', label: `layer ${i + 1}: ${layers.split('-')[i]}` }))
    : sizes.slice(1, -1).map((n, i) => ({ keep: true, label: `hidden layer ${i + 1}` }));
  speedLayers = hidden.map((h) => h.keep);
  const kept = hidden.filter((h) => h.keep);
  speedChart?.reset(kept.length, layers ? kept.map((h) => h.label) : null);
}

function filtersOf(filters, whose) {
  if (!state.panels.includes('filters')) return;
  showFilters($('filters-view'), filters);
  $('filters-hint').textContent = filters
    ? `The ${filters.maps} feature maps of ${whose}'s first layer, ${filters.rows}×${filters.cols} shared weights each; darker means a larger weight.`
    : `${whose[0].toUpperCase()}${whose.slice(1)} has no convolutional layer: choose a chapter 6 preset to see feature maps.`;
  $('filters').dataset.maps = String(filters?.maps ?? 0);
}

/** Every control's listener but the settings form's (settings.js). */
function wire() {
  $('axes').value = state.axes;
  $('axes').addEventListener('change', () => {
    state.axes = $('axes').value === 'full' ? 'full' : 'zoom';
    chart?.setZoom(state.axes === 'zoom');
    saveToUrl();
  });
  $('start').addEventListener('click', () => {
    if (!settings.read()) {
      status('Fix the settings marked in red first.', true);
      return;
    }
    notKept = '';
    status(`Training.${prepareRun()}`);
    worker.post({ type: 'start', config: state.config });
    setPhase('running');
  });
  $('resume-continue').addEventListener('click', () => {
    // the kept run's settings become the page's (and the link's)
    state.config = { ...state.config, ...kept.config };
    settings.show();
    settings.read();
    saveToUrl();
    status(`Continuing from epoch ${kept.epoch + 1}.${prepareRun()}`);
    worker.post({ type: 'continue' });
    setPhase('running');
  });
  $('resume-forget').addEventListener('click', () => {
    worker.post({ type: 'forget' });
    $('resume').hidden = true;
    kept = null;
    status('The kept network is forgotten.');
  });
  $('pause').addEventListener('click', () => {
    if (phase === 'running') {
      // the Worker answers 'paused' once its slice in flight has ended; nothing of the run follows
      delete document.body.dataset.pauseAnswered;
      document.body.dataset.pauseAsked = String(performance.now());
      worker.post({ type: 'pause' });
      setPhase('paused');
      status('Paused.');
    } else if (phase === 'paused') {
      delete document.body.dataset.pauseAnswered;
      worker.post({ type: 'resume' });
      setPhase('running');
      status('Training.');
    }
  });
  $('reset').addEventListener('click', () => {
    delete document.body.dataset.forgotten;
    worker.post({ type: 'reset' }); // and the kept run is forgotten: the Worker answers 'reset'
    $('resume').hidden = true;
    kept = null;
    chart?.reset(null);
    for (const id of ['stat-epoch', 'stat-speed', 'stat-time', 'stat-test']) $(id).textContent = '–';
    $('epoch-bar').value = 0;
    $('gallery-list').replaceChildren();
    setPhase('ready');
    status('Reset: the drawing pad uses the pretrained network again.');
    filtersOf(fallbackFilters, 'the pretrained network');
    pad.read();
  });
  // saving and opening networks
  $('save-model').addEventListener('click', () => worker.post({ type: 'save', format: 'nndl' }));
  $('save-json').addEventListener('click', () => worker.post({ type: 'save', format: 'json' }));
  $('open-model').addEventListener('change', async () => {
    const file = $('open-model').files[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    opening = file.name;
    worker.post({ type: 'open', bytes, name: file.name }, [bytes.buffer]);
    $('open-model').value = '';
  });
}

function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ------------------------------------------------------------------ messages from the worker

// The figures of progress change a few times a second, not at every frame: each change costs a
// layout and a paint, and on a busy machine a frame that paints can run past 50 ms.
const PROGRESS_MS = 250;
let pendingProgress = null, progressShown = 0;
function showProgress() {
  const p = pendingProgress;
  if (!p) return; // shown already (the Worker's answer to Pause shows the last at once)
  pendingProgress = null;
  progressShown = performance.now();
  $('stat-epoch').textContent = `${Math.min(p.epoch + 1, p.epochs)} / ${p.epochs}`;
  $('stat-speed').textContent = Math.round(p.examplesPerSecond).toLocaleString('en-US');
  $('stat-time').textContent = `${(p.trainedMs / 1000).toFixed(1)} s`;
  $('epoch-bar').value = p.done / p.total;
}

function addToGallery(misclassified) {
  const items = misclassified.map(({ predicted, label, pixels }) => {
    const item = document.createElement('li');
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    paintDigit(canvas, pixels, 255);
    canvas.setAttribute('aria-label', `a ${label} read as ${predicted}`);
    item.append(canvas, `${label} → ${predicted}`);
    return item;
  });
  $('gallery-list').replaceChildren(...items);
}

let pendingLoading = null;
function showLoading() {
  const { stage, loaded, total } = pendingLoading;
  pendingLoading = null;
  $('loading-bar').value = total ? loaded / total : 0;
  const seconds = (performance.now() - loadingSince) / 1000, left = loaded ? ((total - loaded) * seconds) / loaded : 0;
  $('loading-text').textContent = stage === 'decoding'
    ? 'Decoding MNIST in WebAssembly…'
    : `Downloading MNIST for training: ${(loaded / 2 ** 20).toFixed(1)} of ${(total / 2 ** 20).toFixed(1)} MiB`
      + (seconds > 0.5 && loaded < total ? `, about ${Math.ceil(left)} s left` : '');
}

/** How many threads train (the Worker's 'started'), and why not more: the same numbers whatever
 * the count, only sooner. */
function showThreads({ count, why }) {
  const cell = $('stat-threads');
  cell.textContent = why ? `${count} (${why})` : String(count);
  document.body.dataset.threads = String(count);
}

/** The Worker's ready reply: the pretrained network is in, and the pad reads drawings from now
 * on; a view that trains asks for MNIST. */
function onReady(message) {
  pretrained = message.pretrained;
  fallbackFilters = message.filters;
  filtersOf(message.filters, 'the pretrained network');
  for (const id of ['save-model', 'save-json', 'open-model']) $(id).disabled = false;
  document.body.dataset.drawReady = String(performance.now());
  pad.ready();
  if (needsData) {
    $('loading-text').textContent = 'Downloading MNIST for training…';
    worker.post({ type: 'load', key: runKeyOf(state) });
    return;
  }
  $('loading').hidden = true;
  status(`The drawing pad uses the ${pretrained}.`);
  document.body.dataset.ready = String(performance.now());
  document.body.dataset.wasmMemory = String(message.memory);
  keepForLater(message.urls);
}

const onMessage = {
  loading(message) {
    loadingSince ||= performance.now();
    if (!pendingLoading) requestAnimationFrame(showLoading); // at most once a frame
    pendingLoading = message;
  },
  kept(message) {
    kept = message;
    offerKept();
  },
  stored({ x }) {
    document.body.dataset.storedX = String(x);
  },
  data(message) {
    resetSpeedChart(); // built now, so that Start only clears it
    $('loading').hidden = true;
    setPhase('ready');
    $('resume-continue').disabled = false;
    status(`Ready: 50,000 training images. The drawing pad uses the ${pretrained}.`);
    document.body.dataset.ready = String(performance.now());
    document.body.dataset.wasmMemory = String(message.memory);
    keepForLater(message.urls);
  },
  started({ examples, filters, resumed, threads }) {
    filtersOf(filters, 'the network being trained');
    showThreads(threads);
    if (resumed) document.body.dataset.resumed = String(kept?.epoch ?? 0);
    document.body.dataset.examples = String(examples);
    if (examples !== 50000) status(`Training on ${examples.toLocaleString('en-US')} images (the expanded data).`);
  },
  progress(message) {
    document.body.dataset.firstStep ??= String(performance.now());
    if (!pendingProgress) setTimeout(() => requestAnimationFrame(showProgress), Math.max(0, progressShown + PROGRESS_MS - performance.now()));
    pendingProgress = message;
  },
  point({ x, subsetAccuracy, cost, speeds, filters }) {
    chart?.point(x, subsetAccuracy, cost);
    speedChart?.add(x, speeds.filter((_, i) => speedLayers[i] ?? true));
    if (filters) filtersOf(filters, 'the network being trained');
    document.body.dataset.speeds = JSON.stringify(speeds);
    document.body.dataset.speedLines = String(speedChart?.lines ?? 0);
    document.body.dataset.points = String((Number(document.body.dataset.points) || 0) + 1);
    document.body.dataset.lastAccuracy = String(subsetAccuracy);
    document.body.dataset.accuracies = JSON.stringify([...JSON.parse(document.body.dataset.accuracies ?? '[]'), subsetAccuracy]);
  },
  epoch(message) {
    const { x, test, misclassified } = message;
    chart?.epoch(x, message);
    $('stat-test').textContent = `${(100 * test).toFixed(2)}%`;
    addToGallery(misclassified);
    pad.read();
  },
  paused() {
    // the run's last figures are in: shown now, not a frame later
    if (pendingProgress) showProgress();
    document.body.dataset.pauseAnswered = String(performance.now());
  },
  reset() {
    document.body.dataset.forgotten = '1';
  },
  done({ reason }) {
    setPhase('done');
    status(`${reason ? `Stopped: ${reason}. ` : 'Done. '}Draw a digit to try the network you trained.${notKept ? ` It is not kept: ${notKept}, so a reload forgets it (Save network keeps it as a file).` : ''}`);
  },
  schedule({ eta }) {
    status(`No improvement for ${state.config.patience} epochs: η halved to ${eta.toPrecision(3)}.`);
  },
  diverged({ message }) {
    setPhase('diverged');
    status(`Training stopped: ${message}.`, true);
  },
  saved({ format, data, name }) {
    download(name, data, format === 'json' ? 'application/json' : 'application/octet-stream');
  },
  opened({ label, filters }) {
    fallbackFilters = filters;
    filtersOf(filters, 'the opened network');
    chart?.reset(null);
    setPhase('ready');
    status(`Opened ${label}. The drawing pad uses it.`);
    pad.read();
  },
  classification(message) {
    pad.show(message);
    teachPanel.offer(message);
  },
  taught: (message) => teachPanel.taught(message),
  drawings: (message) => teachPanel.drawings(message),
  untaught: (message) => teachPanel.untaught(message),
  error({ action, message }) {
    const what = { start: 'Cannot start', train: 'Training failed', open: `Cannot open ${opening}`, save: 'Cannot save', init: 'Cannot load', load: 'Cannot load', continue: 'Cannot continue', keep: 'Note', worker: 'The training worker failed' }[action];
    if (action === 'keep') {
      notKept = message;
      return status(`Note: ${message}.`);
    }
    if (action === 'continue') setPhase('ready');
    if (action === 'start' && phase === 'running') setPhase('ready');
    if (action === 'train') setPhase('diverged'); // stopped: Restart is offered
    status(`${what ?? `Something went wrong (${action})`}: ${message}`, true);
  },
};

