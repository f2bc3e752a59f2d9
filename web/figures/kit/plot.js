// plot.js — the figures' small canvas plotter: axes with ticks and labels, lines, steps, bars,
// shaded areas, markers and heat maps, drawn sharp at any device pixel ratio and redrawn when the
// canvas changes size. Coordinates are data coordinates; x() and y() map them to CSS pixels and
// invert() maps a pointer back. Colours are the palette's names ('accent', 'goal', 'orange': shared/
// palette.css) or any CSS colour, resolved at each draw, and every plot redraws when the reader's
// scheme turns light or dark. It computes nothing a network computes: the figures hand it the
// core's numbers. Not here: controls (controls.js), charts of many series (the main page's uPlot).

import { sup } from './notation.js';
import { COLORS, color as tone, onSchemeChange } from '../../shared/palette.js';

export { COLORS };
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const live = new Set(); // the plots on the page, redrawn in the reader's new scheme
onSchemeChange(() => live.forEach((plot) => plot.redraw()));

/** Round tick values between lo and hi, about `count` of them. */
export function ticks(lo, hi, count = 5) {
  const span = hi - lo, raw = span / count, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.abs(v) < 1e-12 * span ? 0 : v);
  return out;
}

const label = (v) => String(Number(v.toPrecision(4)));

export class Plot {
  /** A plot on `canvas` of the ranges x: [lo, hi], y: [lo, hi]; `draw(plot)` paints it and is
   * called again whenever the canvas is resized. xTicks: where x's ticks go (categories), if not
   * round numbers; yTicks and yFormat likewise for y (a log scale: plot log₁₀ values, tick the
   * whole powers, format them as 10ᵏ). */
  constructor(canvas, { x = [0, 1], y = [0, 1], xLabel = 'x', yLabel = '', aspect = 0.6, xTicks = null, yTicks = null, yFormat = label, draw }) {
    Object.assign(this, { canvas, xRange: x, yRange: y, xLabel, yLabel, aspect, xTicks, yTicks, yFormat, drawFn: draw });
    this.ctx = canvas.getContext('2d');
    this.margin = { left: 44, right: 12, top: 10, bottom: 34 };
    // redrawn in the next frame, when the width changed: a resize inside the observer's callback
    // is the "ResizeObserver loop" error WebKit reports
    this.observer = new ResizeObserver(() => requestAnimationFrame(() => {
      if (Math.round(this.canvas.clientWidth) !== this.width) this.redraw();
    }));
    this.observer.observe(canvas);
    live.add(this);
  }

  /** Sizes the backing store to the canvas's CSS width at this device's pixel ratio. */
  #fit() {
    const width = Math.max(120, Math.round(this.canvas.clientWidth || this.canvas.parentElement?.clientWidth || 320));
    const height = Math.round(width * this.aspect), ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.height = `${height}px`;
    }
    this.width = width;
    this.height = height;
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  get left() { return this.margin.left; }
  get right() { return this.width - this.margin.right; }
  get top() { return this.margin.top; }
  get bottom() { return this.height - this.margin.bottom; }
  x(v) { return this.left + ((v - this.xRange[0]) / (this.xRange[1] - this.xRange[0])) * (this.right - this.left); }
  y(v) { return this.bottom - ((v - this.yRange[0]) / (this.yRange[1] - this.yRange[0])) * (this.bottom - this.top); }
  /** Data coordinates of a point in CSS pixels relative to the canvas. */
  invert(px, py) {
    return {
      x: this.xRange[0] + ((px - this.left) / (this.right - this.left)) * (this.xRange[1] - this.xRange[0]),
      y: this.yRange[0] + ((this.bottom - py) / (this.bottom - this.top)) * (this.yRange[1] - this.yRange[0]),
    };
  }

  /** The x values of one sample per CSS pixel column across the plot (what a curve needs). */
  samples() {
    this.#fit();
    const n = Math.max(2, Math.round(this.right - this.left) + 1);
    return Array.from({ length: n }, (_, i) => this.xRange[0] + (i / (n - 1)) * (this.xRange[1] - this.xRange[0]));
  }

  redraw() {
    if (!this.canvas.isConnected) return void live.delete(this);
    this.#fit();
    this.ctx.clearRect(0, 0, this.width, this.height);
    this.drawFn?.(this);
  }

  axes() {
    const c = this.ctx;
    c.font = FONT;
    c.lineWidth = 1;
    for (const v of this.yTicks?.(...this.yRange) ?? ticks(...this.yRange)) {
      c.strokeStyle = v === 0 ? COLORS.faint : COLORS.grid;
      c.beginPath(); c.moveTo(this.left, Math.round(this.y(v)) + 0.5); c.lineTo(this.right, Math.round(this.y(v)) + 0.5); c.stroke();
      c.fillStyle = COLORS.muted; c.textAlign = 'right'; c.textBaseline = 'middle';
      c.fillText(this.yFormat(v), this.left - 5, this.y(v));
    }
    for (const v of this.xTicks ?? ticks(...this.xRange, Math.max(2, Math.floor((this.right - this.left) / 60)))) {
      c.strokeStyle = COLORS.grid;
      c.beginPath(); c.moveTo(Math.round(this.x(v)) + 0.5, this.top); c.lineTo(Math.round(this.x(v)) + 0.5, this.bottom); c.stroke();
      c.fillStyle = COLORS.muted; c.textBaseline = 'top';
      c.textAlign = this.x(v) > this.width - 16 ? 'right' : 'center'; // the last label inside the canvas
      c.fillText(label(v), Math.min(this.x(v), this.width - 1), this.bottom + 4);
    }
    c.strokeStyle = COLORS.ink;
    c.strokeRect(this.left + 0.5, this.top + 0.5, this.right - this.left, this.bottom - this.top);
    c.fillStyle = COLORS.ink; c.textAlign = 'center'; c.textBaseline = 'bottom';
    c.fillText(this.xLabel, (this.left + this.right) / 2, this.height - 1);
    if (this.yLabel) {
      c.save(); c.translate(11, (this.top + this.bottom) / 2); c.rotate(-Math.PI / 2); c.textBaseline = 'middle';
      c.fillText(this.yLabel, 0, 0); c.restore();
    }
  }

  /** Clips drawing to the plot area while fn runs. */
  clipped(fn) {
    const c = this.ctx;
    c.save();
    c.beginPath(); c.rect(this.left, this.top, this.right - this.left, this.bottom - this.top); c.clip();
    try { fn(c); } finally { c.restore(); }
  }

  /** A curve through (xs[i], ys[i]). */
  line(xs, ys, { color = 'accent', width = 2, dash = [], alpha = 1 } = {}) {
    this.clipped((c) => {
      c.strokeStyle = tone(color); c.lineWidth = width; c.setLineDash(dash); c.globalAlpha = alpha; c.lineJoin = 'round';
      c.beginPath();
      xs.forEach((x, i) => (i ? c.lineTo(this.x(x), this.y(ys[i])) : c.moveTo(this.x(x), this.y(ys[i]))));
      c.stroke();
    });
  }

  /** The area between ys and zs (or the zero line). */
  band(xs, ys, zs, { color = 'goal', alpha = 0.15 } = {}) {
    this.clipped((c) => {
      c.fillStyle = tone(color); c.globalAlpha = alpha;
      c.beginPath();
      xs.forEach((x, i) => (i ? c.lineTo(this.x(x), this.y(ys[i])) : c.moveTo(this.x(x), this.y(ys[i]))));
      for (let i = xs.length - 1; i >= 0; i--) c.lineTo(this.x(xs[i]), this.y(zs ? zs[i] : 0));
      c.fill();
    });
  }

  /** A vertical line at x with a label at the top. */
  vline(x, { color = 'muted', dash = [4, 3], text } = {}) {
    this.clipped((c) => {
      c.strokeStyle = tone(color); c.setLineDash(dash); c.lineWidth = 1;
      c.beginPath(); c.moveTo(Math.round(this.x(x)) + 0.5, this.top); c.lineTo(Math.round(this.x(x)) + 0.5, this.bottom); c.stroke();
      if (text) {
        c.setLineDash([]); c.font = FONT; c.fillStyle = COLORS.ink;
        c.textAlign = this.x(x) > (this.left + this.right) / 2 ? 'right' : 'left'; c.textBaseline = 'top';
        c.fillText(text, this.x(x) + (c.textAlign === 'right' ? -4 : 4), this.top + 0.45 * (this.bottom - this.top));
      }
    });
  }

  /** A filled circle at (x, y); `ring` draws it hollow, larger (a focused handle). */
  point(x, y, { color = 'accent', radius = 5, ring = false } = {}) {
    const c = this.ctx;
    c.beginPath(); c.arc(this.x(x), this.y(y), radius, 0, 2 * Math.PI);
    if (ring) { c.strokeStyle = tone(color); c.lineWidth = 2; c.stroke(); } else { c.fillStyle = tone(color); c.fill(); }
  }

  /** A legend of [text, color, dash] entries, top left inside the plot. */
  legend(entries) {
    const c = this.ctx;
    c.font = FONT; c.textBaseline = 'middle'; c.textAlign = 'left';
    let y = this.top + 12;
    for (const [text, color, dash = []] of entries) {
      c.globalAlpha = 0.85; c.fillStyle = COLORS.panel; c.fillRect(this.left + 6, y - 8, c.measureText(text).width + 34, 16); c.globalAlpha = 1;
      c.strokeStyle = tone(color); c.lineWidth = 2; c.setLineDash(dash);
      c.beginPath(); c.moveTo(this.left + 10, y); c.lineTo(this.left + 30, y); c.stroke(); c.setLineDash([]);
      c.fillStyle = COLORS.ink; c.fillText(text, this.left + 36, y);
      y += 17;
    }
  }

  /** A heat map of values (ny rows of nx, row 0 at the bottom) over the plot area, by color(v). */
  heat(values, nx, ny, color) {
    const image = new ImageData(nx, ny), data = image.data;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const rgb = color(values[j * nx + i]), at = ((ny - 1 - j) * nx + i) * 4;
        data[at] = rgb[0]; data[at + 1] = rgb[1]; data[at + 2] = rgb[2]; data[at + 3] = 255;
      }
    const tile = new OffscreenCanvas(nx, ny);
    tile.getContext('2d').putImageData(image, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(tile, this.left, this.top, this.right - this.left, this.bottom - this.top);
  }
}

/** A log scale's ticks: the whole powers of ten between lo and hi (log₁₀ values), written 10ᵏ. */
export const powerTicks = (lo, hi) => Array.from({ length: Math.floor(hi) - Math.ceil(lo) + 1 }, (_, i) => Math.ceil(lo) + i);
export const power = (k) => `10${k < 0 ? '⁻' : ''}${sup(Math.abs(k))}`;

/** A diverging blue–white–red scale for values in [-limit, limit], as [r, g, b]. */
export function diverging(limit) {
  return (v) => {
    const t = Math.max(-1, Math.min(1, v / limit));
    const mix = (a, b, k) => Math.round(a + (b - a) * k);
    return t >= 0 ? [mix(255, 178, t), mix(255, 24, t), mix(255, 43, t)] : [mix(255, 33, -t), mix(255, 102, -t), mix(255, 172, -t)];
  };
}

/** A sequential scale (viridis's anchors) for values from lo to hi, as [r, g, b]. A value that
 * is no number (a network's NaN), or a scale with nothing between its ends, is an error that
 * says so, not a colour. */
export function sequential(lo, hi) {
  const anchors = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  if (!(hi > lo)) throw new Error(`a colour scale from ${lo} to ${hi} is empty`);
  return (v) => {
    if (Number.isNaN(v) || v === undefined) throw new Error(`a colour scale from ${lo} to ${hi} was given ${v}`);
    const t = Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (anchors.length - 1), i = Math.min(anchors.length - 2, Math.floor(t)), k = t - i;
    return anchors[i].map((a, c) => Math.round(a + (anchors[i + 1][c] - a) * k));
  };
}
