// filters.js — chapter 6's picture of a convolutional layer: each feature map's shared weights
// (its 5 x 5 filter) as a small grey image, darker for a larger weight as in the book's figure,
// on one scale for all maps so that strong and weak filters can be told apart. Draws what
// Network.filters() returns; not a general tensor viewer (a first layer reads one input map).

/** Shows `filters` ({ maps, inputs, rows, cols, weights } or null) in `list`, one canvas per map. */
export function showFilters(list, filters) {
  if (!filters) {
    list.replaceChildren();
    return;
  }
  const { maps, inputs, rows, cols, weights } = filters;
  let lo = Infinity, hi = -Infinity;
  for (const w of weights) {
    lo = Math.min(lo, w);
    hi = Math.max(hi, w);
  }
  const span = hi > lo ? hi - lo : 1, per = inputs * rows * cols;
  const items = [];
  for (let f = 0; f < maps; f++) {
    const canvas = list.children[f]?.querySelector('canvas') ?? document.createElement('canvas');
    canvas.width = cols;
    canvas.height = rows;
    const ctx = canvas.getContext('2d'), image = ctx.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) { // the first input map's weights
      const v = Math.round(255 * (1 - (weights[f * per + i] - lo) / span));
      image.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(image, 0, 0);
    canvas.setAttribute('aria-label', `feature map ${f + 1}`);
    const item = list.children[f] ?? document.createElement('li');
    if (!item.contains(canvas)) item.replaceChildren(canvas, String(f + 1));
    items.push(item);
  }
  list.replaceChildren(...items);
}
