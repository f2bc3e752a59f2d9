// preprocess.test.mjs — the drawing pad's MNIST-style preprocessing, on synthetic drawings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOX, SIDE, boundingBox, centreOfMass, preprocess, scaleArea } from '../../web/shared/preprocess.js';

const W = 280;

/** A small 0 drawn off-centre near the top right corner: an ellipse ring 40 x 60 px, 6 px thick,
 * heavier on its left side as a pen stroke often is. */
function drawing() {
  const ink = new Float32Array(W * W);
  const cx = 220, cy = 60, rx = 20, ry = 30;
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) {
      const r = Math.hypot((x - cx) / rx, (y - cy) / ry);
      if (r > 0.8 && r <= 1) ink[y * W + x] = x < cx ? 1 : 0.6;
    }
  return ink;
}

test('an off-centre, small digit ends up 20 px tall and centred by mass within a pixel', () => {
  const out = preprocess(drawing(), W, W);
  const box = boundingBox(out, SIDE, SIDE, 0.01);
  assert.equal(Math.max(box.width, box.height), BOX);
  const com = centreOfMass(out, SIDE, SIDE);
  assert.ok(Math.abs(com.x - SIDE / 2) <= 1 && Math.abs(com.y - SIDE / 2) <= 1, `centre of mass ${com.x}, ${com.y}`);
  assert.ok(out.every((v) => v >= 0 && v <= 1));
});

test('area averaging keeps the ink of a thin stroke that one bilinear step would drop', () => {
  // A 1-px vertical line in a 200 x 200 image scaled to 20 x 20: area averaging gives 0.1 per
  // pixel along a column (its share of each 10-px cell); its total ink is conserved.
  const img = new Float32Array(200 * 200);
  for (let y = 0; y < 200; y++) img[y * 200 + 103] = 1;
  const small = scaleArea(img, 200, 200, 20, 20);
  const total = small.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - (200 * 20 * 20) / (200 * 200)) < 1e-4, `ink ${total}`);
  for (let y = 0; y < 20; y++) assert.ok(Math.abs(small[y * 20 + 10] - 0.1) < 1e-6);
});

test('the aspect ratio is kept: a tall thin 1 stays tall and thin', () => {
  const ink = new Float32Array(W * W);
  for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) ink[y * W + x] = 1;
  const out = preprocess(ink, W, W);
  const box = boundingBox(out, SIDE, SIDE, 0.01);
  assert.equal(box.height, 20);
  assert.equal(box.width, 2);
});

test('a blank canvas gives nothing to classify', () => {
  assert.equal(preprocess(new Float32Array(W * W), W, W), null);
});
