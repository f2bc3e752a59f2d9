// preprocess.js — turns a drawing into the 28 x 28 image a network trained on MNIST expects, the
// way MNIST itself was made (LeCun et al.): the digit is cropped to its bounding box, scaled so
// that its longer side is 20 pixels with the aspect ratio kept, by area averaging (every source
// pixel counts for the area it covers, so thin strokes survive), and placed in a 28 x 28 field
// with its centre of mass at the centre. Ink is 1 on a background of 0.
// Pure functions on arrays, no DOM: Node's tests run them.

export const SIDE = 28;
export const BOX = 20;

/** Ink (0..1) from canvas RGBA pixels: the alpha channel, as strokes are drawn on transparency. */
export function inkFromRgba(rgba, width, height) {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;
  return ink;
}

/** The smallest box holding every pixel with ink above `threshold`, or null for a blank. */
export function boundingBox(ink, width, height, threshold = 0.05) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Resamples one line of `n` values to `m` by area averaging: output i is the mean of the input
 * over [i n/m, (i+1) n/m), partial pixels weighted by how much of them is covered. */
function resampleLine(src, n, m, read, write) {
  const scale = n / m;
  for (let i = 0; i < m; i++) {
    const a = i * scale, b = (i + 1) * scale;
    let sum = 0;
    for (let p = Math.floor(a); p < Math.min(n, Math.ceil(b)); p++) {
      const cover = Math.min(b, p + 1) - Math.max(a, p);
      if (cover > 0) sum += cover * read(src, p);
    }
    write(i, sum / scale);
  }
}

/** Area-average scaling of a w x h image to tw x th, rows first, then columns. */
export function scaleArea(img, w, h, tw, th) {
  const rows = new Float32Array(tw * h);
  for (let y = 0; y < h; y++)
    resampleLine(img, w, tw, (s, p) => s[y * w + p], (i, v) => { rows[y * tw + i] = v; });
  const out = new Float32Array(tw * th);
  for (let x = 0; x < tw; x++)
    resampleLine(rows, h, th, (s, p) => s[p * tw + x], (i, v) => { out[i * tw + x] = v; });
  return out;
}

/** The centre of mass (x, y) of an image, pixel centres at +0.5. */
export function centreOfMass(img, w, h) {
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  return mass > 0 ? { x: mx / mass, y: my / mass } : { x: w / 2, y: h / 2 };
}

/**
 * The MNIST-style 28 x 28 image (784 values in 0..1, row-major) of a drawing given as ink values
 * of a width x height canvas, or null if nothing is drawn.
 */
export function preprocess(ink, width, height) {
  const box = boundingBox(ink, width, height);
  if (!box) return null;
  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++)
    for (let x = 0; x < box.width; x++) crop[y * box.width + x] = ink[(box.y + y) * width + box.x + x];
  const longer = Math.max(box.width, box.height);
  const tw = Math.max(1, Math.round((box.width * BOX) / longer));
  const th = Math.max(1, Math.round((box.height * BOX) / longer));
  const small = scaleArea(crop, box.width, box.height, tw, th);
  const com = centreOfMass(small, tw, th);
  const ox = Math.round(SIDE / 2 - com.x), oy = Math.round(SIDE / 2 - com.y);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const X = x + ox, Y = y + oy;
      if (X >= 0 && X < SIDE && Y >= 0 && Y < SIDE) out[Y * SIDE + X] = Math.min(1, small[y * tw + x]);
    }
  return out;
}
