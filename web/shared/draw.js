// draw.js — the drawing pad: strokes from mouse, touch and pen through pointer events, on a
// transparent canvas whose alpha channel is the ink (drawn in the scheme's ink colour, which the
// reading never sees); onChange gets the ink after each change,
// at most once per animation frame; undo takes back the last stroke. The stroke is 1/14 of the pad wide, which scaled into
// MNIST's 20-pixel box gives strokes as thick as MNIST's own. Not a paint program.
import { inkFromRgba } from './preprocess.js';
import { COLORS, onSchemeChange } from './palette.js';

export function createPad(canvas, onChange) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let drawing = null, last = null, pending = false; // drawing: the pointer drawing, { id, type }
  const strokes = []; // every stroke's points, for undo

  const position = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height };
  };
  const changed = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange(ink());
    });
  };
  const stroke = (from, to) => {
    ctx.lineWidth = canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = COLORS.ink;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  // One pointer draws at a time: a second finger, or a palm under a pen, is not a stroke (it would
  // join the two with a line); a mouse or a pen always starts one (one of them pressed again
  // cannot still be drawing: a lift that never came is forgotten); a mouse draws with its main
  // button only.
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    if (drawing && e.pointerType === 'touch' && drawing.type !== 'mouse') return;
    canvas.setPointerCapture(e.pointerId);
    drawing = { id: e.pointerId, type: e.pointerType };
    last = position(e);
    strokes.push([last]);
    stroke(last, last);
    changed();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (e.pointerId !== drawing?.id) return;
    for (const ev of e.getCoalescedEvents?.() ?? [e]) {
      const p = position(ev);
      stroke(last, p);
      strokes.at(-1).push(p);
      last = p;
    }
    changed();
  });
  const end = (e) => { if (e.pointerId === drawing?.id) drawing = null; };
  /** Every stroke drawn again (after an undo, or in the new scheme's ink). */
  const repaint = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const points of strokes) points.forEach((p, i) => stroke(points[Math.max(0, i - 1)], p));
  };
  onSchemeChange(repaint);
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  function ink() {
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return inkFromRgba(data, canvas.width, canvas.height);
  }

  return {
    clear() {
      strokes.length = 0;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      changed();
    },
    /** Takes back the last stroke: the others drawn again. */
    undo() {
      strokes.pop();
      repaint();
      changed();
    },
    ink,
  };
}

/** Paints 784 values in 0..1 (or bytes, with scale 255) as white ink on black. */
export function paintDigit(canvas, values, scale = 1) {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((255 * values[i]) / scale);
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}
