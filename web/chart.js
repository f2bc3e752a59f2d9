// chart.js — the live learning curves, drawn by uPlot: validation accuracy (a fixed subset
// several times per epoch, the full validation and test sets at each epoch's end) on the left
// axis, the running training cost on the right, and the book's figure as a dashed line.
// Points are appended as they arrive; the chart redraws at most once per animation frame.
import uPlot from './vendor/uplot/uPlot.esm.js';

const SERIES = ['subset', 'validation', 'test', 'cost', 'reference'];

export function createChart(element) {
  const data = [[], ...SERIES.map(() => [])];
  let reference = null, redraw = false;
  const width = () => element.clientWidth;

  const plot = new uPlot({
    width: width(),
    height: 300,
    scales: { x: { time: false }, '%': { range: [0, 100] }, cost: { range: (u, min, max) => [0, Math.max(0.05, max ?? 0.05)] } },
    axes: [
      { label: 'epoch' },
      { scale: '%', label: 'accuracy (%)' },
      { scale: 'cost', side: 1, label: 'training cost', grid: { show: false } },
    ],
    series: [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
      { label: 'validation subset', scale: '%', stroke: '#9db7e0', width: 1.5, spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '–' : `${v.toFixed(1)}%`) },
      { label: 'validation', scale: '%', stroke: '#1f6feb', width: 2, spanGaps: true, points: { show: true, size: 5 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) },
      { label: 'test', scale: '%', stroke: '#137333', width: 2, spanGaps: true, points: { show: true, size: 5 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) },
      { label: 'training cost', scale: 'cost', stroke: '#c2410c', width: 1.5, spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '–' : v.toFixed(4)) },
      { label: 'book', scale: '%', stroke: '#555', dash: [6, 6], width: 1.5, points: { show: false }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) },
    ],
  }, data, element);

  new ResizeObserver(() => plot.setSize({ width: width(), height: 300 })).observe(element);

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
    epoch: (x, validation, test) => add(x, { validation: 100 * validation, test: 100 * test }),
    /** Starts a new run: no points, and the book's figure (a fraction, or null) as the dashed line. */
    reset(referenceFraction) {
      for (const series of data) series.length = 0;
      reference = referenceFraction == null ? null : 100 * referenceFraction;
      plot.setData(data);
    },
    /** How many points are drawn (for tests and the status line). */
    get points() { return data[0].length; },
  };
}
