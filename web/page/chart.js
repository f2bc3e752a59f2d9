// chart.js — the live learning curves, drawn by uPlot: validation accuracy (a fixed subset
// several times per epoch, the full validation and test sets at each epoch's end) and training
// accuracy on the left axis, the running training cost and network2.py's epoch-end costs on the
// right, and the book's figure as a dashed line. Zoomed (the default), the accuracy axis follows
// the data once it passes 80%, the book's line kept in view, and the cost axis follows the costs
// after the first epoch: the difference between 95% and 97% is then most of the plot, as in the
// book's figures; full, they span 0-100% and 0 up. Points are appended as they arrive; the chart
// redraws at most once per animation frame, and again in the reader's colours when the scheme
// turns light or dark.
import './locale.js'; // before uPlot, which formats numbers in navigator.language as it loads
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { COLORS, onSchemeChange } from '../shared/palette.js';

// uPlot's stylesheet comes with the charts: a view without them loads neither
document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('../vendor/uplot/uPlot.min.css', import.meta.url).href }));

const SERIES = ['subset', 'validation', 'test', 'training', 'cost', 'trainingCost', 'validationCost', 'reference'];

const ACCURACIES = ['subset', 'validation', 'test', 'training'], COSTS = ['cost', 'trainingCost', 'validationCost'];
const ZOOM_FROM = 80; // % at which the accuracy axis starts following the data

/** The values of some series, those at x >= from, that are numbers. */
function values(data, names, from = -Infinity) {
  const out = [];
  for (const name of names)
    data[1 + SERIES.indexOf(name)].forEach((v, i) => { if (v != null && data[0][i] >= from) out.push(v); });
  return out;
}

/** The accuracy axis zoomed: from a little under the lowest value past 80% (and the book's) to a
 * little over the highest, whole percents; 0-100 until accuracy passes 80%. */
export function zoomedAccuracy(data, reference) {
  const high = values(data, ACCURACIES).filter((v) => v >= ZOOM_FROM);
  if (!high.length) return [0, 100];
  const all = reference == null ? high : [...high, reference];
  const lo = Math.min(...all), hi = Math.max(...all), pad = Math.max(0.25, (hi - lo) * 0.08);
  return [Math.max(0, Math.floor(lo - pad)), Math.min(100, Math.ceil(hi + pad))];
}

/** The cost axis zoomed: the costs after the first epoch (all of them before it), with margins. */
export function zoomedCost(data) {
  const later = values(data, COSTS, 1), costs = later.length ? later : values(data, COSTS);
  if (!costs.length) return [0, 0.05];
  const lo = Math.min(...costs), hi = Math.max(...costs), pad = Math.max(1e-4, (hi - lo) * 0.08);
  return [Math.max(0, lo - pad), hi + pad];
}

/** A series in the palette's colour `name`: resolved at each draw on the canvas, by reference in
 * the legend (a CSS variable follows the scheme by itself); its points filled with the paper's. */
const series = (name, options) => ({ ...options, tone: name, stroke: () => COLORS[name], points: { fill: () => COLORS.panel, ...options.points } });
const LEGEND = { markers: { stroke: (u, i) => `var(--${u.series[i].tone})` } };
/** An axis in the scheme's ink, its grid and ticks in the grid's colour. */
const axis = (options) => ({ stroke: () => COLORS.ink, ticks: { stroke: () => COLORS.grid, width: 1 }, ...options, grid: { stroke: () => COLORS.grid, width: 1, ...options.grid } });

/** Keeps a chart as wide as its element: on a change of width only, and in the next frame (a
 * resize inside the observer's own callback is the "ResizeObserver loop" error WebKit reports). */
function followWidth(element, resize) {
  let last = -1;
  new ResizeObserver(() => requestAnimationFrame(() => {
    const width = element.clientWidth;
    if (width !== last) resize((last = width));
  })).observe(element);
}

export function createChart(element, { zoom = true } = {}) {
  const data = [[], ...SERIES.map(() => [])];
  let reference = null, redraw = false;
  const width = () => element.clientWidth;

  const plot = new uPlot({
    width: width(),
    height: 300,
    scales: {
      x: { time: false },
      '%': { range: () => (zoom ? zoomedAccuracy(data, reference) : [0, 100]) },
      cost: { range: (u, min, max) => (zoom ? zoomedCost(data) : [0, Math.max(0.05, max ?? 0.05)]) },
    },
    axes: [
      axis({ label: 'epoch' }),
      axis({ scale: '%', label: 'accuracy (%)' }),
      axis({ scale: 'cost', side: 1, label: 'training cost', grid: { show: false } }),
    ],
    legend: LEGEND,
    series: [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
      series('pale', { label: 'validation subset', scale: '%', width: 1.5, spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '–' : `${v.toFixed(1)}%`) }),
      series('blue', { label: 'validation', scale: '%', width: 2, spanGaps: true, points: { show: true, size: 5 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) }),
      series('green', { label: 'test', scale: '%', width: 2, spanGaps: true, points: { show: true, size: 5 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) }),
      series('orange', { label: 'training (10,000)', scale: '%', width: 1.5, spanGaps: true, points: { show: true, size: 4 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) }),
      series('rust', { label: 'running training cost', scale: 'cost', width: 1.5, spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '–' : v.toFixed(4)) }),
      series('purple', { label: 'training cost', scale: 'cost', width: 1, dash: [2, 3], spanGaps: true, points: { show: true, size: 4 }, show: false, value: (u, v) => (v == null ? '–' : v.toFixed(4)) }),
      series('teal', { label: 'validation cost', scale: 'cost', width: 1, dash: [2, 3], spanGaps: true, points: { show: true, size: 4 }, show: false, value: (u, v) => (v == null ? '–' : v.toFixed(4)) }),
      series('grey', { label: 'book', scale: '%', dash: [6, 6], width: 1.5, points: { show: false }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) }),
    ],
  }, data, element);

  followWidth(element, (w) => plot.setSize({ width: w, height: 300 }));
  onSchemeChange(() => plot.redraw());

  /** Adds values at x, sharing a row with the last point when x is the same. */
  function add(x, values) {
    const xs = data[0];
    let row = xs.length - 1;
    if (row < 0 || xs[row] !== x) {
      xs.push(x);
      for (let s = 1; s < data.length; s++) data[s].push(null);
      row += 1;
    }
    for (const [name, v] of Object.entries(values)) data[1 + SERIES.indexOf(name)][row] = v;
    data[1 + SERIES.indexOf('reference')][row] = reference;
    if (!redraw) {
      redraw = true;
      requestAnimationFrame(() => {
        redraw = false;
        plot.setData(data);
      });
    }
  }

  return {
    point: (x, subsetAccuracy, cost) => add(x, { subset: 100 * subsetAccuracy, cost }),
    /** The epoch's end: accuracies (fractions) and network2.py's costs. */
    epoch: (x, m) => add(x, {
      validation: 100 * m.validation, test: 100 * m.test, training: 100 * m.trainingAccuracy,
      trainingCost: m.trainingCost, validationCost: m.validationCost,
    }),
    /** Starts a new run: no points, and the book's figure (a fraction, or null) as the dashed line. */
    reset(referenceFraction) {
      for (const series of data) series.length = 0;
      reference = referenceFraction == null ? null : 100 * referenceFraction;
      plot.setData(data);
    },
    /** Zooms the axes to the data (true) or shows their full ranges. */
    setZoom(on) {
      zoom = on;
      plot.setData(data);
    },
    /** The accuracy axis's range now, [min, max] (for the tests and the curious). */
    get accuracyRange() { return [plot.scales['%'].min, plot.scales['%'].max]; },
    /** Every accuracy drawn inside the accuracy axis's range (for the tests). */
    get visibleAccuracies() {
      const [lo, hi] = [plot.scales['%'].min, plot.scales['%'].max];
      return values(data, ACCURACIES).filter((v) => v >= lo && v <= hi);
    },
    /** How many points are drawn (for tests and the status line). */
    get points() { return data[0].length; },
  };
}

const LAYER_COLOURS = ['blue', 'green', 'rust', 'purple', 'red', 'teal', 'orange', 'grey'];

/** Chapter 5's chart: the learning speed of each hidden layer (log scale), one line per layer. */
export function createSpeedChart(element) {
  let plot = null, data = null, redraw = false;
  const width = () => element.clientWidth;
  followWidth(element, (w) => plot?.setSize({ width: w, height: 260 }));
  onSchemeChange(() => plot?.redraw());
  return {
    /** Starts a run with `hidden` lines, named by `labels` (default 'hidden layer k'). */
    reset(hidden, labels = null) {
      element.dataset.empty = ''; // a placeholder says what will appear, until the first point
      const names = Array.from({ length: hidden }, (_, i) => labels?.[i] ?? `hidden layer ${i + 1}`);
      if (plot && names.join('\n') === plot.series.slice(1).map((s) => s.label).join('\n')) {
        for (const series of data) series.length = 0; // the same lines: no new chart to build
        plot.setData(data);
        return;
      }
      plot?.destroy();
      data = [[], ...Array.from({ length: hidden }, () => [])];
      plot = new uPlot({
        width: width(),
        height: 260,
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [axis({ label: 'epoch' }), axis({ label: '‖∇b‖ (log scale)', size: 70 })],
        legend: LEGEND,
        series: [
          { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
          ...Array.from({ length: hidden }, (_, i) => series(LAYER_COLOURS[i % LAYER_COLOURS.length], {
            label: names[i], width: 2, points: { show: false }, value: (u, v) => (v == null ? '–' : v.toExponential(2)),
          })),
        ],
      }, data, element);
    },
    /** Adds the speeds of the hidden layers (speeds[0] is the first hidden layer) at x. */
    add(x, speeds) {
      if (!data) return;
      delete element.dataset.empty;
      data[0].push(x);
      speeds.forEach((v, i) => data[i + 1]?.push(v > 0 ? v : null));
      if (!redraw) {
        redraw = true;
        requestAnimationFrame(() => {
          redraw = false;
          plot.setData(data);
        });
      }
    },
    get lines() { return data ? data.length - 1 : 0; },
  };
}
