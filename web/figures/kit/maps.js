// maps.js — the figures' small images of what a layer holds: values as grey levels (a feature
// map, a pooled map; positions not yet computed dark blue), a filter as the book draws it (darker
// for a larger weight), and a row of activations as labelled cells. They compute nothing: the
// values are the core's. Not here: plots (plot.js), the network's picture (diagram.js).
import { el } from './controls.js';

/** Paints values (rows x cols) into a canvas, 0 black and `top` white; positions at or after
 * `done` (row-major) left dark blue, not yet computed. */
export function paintMap(canvas, values, rows, cols, top, done = rows * cols) {
  const ctx = canvas.getContext('2d'), image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, values[i] / (top || 1))));
    image.data.set(i < done ? [v, v, v, 255] : [20, 30, 60, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

/** A side x side filter as the book draws it: darker for a larger weight, white for the smallest. */
export function paintFilter(canvas, weights, side) {
  const lo = Math.min(...weights), hi = Math.max(...weights), ctx = canvas.getContext('2d'), image = ctx.createImageData(side, side);
  weights.forEach((w, i) => {
    const v = Math.round(255 * (1 - (hi > lo ? (w - lo) / (hi - lo) : 0.5)));
    image.data.set([v, v, v, 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
}

/** A row of cells, one per activation in [0, 1] (darker: larger), labelled; `picked` outlined;
 * with onPick, each a button that picks it (its name: `${name} i, activation v`). */
export function activationCells(values, labels, picked, { onPick, name = 'neuron' } = {}) {
  return values.map((v, i) => {
    const level = Math.round(255 * (1 - v));
    const cell = el(onPick ? 'button' : 'span', { className: `cell${i === picked ? ' picked' : ''}`, textContent: labels[i] });
    cell.style.background = `rgb(${level}, ${level}, ${level})`;
    cell.style.color = v > 0.5 ? '#fff' : '#1d232b';
    cell.title = `${labels[i]}: ${v.toFixed(3)}`;
    if (onPick) {
      cell.type = 'button';
      cell.setAttribute('aria-label', `${name} ${labels[i]}, activation ${v.toFixed(2)}`);
      cell.addEventListener('click', () => onPick(i));
    }
    return cell;
  });
}
