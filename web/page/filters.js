// filters.js — chapter 6's picture of a convolutional layer: each feature map's shared weights
// (its 5 x 5 filter) as a small grey tile, darker for a larger weight as in the book's figure,
// on one scale for all maps so that strong and weak filters can be told apart. All tiles go into
// one canvas, scaled up by CSS: one context and one upload however many maps there are. Draws
// what Network.filters() returns; not a general tensor viewer (a first layer reads one input map).

const PER_ROW = 5; // tiles per row, as the book lays out its 20 maps

/** Shows `filters` ({ maps, inputs, rows, cols, weights } or null) on `canvas`. */
export function showFilters(canvas, filters) {
  if (!filters) {
    canvas.width = canvas.height = 0;
    canvas.hidden = true;
    return;
  }
  const { maps, inputs, rows, cols, weights } = filters;
  let lo = Infinity, hi = -Infinity;
  for (const w of weights) {
    lo = Math.min(lo, w);
    hi = Math.max(hi, w);
  }
  const span = hi > lo ? hi - lo : 1, per = inputs * rows * cols;
  const across = Math.min(PER_ROW, maps), down = Math.ceil(maps / PER_ROW);
  canvas.hidden = false;
  canvas.width = across * (cols + 1) - 1;
  canvas.height = down * (rows + 1) - 1;
  const ctx = canvas.getContext('2d'), image = ctx.createImageData(canvas.width, canvas.height);
  // the gaps between the tiles stay transparent: the panel's colour, light or dark
  for (let f = 0; f < maps; f++) {
    const x0 = (f % PER_ROW) * (cols + 1), y0 = Math.floor(f / PER_ROW) * (rows + 1);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) { // the first input map's weights
        const v = Math.round(255 * (1 - (weights[f * per + i * cols + j] - lo) / span));
        image.data.set([v, v, v, 255], 4 * ((y0 + i) * canvas.width + x0 + j));
      }
  }
  ctx.putImageData(image, 0, 0);
  canvas.setAttribute('aria-label', `${maps} feature maps of ${rows} by ${cols} weights, ${PER_ROW} to a row, darker for larger weights`);
}
