// app.js — the page's main thread: settings (kept in the URL), buttons, live figures, the chart,
// the drawing pad and the gallery. Every bit of training and classification happens in
// worker.js; this thread only sends messages and draws what comes back, at most once per frame.
import { paintDigit } from './draw.js';
import { showFilters } from './filters.js';
import { early, wasm as compiling, worker } from './boot.js';
import { loadCore, specOf } from './core.js';
import { PANELS, PRESETS, SETTINGS, checkSetting, choices, formatSetting, parseParams, presetConfig, toSearch } from './params.js';
import { keepForLater } from './offline.js';
import { createPadPanel } from './pad.js';
import { createTeachPanel } from './teach-panel.js';

const $ = (id) => document.getElementById(id);
// Starting up is cut into tasks of a few milliseconds each, so that no task of the main thread
// runs over 50 ms while the page loads (the reader may already be drawing).
const nextTask = () => new Promise((resolve) => setTimeout(resolve));
// The drawing pad takes strokes at once; they are read when the Worker has its network.
const pad = createPadPanel((id, pixels) => worker.postMessage({ type: 'classify', id, pixels }));
const teachPanel = createTeachPanel(worker, pad);
// boot.js has started the Worker, the core's compilation and the pretrained network's download;
// the core is downloaded and compiled once for both threads.
const wasm = await compiling;
// The core on this thread too, for what only it knows: its names, its grammar, its ranges. It
// computes nothing here; training and classification are the Worker's.
const core = await loadCore({ wasm });
const state = parseParams(location.search, core);
// What this view needs: MNIST only where it trains (a view of the pad or the filters never
// downloads it), the charts (and uPlot) only where they are shown.
const TRAINING_PANELS = ['controls', 'curves', 'speeds', 'gallery'];
const needsData = state.panels.some((p) => TRAINING_PANELS.includes(p));
worker.postMessage({ type: 'core', wasm, data: needsData, key: needsData ? runKeyOf(state) : null });
const charts = state.panels.includes('curves') || state.panels.includes('speeds') ? await import('./chart.js') : null;
await nextTask();
let phase = 'loading'; // loading | ready | running | paused | done | diverged
let fallbackFilters = null, speedLayers = [];   // the pretrained (or opened) network's filters
const chart = state.panels.includes('curves') ? charts.createChart($('chart'), { zoom: state.axes !== 'full' }) : null;
$('axes').value = state.axes;
$('axes').addEventListener('change', () => {
  state.axes = $('axes').value === 'full' ? 'full' : 'zoom';
  chart?.setZoom(state.axes === 'zoom');
  saveToUrl();
});
window.nndlChart = chart; // for the tests: the axes' ranges
await nextTask();
const speedChart = state.panels.includes('speeds') ? charts.createSpeedChart($('speed-chart')) : null;
let pretrained = '', loadingSince = 0;

/** Under which a view keeps its run (runs.js): the full page, or an embed by its panels and
 * preset, so that several embeds on a lesson page keep their own networks. */
function runKeyOf({ embed, panels, preset }) {
  return embed ? `embed ${panels.join(',')} ${preset}` : 'page';
}

// ------------------------------------------------------------------ layout and URL state

function applyLayout() {
  document.body.classList.toggle('embed', state.embed);
  for (const panel of PANELS) $(panel).hidden = !state.panels.includes(panel);
  const full = $('full-page');
  full.hidden = !state.embed;
  full.href = `./${toSearch({ ...state, embed: false, panels: PANELS })}`;
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

function saveToUrl() {
  history.replaceState(null, '', `${location.pathname}${toSearch(state)}${location.hash}`);
}

// ------------------------------------------------------------------------------- settings

// 'auto': the CLI's rule, applied by the core (README: quadratic and N(0, 1) for sizes; for a layer
// string the cost its output goes with and N(0, 1/n_in))
const AUTO = { cost: 'auto (from the network)', init: 'auto (from the network)' };

function fillSettings() {
  const select = $('preset');
  for (const [name, preset] of Object.entries(PRESETS)) select.add(new Option(preset.label, name));
  select.value = state.preset;
  for (const name of ['cost', 'hidden', 'init', 'schedule'])
    for (const value of choices(name, core)) $(name).add(new Option(value === 'auto' ? AUTO[name] : value, value));
  for (const name of SETTINGS) $(name).value = formatSetting(name, state.config[name]);
}

/** Reads every field; marks the bad ones; returns true if all are good. */
function readSettings() {
  let good = true;
  for (const name of SETTINGS) {
    const { value, error } = checkSetting(name, $(name).value, core);
    $(name).setAttribute('aria-invalid', error ? 'true' : 'false');
    $(`${name}-error`).textContent = error ?? '';
    if (error) good = false;
    else state.config[name] = value;
  }
  $('sizes').disabled = phase === 'running' || $('layers').value.trim() !== '';
  return good;
}

$('preset').addEventListener('change', () => {
  state.preset = $('preset').value;
  state.config = presetConfig(state.preset);
  for (const name of SETTINGS) $(name).value = formatSetting(name, state.config[name]);
  readSettings();
  saveToUrl();
});

$('settings').addEventListener('input', (e) => {
  if (e.target.id === 'preset' || !readSettings()) return;
  saveToUrl();
  if (phase === 'running' || phase === 'paused') worker.postMessage({ type: 'set', eta: state.config.eta, epochs: state.config.epochs });
});
$('settings').addEventListener('submit', (e) => e.preventDefault());

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

$('start').addEventListener('click', () => {
  if (!readSettings()) {
    status('Fix the settings marked in red first.', true);
    return;
  }
  status(`Training.${prepareRun()}`);
  worker.postMessage({ type: 'start', config: state.config });
  setPhase('running');
});

// ------------------------------------------------------ a run kept from an earlier visit

let kept = null; // what the Worker says it kept for this view (see worker.js, 'kept')

function offerKept() {
  const when = new Date(kept.savedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const finished = kept.state === 'done';
  $('resume-text').textContent = `Kept from ${when}: ${kept.description}, ${kept.epoch} of ${kept.epochs} epochs trained`
    + `${finished ? ' (finished)' : ''}. ${finished ? 'Use it again' : 'Continue where it stopped'}, with its curves, or start afresh?`;
  $('resume-continue').textContent = finished ? 'Use it again' : 'Continue training';
  $('resume-continue').disabled = phase === 'loading';
  $('resume').hidden = false;
}

$('resume-continue').addEventListener('click', () => {
  // the kept run's settings become the page's (and the link's)
  state.config = { ...state.config, ...kept.config };
  for (const name of SETTINGS) $(name).value = formatSetting(name, state.config[name]);
  readSettings();
  saveToUrl();
  status(`Continuing from epoch ${kept.epoch + 1}.${prepareRun()}`);
  worker.postMessage({ type: 'continue' });
  setPhase('running');
});

$('resume-forget').addEventListener('click', () => {
  worker.postMessage({ type: 'forget' });
  $('resume').hidden = true;
  kept = null;
  status('The kept network is forgotten.');
});

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

$('pause').addEventListener('click', () => {
  if (phase === 'running') {
    // the Worker answers 'paused' once its slice in flight has ended; nothing of the run follows
    delete document.body.dataset.pauseAnswered;
    document.body.dataset.pauseAsked = String(performance.now());
    worker.postMessage({ type: 'pause' });
    setPhase('paused');
    status('Paused.');
  } else if (phase === 'paused') {
    delete document.body.dataset.pauseAnswered;
    worker.postMessage({ type: 'resume' });
    setPhase('running');
    status('Training.');
  }
});

$('reset').addEventListener('click', () => {
  delete document.body.dataset.forgotten;
  worker.postMessage({ type: 'reset' }); // and the kept run is forgotten: the Worker answers 'reset'
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

// ---------------------------------------------------------------- saving and opening networks

$('save-model').addEventListener('click', () => worker.postMessage({ type: 'save', format: 'nndl' }));
$('save-json').addEventListener('click', () => worker.postMessage({ type: 'save', format: 'json' }));
$('open-model').addEventListener('change', async () => {
  const file = $('open-model').files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  worker.postMessage({ type: 'open', bytes, name: file.name }, [bytes.buffer]);
  $('open-model').value = '';
});

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

const onMessage = {
  loading(message) {
    loadingSince ||= performance.now();
    if (!pendingLoading) requestAnimationFrame(showLoading); // at most once a frame
    pendingLoading = message;
  },
  ready(message) {
    // the pretrained network is in: the pad reads drawings from now on
    pretrained = message.pretrained;
    fallbackFilters = message.filters;
    filtersOf(message.filters, 'the pretrained network');
    for (const id of ['save-model', 'save-json', 'open-model']) $(id).disabled = false;
    document.body.dataset.drawReady = String(performance.now());
    pad.ready();
    if (needsData) {
      $('loading-text').textContent = 'Downloading MNIST for training…';
      return;
    }
    $('loading').hidden = true;
    status(`The drawing pad uses the ${pretrained}.`);
    document.body.dataset.ready = String(performance.now());
    document.body.dataset.wasmMemory = String(message.memory);
    keepForLater(message.urls);
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
  started({ examples, filters, resumed }) {
    filtersOf(filters, 'the network being trained');
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
    status(`${reason ? `Stopped: ${reason}. ` : 'Done. '}Draw a digit to try the network you trained.`);
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
  error({ action, name, message }) {
    const what = { start: 'Cannot start', train: 'Training failed', open: `Cannot open ${name}`, save: 'Cannot save', init: 'Cannot load', core: 'Cannot load', continue: 'Cannot continue', keep: 'Note' }[action];
    if (action === 'keep') return status(`Note: ${message}`);
    if (action === 'continue') setPhase('ready');
    if (action === 'start' && phase === 'running') setPhase('ready');
    if (action === 'train') setPhase('diverged'); // stopped: Restart is offered
    status(`${what ?? `Something went wrong (${action})`}: ${message}`, true);
  },
};

worker.onmessage = ({ data }) => onMessage[data.type]?.(data);
worker.onerror = (e) => status(`The training worker failed: ${e.message}`, true);

await nextTask();
applyLayout();
await nextTask();
fillSettings();
readSettings();
setPhase('loading');
for (const data of early.splice(0)) onMessage[data.type]?.(data);
