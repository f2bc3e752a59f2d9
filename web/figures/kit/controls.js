// controls.js — the figures' controls, made from a setting's schema (shared/url-state.js) so that
// the range, step and label are written once: a slider (a real range input, keyboard and touch
// for free) paired with a number box for exact values, a choice (radio buttons), an on/off
// switch, and buttons. Each calls onChange(value) and can be set from outside (update). Also the
// pace of what a figure says while the reader drags: throttled calls, readouts announced. Not here: what the
// settings mean (the figures) or where they live (shared/url-state.js, frame.js).
import { clampTo, formatNumber } from '../../shared/url-state.js';
import { throttled } from '../../shared/url-writes.js';

let unique = 0;
const id = (name) => `${name}-${++unique}`;

export function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of [].concat(children)) if (child != null) node.append(child);
  return node;
}

/** A range input and a number box for a number setting s; returns { node, update(value) }. */
export function slider(s, value, onChange, { label = s.label, describe } = {}) {
  const name = id('slider');
  const range = el('input', { type: 'range', id: name, min: s.min, max: s.max, step: s.step ?? 'any', value });
  const box = el('input', { type: 'number', min: s.min, max: s.max, step: s.step ?? 'any', value: formatNumber(value), className: 'exact' });
  box.setAttribute('aria-label', `${label}, exact value`);
  const set = (v, from) => {
    const x = clampTo(s, v);
    if (from !== range) range.value = x;
    if (from !== box) box.value = formatNumber(x);
    if (describe) range.setAttribute('aria-valuetext', describe(x));
    return x;
  };
  range.addEventListener('input', () => onChange(set(Number(range.value), range)));
  box.addEventListener('change', () => {
    if (box.value.trim() === '' || !Number.isFinite(Number(box.value))) return void set(Number(range.value));
    onChange(set(Number(box.value)));
  });
  set(value);
  const node = el('div', { className: 'control slider' }, [el('label', { htmlFor: name, textContent: label }), range, box]);
  return { node, update: (v) => set(v) };
}

/** Radio buttons for a choice setting; returns { node, update(value) }. */
export function choice(s, value, onChange, { label = s.label } = {}) {
  const group = id('choice'), inputs = {};
  const options = Object.entries(s.values).map(([key, text]) => {
    const input = el('input', { type: 'radio', name: group, value: key, checked: key === value });
    input.addEventListener('change', () => input.checked && onChange(key));
    inputs[key] = input;
    return el('label', { className: 'option' }, [input, ` ${text}`]);
  });
  const node = el('fieldset', { className: 'control choice' }, [el('legend', { textContent: label }), ...options]);
  return { node, update: (v) => { if (inputs[v]) inputs[v].checked = true; } };
}

/** A checkbox for an on/off setting; returns { node, update(value) }. */
export function toggle(s, value, onChange, { label = s.label } = {}) {
  const input = el('input', { type: 'checkbox', checked: value, id: id('toggle') });
  input.addEventListener('change', () => onChange(input.checked));
  const node = el('div', { className: 'control toggle' }, [input, el('label', { htmlFor: input.id, textContent: ` ${label}` })]);
  return { node, update: (v) => { input.checked = v; } };
}

export function button(text, onClick, { secondary = false } = {}) {
  const b = el('button', { type: 'button', textContent: text, className: secondary ? 'secondary' : '' });
  b.addEventListener('click', onClick);
  return b;
}

/** Whether the reader asked for less motion (prefers-reduced-motion): a figure's Play then shows
 * where it ends at once instead of animating there. */
export const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** How often a screen reader hears a figure's readout at most: an animation rewrites it every
 * frame, and a live region rewritten 60 times a second is a stream of interrupted sentences. */
export const ANNOUNCE_EVERY_MS = 1000;
const liveRegions = new WeakMap(); // a document or a <nndl-figure>'s shadow root -> its live region

/** Whether node has the keyboard's focus (in a shadow root, the document's is its host). */
export const focused = (node) => node.getRootNode().activeElement === node;

/** Announces node's text (politely, through one hidden live region of its page or shadow root,
 * where the figures' styles hide it) whenever it changes, at most once every ANNOUNCE_EVERY_MS:
 * the latest text, so the result is always heard. */
export function announced(node) {
  let said = '';
  const speak = throttled(() => {
    if (!node.isConnected || node.textContent === said) return;
    const root = node.getRootNode();
    if (!liveRegions.has(root)) {
      const live = el('div', { className: 'visually-hidden' });
      live.setAttribute('aria-live', 'polite');
      (root.body ?? root).append(live);
      liveRegions.set(root, live);
    }
    liveRegions.get(root).textContent = said = node.textContent;
  }, ANNOUNCE_EVERY_MS);
  new MutationObserver(speak).observe(node, { childList: true, subtree: true, characterData: true });
  return node;
}

/** Shows notes (malformed settings, failures) under a heading in `box`, an alert; none hides it. */
export function showNotesIn(box, notes, heading) {
  box.replaceChildren(el('p', { textContent: heading }), el('ul', {}, notes.map((n) => el('li', { textContent: n }))));
  box.hidden = notes.length === 0;
}

/** A line of live text (a figure's readout), announced to screen readers (see announced). */
export function readout(className = 'readout') {
  return announced(el('p', { className }));
}

/** A canvas for a Plot with a text alternative kept in its label. */
export function plotCanvas(labelText) {
  const canvas = el('canvas', { className: 'plot' });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', labelText);
  return canvas;
}
