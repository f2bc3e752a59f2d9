// init.js — figure: weight initialisation (chapter 3). An input of n_in neurons, a share of them
// on (x = 1, the rest 0), feeds a layer of hidden sigmoid neurons; the histogram of their weighted
// inputs z with N(0, 1) weights (network.py: a broad Gaussian, std √(n_on + 1)) against N(0, 1/n_in)
// (network2.py: a narrow one), and how many neurons that saturates (σ(z) within 0.01 of 0 or 1,
// where σ′ < 0.01 and learning crawls). The core draws the weights (its two initialisations) and
// computes z and σ(z) (nndl_network_trace). Not here: training (slowdown.js).
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { Network } from '../lib/nndl.js';
import { Plot } from './kit/plot.js';

const HIDDEN = 1000; // neurons drawn: the histogram's samples
// The core draws them CHUNK at a time, a layer of n_in x CHUNK weights in a task of its own: all
// 1,000 at once (a million normal deviates per initialisation) held the page for 200 ms.
const CHUNK = 125;
const nextTask = () => new Promise((resolve) => setTimeout(resolve));
const INITS = [['large', 'N(0, 1) weights', 'goal'], ['scaled', 'N(0, 1/n_in) weights', 'accent']];

export const schema = {
  n: { type: 'int', min: 10, max: 2000, step: 10, default: 1000, label: 'Input neurons n_in' },
  on: { type: 'number', min: 0, max: 1, step: 0.05, default: 0.5, label: 'Share of inputs that are 1' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
};

/** Counts of values in `bins` equal bins over [lo, hi] (the outermost bins take what is beyond). */
function histogram(values, lo, hi, bins) {
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]++;
  return counts;
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Histograms of the hidden neurons’ weighted inputs');
  const said = readout();
  let drawn = null, nets = { key: '', list: [] };
  const plot = new Plot(canvas, { x: [-30, 30], y: [0, 0.5], xLabel: 'weighted input z', yLabel: 'share of neurons', aspect: 0.55, draw: (p) => drawn && paint(p) });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));

  /** The layers of hidden neurons, HIDDEN / CHUNK for each initialisation (the same seeds for
   * both), drawn anew for n_in and seed. */
  async function layers(st) {
    const key = `${st.n}|${st.seed}`;
    if (nets.key === key) return nets.list;
    nets.list.flat().forEach((net) => net.free());
    nets = { key: '', list: [] };
    const list = INITS.map(() => []);
    for (let k = 0; k < HIDDEN / CHUNK; k++)
      for (const [i, [init]] of INITS.entries()) {
        await nextTask();
        list[i].push(await Network.create([st.n, CHUNK], { init, seed: st.seed * (HIDDEN / CHUNK) + k }));
      }
    nets = { key, list };
    return list;
  }

  function paint(p) {
    p.axes();
    const bins = 120, width = (p.xRange[1] - p.xRange[0]) / bins;
    drawn.z.forEach((z, k) => {
      const counts = histogram(z, ...p.xRange, bins), xs = [], ys = [];
      counts.forEach((c, i) => { const x = p.xRange[0] + i * width; xs.push(x, x + width); ys.push(c / z.length, c / z.length); });
      p.band(xs, ys, null, { color: INITS[k][2], alpha: 0.25 });
      p.line(xs, ys, { color: INITS[k][2], width: 1.5 });
    });
    p.legend(INITS.map(([, label, color], k) => [`${label}: ${(100 * drawn.saturated[k]).toFixed(1)}% saturated`, color]));
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const on = Math.round(st.on * st.n), x = Array.from({ length: st.n }, (_, i) => (i < on ? 1 : 0));
      const traces = (await layers(st)).map((chunks) => chunks.map((net) => net.trace(x)));
      const z = traces.map((t) => t.flatMap((c) => Array.from(c.z[1])));
      const saturated = traces.map((t) => t.flatMap((c) => Array.from(c.a[1])).filter((a) => a < 0.01 || a > 0.99).length / HIDDEN);
      const spread = z.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length - (v.reduce((s, x) => s + x, 0) / v.length) ** 2));
      drawn = { z, saturated, spread };
      plot.redraw();
      said.textContent = `${on} of ${st.n} inputs on. With N(0, 1) weights z spreads with standard deviation ${spread[0].toFixed(2)} (√${on + 1} = ${Math.sqrt(on + 1).toFixed(2)}): `
        + `${(100 * saturated[0]).toFixed(1)}% of the ${HIDDEN} neurons saturate. With N(0, 1/n_in) weights: ${spread[1].toFixed(2)} (√(${on}/${st.n} + 1) = ${Math.sqrt(on / st.n + 1).toFixed(2)}), ${(100 * saturated[1]).toFixed(1)}% saturate.`;
      canvas.setAttribute('aria-label', `Histograms of z for the two initialisations. ${said.textContent}`);
    },
    data: () => drawn && { spread: drawn.spread, saturated: drawn.saturated },
  };
}
