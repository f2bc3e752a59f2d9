// diagram.js — the network beside the plot, as the book draws it: layers from left to right (the
// input is layer 1), each neuron a circle with its parameters written in it (a step point s, a
// bias b, a value), each connection a line labelled with its weight, blue for a positive weight and
// red for a negative one, thicker as it grows. A figure describes its network from its own state on
// every render; clicking a neuron or a connection that names a control focuses that control (the
// controls themselves are the keyboard's way in). A layer of many neurons shows its first and last
// few with the count of those between. It computes nothing: the labels are the figure's numbers.
// Not here: the step-by-step pictures of backprop.js (their own drawing).

const NS = 'http://www.w3.org/2000/svg';
// the palette's colours (shared/palette.css) by reference: the picture follows the reader's scheme
const INK = 'var(--ink)', MUTED = 'var(--muted)', PLUS = 'var(--blue)', MINUS = 'var(--red)', PAPER = 'var(--panel)';
const PAINT = new Set(['fill', 'stroke']); // set as style, where var() is understood in every engine
const SHOWN = 7; // neurons of a layer drawn at most: the first SHOWN − 3, a gap, the last 2
const BAR = 62; // the longest bar beside a neuron (neuron.bar = 1)

/** An SVG element with attributes (fill and stroke may name palette colours: 'var(--ink)'). */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) (PAINT.has(k) ? node.style.setProperty(k, v) : node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The neurons of a layer that are drawn, by index, with null where the gap goes. */
function drawn(count) {
  if (count <= SHOWN) return Array.from({ length: count }, (_, j) => j);
  return [...Array.from({ length: SHOWN - 3 }, (_, j) => j), null, count - 2, count - 1];
}

/** A label with a halo of the paper's colour, readable over lines. */
const label = (x, y, text, attrs = {}) => svg('text', { x, y, 'text-anchor': 'middle', 'font-size': 12, fill: INK, stroke: PAPER, 'stroke-width': 3, 'paint-order': 'stroke', ...attrs }, text);

const GAP_Y = 50, TOP = 30;

/** The picture's size for spec: its rows (the most neurons a layer draws) and its width. */
function size({ layers }) {
  const rows = Math.max(...layers.map((l) => drawn(typeof l.neurons === 'number' ? l.neurons : l.neurons.length).length));
  return { rows, width: Math.max(300, (layers.length > 3 ? 125 : 150) * layers.length), height: TOP + rows * GAP_Y + 10 };
}

/** Gives root spec's size (the page's layout settles with the figure's render). */
function place(root, spec) {
  const { width, height } = size(spec);
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.style.maxWidth = `${Math.max(480, width)}px`; // a long chain is drawn wider, never smaller
}

/**
 * Draws spec into the svg element root:
 *   layers: [{ title, neurons: [{ label, note, select, highlight, fill, dropped, bar }] }] (or
 *   neurons: a count, unlabelled); dropped: drawn crossed out (dropout); bar: a bar beside the
 *   neuron of that fraction of the longest (chapter 5's ‖δ‖)
 *   edges: [{ from: [layer, j], to: [layer, j], label, weight, select, at }] (at: where along the
 *   line its label sits, 0 at the start, default 0.5); select: called when it is clicked.
 */
function draw(root, spec) {
  const { layers, edges = [] } = spec, { rows, width } = size(spec), gapY = GAP_Y, top = TOP;
  const gapX = (width - 100) / Math.max(1, layers.length - 1);
  root.replaceChildren();
  const places = layers.map((layer, l) => {
    const count = typeof layer.neurons === 'number' ? layer.neurons : layer.neurons.length, shown = drawn(count);
    const first = top + ((rows - shown.length) * gapY) / 2 + gapY / 2;
    const at = new Map();
    shown.forEach((j, row) => at.set(j ?? 'gap', [50 + l * gapX, first + row * gapY]));
    return { count, at };
  });
  const place = ([l, j]) => places[l]?.at.get(j);
  for (const edge of edges) {
    const a = place(edge.from), b = place(edge.to);
    if (!a || !b) continue;
    const w = edge.weight ?? 1, line = svg('line', { x1: a[0] + 19, y1: a[1], x2: b[0] - 19, y2: b[1], stroke: w < 0 ? MINUS : PLUS,
      'stroke-width': Math.min(5, 1 + Math.log1p(Math.abs(w))), opacity: 0.75 });
    root.append(line);
    if (edge.select) clickable(line, edge.select, 8);
    if (edge.label) {
      const t = edge.at ?? 0.5, text = label(a[0] + 19 + t * (b[0] - a[0] - 38), a[1] + t * (b[1] - a[1]) - 4, edge.label, { 'font-size': 11 });
      root.append(text);
      if (edge.select) clickable(text, edge.select);
    }
  }
  layers.forEach((layer, l) => {
    const { count, at } = places[l];
    root.append(svg('text', { x: at.values().next().value[0], y: 14, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }, layer.title ?? `layer ${l + 1}`));
    for (const [j, [x, y]] of at) {
      if (j === 'gap') { root.append(svg('text', { x, y: y + 4, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }, `⋮ ${count - SHOWN + 1} more`)); continue; }
      const neuron = typeof layer.neurons === 'number' ? {} : layer.neurons[j];
      const circle = svg('circle', { cx: x, cy: y, r: 19, fill: neuron.dropped ? 'var(--dropped)' : neuron.fill ?? PAPER, stroke: neuron.highlight ? 'var(--highlight)' : MUTED,
        'stroke-width': neuron.highlight ? 3 : 1.5, 'stroke-dasharray': neuron.dropped ? '3 3' : undefined });
      root.append(circle);
      if (neuron.dropped) root.append(svg('path', { d: `M${x - 9} ${y - 9}L${x + 9} ${y + 9}M${x + 9} ${y - 9}L${x - 9} ${y + 9}`, stroke: MINUS, 'stroke-width': 2, 'pointer-events': 'none' }));
      if (neuron.bar !== undefined) root.append(svg('rect', { x: x + 23, y: y - 6, width: Math.max(1, BAR * Math.min(1, neuron.bar)), height: 12, fill: PLUS, 'pointer-events': 'none' }));
      // the writing lets clicks through to the neuron under it
      if (neuron.label) root.append(svg('text', { x, y: y + 4, 'text-anchor': 'middle', 'font-size': 10, fill: INK, 'pointer-events': 'none' }, neuron.label));
      if (neuron.note) root.append(label(x, y + 31, neuron.note, { 'font-size': 10, 'pointer-events': 'none' }));
      if (neuron.select) clickable(circle, neuron.select);
    }
  });
}

/** Pointer clicks on node call select (the control it names gets the focus). */
function clickable(node, select, widen = 0) {
  node.style.cursor = 'pointer';
  if (widen) node.setAttribute('pointer-events', 'stroke');
  node.addEventListener('click', select);
}

/** A network diagram: { node, update(spec, description) } — the svg and its text alternative.
 * Its size is set at once (the page's layout moves with the figure's render, once); its content is
 * drawn in a task of its own after it (the latest spec given meanwhile): the plots' first paint and
 * the picture's drawing would make one long task together. */
export function networkDiagram(title = 'The network') {
  const root = svg('svg', { class: 'network', role: 'img' });
  const box = document.createElement('figure');
  box.className = 'diagram';
  box.append(root);
  let pending = null;
  return {
    node: box,
    update(spec, description) {
      place(root, spec);
      if (!pending) setTimeout(() => {
        draw(root, pending.spec);
        root.setAttribute('aria-label', `${title}: ${pending.description}`);
        pending = null;
      });
      pending = { spec, description };
    },
  };
}

/** Focuses a control's first input (what a click on the diagram selects). */
export const focusing = (control) => () => (control.node ?? control).querySelector?.('input, button, [tabindex]')?.focus();
