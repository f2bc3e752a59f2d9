// learn-f.js — figure: let the core learn it (chapter 4, beyond the book). A [1, N, 1] network of
// sigmoid (or tanh, ReLU) neurons and a linear output, trained in a Web Worker (workers/learn-worker.js)
// by the core's SGD on 500 samples of the book's f or of a function the reader draws: the fit,
// each hidden neuron's contribution w_j a_j(x) (does learning find steps?), the cost of every
// epoch and the average deviation, live. Pause stops it within a slice. Not here: the training
// loop (the core's) or the hand-made networks (by-hand.js).
import { button, choice, el, focused, plotCanvas, readout, slider } from './kit/controls.js';
import { goal, hiddenChoices } from './kit/nets.js';
import { Plot } from './kit/plot.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { short } from './kit/notation.js';
import { clampTo, formatNumber } from '../shared/url-state.js';

const KNOTS = 33;
const DRAWN = { type: 'number', min: -0.5, max: 1.5, step: 0.01 };
const GRID = Array.from({ length: 201 }, (_, i) => i / 200);
const SAMPLES = Array.from({ length: 500 }, (_, i) => i / 499);

export const schema = {
  target: { type: 'choice', values: { f: 'the book’s f', drawn: 'a function you draw' }, default: 'f', label: 'Learn' },
  n: { type: 'int', min: 1, max: 100, step: 1, default: 30, label: 'Hidden neurons N' },
  hidden: { type: 'choice', values: await hiddenChoices(), default: 'sigmoid', label: 'Hidden neurons are' },
  output: { type: 'choice', values: { linear: 'linear (the weighted output)', sigmoid: 'sigmoid, as in the book' }, default: 'linear', label: 'Output neuron' },
  eta: { type: 'number', min: 0.001, max: 3, step: 0.001, default: 0.03, label: 'Learning rate η' },
  mu: { type: 'number', min: 0, max: 0.99, step: 0.01, default: 0.9, label: 'Momentum μ' },
  batch: { type: 'int', min: 1, max: 100, step: 1, default: 1, label: 'Mini-batch size' },
  epochs: { type: 'int', min: 1, max: 20000, step: 1, default: 5000, label: 'Epochs' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
  drawn: { ...DRAWN, type: 'list', length: [KNOTS, KNOTS], default: Array.from({ length: KNOTS }, (_, k) => Number(goal(k / (KNOTS - 1)).toFixed(2))), label: 'Drawn function' },
};

/** The target as a function: f, or the drawn knots joined by straight lines. */
function targetOf(st) {
  if (st.target === 'f') return goal;
  return (x) => {
    const t = Math.min(KNOTS - 1, Math.max(0, x * (KNOTS - 1))), k = Math.min(KNOTS - 2, Math.floor(t));
    return st.drawn[k] + (st.drawn[k + 1] - st.drawn[k]) * (t - k);
  };
}

const TRAINING = ['target', 'n', 'hidden', 'output', 'eta', 'mu', 'batch', 'epochs', 'seed', 'drawn'];

export async function mount(root, { state, set, worker, result }) {
  const fitCanvas = plotCanvas('The target and the network’s output');
  const partsCanvas = plotCanvas('Each hidden neuron’s contribution');
  const costCanvas = plotCanvas('The cost after each epoch');
  fitCanvas.tabIndex = 0;
  const said = readout();
  const stats = el('dl', { className: 'stats' });
  const stat = (name) => { const dd = el('dd', { textContent: '–' }); stats.append(el('div', {}, [el('dt', { textContent: name }), dd])); return dd; };
  const [epochOut, costOut, deviationOut, speedOut] = ['Epoch', 'Cost', 'Average deviation', 'Epochs per second'].map(stat);
  let run = { snapshot: null, costs: [], status: 'idle' }, cursor = Math.floor(KNOTS / 2), drawnFor = null;

  const fit = new Plot(fitCanvas, { x: [0, 1], y: [-0.5, 1.5], xLabel: 'input x', yLabel: 'output', aspect: 0.55, draw: (p) => paintFit(p) });
  const parts = new Plot(partsCanvas, { x: [0, 1], y: [-3, 3], xLabel: 'input x', yLabel: 'wⱼ aⱼ(x)', aspect: 0.45, draw: (p) => paintParts(p) });
  const cost = new Plot(costCanvas, { x: [0, state.epochs], y: [-5, 0], xLabel: 'epoch', yLabel: 'log₁₀ cost', aspect: 0.45, draw: (p) => paintCost(p) });
  const controls = Object.fromEntries(TRAINING.filter((n) => n !== 'drawn').map((name) => {
    const s = schema[name];
    return [name, (s.type === 'choice' ? choice : slider)(s, state[name], (v) => set({ [name]: v }))];
  }));
  const trainButton = button('Train', () => (run.status === 'training' ? pause() : run.status === 'paused' ? resume() : start()));
  const resetButton = button('Reset', () => reset('Reset.'), { secondary: true });
  const drawHint = el('p', { className: 'caption', textContent: 'Draw the function over the upper plot with a finger or the mouse; or focus the plot and use the arrow keys (Left/Right choose a point, Up/Down move it).' });
  root.classList.add('side');
  const picture = networkDiagram('The network being trained');
  root.append(el('div', { className: 'plots' }, [fitCanvas, drawHint, said, stats, picture.node, partsCanvas, costCanvas]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [trainButton, resetButton]), ...Object.values(controls).map((c) => c.node)]));

  worker.listen({
    snapshot(data) {
      run.snapshot = data;
      run.costs.push(...data.costs);
      show();
    },
    done: () => { run.status = 'done'; show(); },
    paused: () => { run.status = 'paused'; show(); },
    error(data) {
      run.status = 'idle';
      said.textContent = `Training stopped: ${data.message}`;
      show();
    },
  });

  // the Worker's client (start.js) sends the core before anything else: it is sent to at once
  function start() {
    const target = targetOf(state);
    const config = Object.fromEntries(TRAINING.filter((n) => n !== 'drawn' && n !== 'target').map((n) => [n, state[n]]));
    run = { snapshot: null, costs: [], status: 'training', config };
    worker.post({ type: 'start', config, xs: SAMPLES, ys: SAMPLES.map(target), grid: GRID, target: GRID.map(target) });
    show();
  }
  function pause() { worker.post({ type: 'pause' }); run.status = 'pausing'; show(); }
  function resume() { worker.post({ type: 'resume' }); run.status = 'training'; show(); }
  function reset(why) {
    worker.post({ type: 'reset' });
    run = { snapshot: null, costs: [], status: 'idle' };
    said.textContent = why;
    show();
  }

  // drawing the target: the knot under the pointer takes the pointer's height, and the knots a
  // fast stroke passed over between two events take the heights of the line between them
  let stroke = null;
  const drawAt = (event) => {
    if (state.target !== 'drawn') return;
    const box = fitCanvas.getBoundingClientRect(), { x, y } = fit.invert(event.clientX - box.left, event.clientY - box.top);
    const k = Math.round(Math.min(1, Math.max(0, x)) * (KNOTS - 1)), v = clampTo(DRAWN, y);
    const [k0, v0] = stroke ?? [k, v], drawn = [...state.drawn];
    for (let j = Math.min(k, k0); j <= Math.max(k, k0); j++) drawn[j] = k === k0 ? v : clampTo(DRAWN, v0 + ((v - v0) * (j - k0)) / (k - k0));
    stroke = [k, v];
    cursor = k;
    if (drawn.some((d, j) => d !== state.drawn[j])) set({ drawn });
  };
  fitCanvas.addEventListener('pointerdown', (e) => { if (state.target === 'drawn') { fitCanvas.setPointerCapture(e.pointerId); stroke = null; drawAt(e); } });
  fitCanvas.addEventListener('pointermove', (e) => fitCanvas.hasPointerCapture(e.pointerId) && drawAt(e));
  fitCanvas.addEventListener('keydown', (e) => {
    if (state.target !== 'drawn') return;
    const move = { ArrowLeft: -1, ArrowRight: 1 }[e.key], change = { ArrowUp: 0.05, ArrowDown: -0.05, PageUp: 0.25, PageDown: -0.25 }[e.key];
    if (move === undefined && change === undefined) return;
    e.preventDefault();
    if (move) { cursor = Math.min(KNOTS - 1, Math.max(0, cursor + move)); fit.redraw(); return; }
    set({ drawn: state.drawn.map((d, j) => (j === cursor ? clampTo(DRAWN, d + change) : d)) });
  });
  fitCanvas.addEventListener('focus', () => fit.redraw());
  fitCanvas.addEventListener('blur', () => fit.redraw());

  function paintFit(p) {
    p.axes();
    const target = targetOf(state);
    p.line(GRID, GRID.map(target), { color: 'goal', dash: [6, 4] });
    if (state.target === 'drawn' && focused(fitCanvas)) p.point(cursor / (KNOTS - 1), state.drawn[cursor], { color: 'goal', radius: 8, ring: true });
    if (run.snapshot) p.line(GRID, run.snapshot.outputs);
    p.legend([[state.target === 'f' ? 'f, the target' : 'your function, the target', 'goal', [6, 4]], ['the network’s output', 'accent']]);
  }
  function paintParts(p) {
    const c = run.snapshot?.contributions, n = run.config?.n ?? 0;
    let top = 1;
    if (c) for (const v of c) top = Math.max(top, Math.abs(v));
    p.yRange = [-Math.ceil(top), Math.ceil(top)];
    p.axes();
    if (!c) return;
    for (let j = 0; j < n; j++) p.line(GRID, GRID.map((_, i) => c[i * n + j]), { color: `hsl(${(j * 137) % 360} 60% 42%)`, width: 1.2, alpha: 0.8 });
  }
  function paintCost(p) {
    p.xRange = [0, Math.max(10, run.config?.epochs ?? state.epochs)];
    const points = run.costs.filter(([, c]) => c > 0);
    const logs = points.map(([, c]) => Math.log10(c));
    p.yRange = logs.length ? [Math.floor(Math.min(...logs)), Math.ceil(Math.max(...logs, Math.min(...logs) + 1))] : [-4, 0];
    p.axes();
    if (points.length) p.line(points.map(([e]) => e), logs);
  }

  /** The [1, N, 1] network, each hidden neuron with its step point s = −b/w as training moves it
   * (the book's question: does learning find steps?), its output weight on its connection. */
  function network(s) {
    const st = s && run.config ? run.config : state, n = st.n;
    const hidden = Array.from({ length: n }, (_, j) => (s ? { label: `s=${s.w[j] ? short(-s.b[j] / s.w[j]) : '–'}`, note: `w = ${short(s.w[j])}` } : {}));
    const edges = hidden.flatMap((_, j) => [{ from: [0, 0], to: [1, j], weight: s ? s.w[j] : 1 }, { from: [1, j], to: [2, 0], weight: s ? s.out[j] : 1, label: s && (j < 2 || j === n - 1) ? short(s.out[j]) : undefined, at: 0.3 }]);
    picture.update({ layers: [{ title: 'input', neurons: [{ label: 'x' }] }, { title: `${st.hidden} (${n})`, neurons: hidden.map((h) => ({ ...h, select: focusing(controls.n) })) },
      { title: 'output', neurons: [{ label: st.output === 'linear' ? 'Σ' : 'σ', note: s ? `b = ${short(s.bias)}` : st.output }] }], edges },
    s ? `[1, ${n}, 1] after ${s.epoch} epochs: hidden neurons step at ${Array.from(s.w, (w, j) => (w ? short(-s.b[j] / w) : '–')).slice(0, 10).join(', ')}${n > 10 ? ', …' : ''}.` : `[1, ${n}, 1], not trained yet.`);
  }

  function show() {
    const s = run.snapshot;
    trainButton.textContent = run.status === 'training' || run.status === 'pausing' ? 'Pause' : run.status === 'paused' ? 'Resume' : run.status === 'done' ? 'Train again' : 'Train';
    trainButton.disabled = run.status === 'pausing';
    epochOut.textContent = s ? `${s.epoch} / ${run.config.epochs}` : '–';
    costOut.textContent = run.costs.length ? run.costs.at(-1)[1].toExponential(2) : '–';
    deviationOut.textContent = s ? s.deviation.toFixed(4) : '–';
    speedOut.textContent = s && s.seconds > 0 ? formatNumber(Math.round(s.epoch / s.seconds)) : '–';
    if (s && run.status === 'done') result?.({ deviation: s.deviation, epochs: s.epoch }); // for a lesson that records it
    if (s && run.status !== 'idle') {
      said.textContent = `${run.status === 'done' ? 'Done' : run.status === 'paused' ? 'Paused' : 'Training'}: after ${s.epoch} epochs (${s.seconds.toFixed(1)} s) the output is within ${s.deviation.toFixed(3)} of the target on average (the book’s measure)${s.deviation < 0.05 ? ', below 0.05' : ''}. Output bias ${s.bias.toFixed(2)}.`;
    }
    fit.redraw(); parts.redraw(); cost.redraw();
    network(s);
    fitCanvas.setAttribute('aria-label', `The target and the network’s output. ${s ? `Average deviation ${s.deviation.toFixed(3)} after ${s.epoch} epochs.` : 'Not trained yet.'}`);
    partsCanvas.setAttribute('aria-label', s ? `Each of the ${run.config.n} hidden neurons’ contributions wⱼ aⱼ(x) to the output.` : 'Each hidden neuron’s contribution: shown once training starts.');
    costCanvas.setAttribute('aria-label', run.costs.length ? `The cost fell to ${run.costs.at(-1)[1].toExponential(2)} after ${run.costs.at(-1)[0]} epochs.` : 'The cost of each epoch: shown once training starts.');
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      drawHint.hidden = st.target !== 'drawn';
      const key = JSON.stringify(TRAINING.map((n) => st[n]));
      if (drawnFor !== null && drawnFor !== key && run.status !== 'idle') reset('The settings changed: press Train to learn with them.');
      drawnFor = key;
      show();
    },
    data: () => ({ status: run.status, epoch: run.snapshot?.epoch ?? 0, deviation: run.snapshot?.deviation ?? null, seconds: run.snapshot?.seconds ?? 0 }),
  };
}
