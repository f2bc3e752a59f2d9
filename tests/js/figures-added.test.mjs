// figures-added.test.mjs — the figures added for the book's concepts that had none (issue 25),
// each checked against the book or an independent computation: the NAND adder's every perceptron
// and its sum and carry for all four inputs, toggled by keyboard and by a tap on its picture; the
// window of stable gradients against the book's width formula, none for |w| < 4, σ′ at most 1/4;
// the demon's ΔC against δΔz for every neuron, and ∂C/∂w as the sum over its paths for every weight;
// Occam's polynomial through the ten points against the line; the whole CNN's parameter counts and
// its maps moving with a shifted digit;
// the network that reads digits answering as the shipped model does in Node, each hidden neuron's
// z its weights times the pixels plus its bias.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Dataset, Network } from '../../web/lib/nndl.js';
import { data, figurePages, rendered, state } from './figure-pages.mjs';
import { ROOT } from './helpers.mjs';

const site = figurePages();
const open = site.open;

/** A figure that reads MNIST's first test digits with a shipped network: the network and the
 * digits in Node (to compare with), and the figure's page, which must have fetched just those. */
async function shippedReader(figure, file) {
  const model = await Network.load(readFileSync(join(ROOT, 'data', file)));
  const digits = await Dataset.fromPng(readFileSync(join(ROOT, 'data/mnist/digits.png')), readFileSync(join(ROOT, 'data/mnist/digits-labels.idx')));
  const { page, errors, requests } = await open(`?figure=${figure}`);
  assert.deepEqual(requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/data/')).sort(), [`/data/${file}`, '/data/mnist/digits-labels.idx', '/data/mnist/digits.png']);
  const answer = (n) => { const out = model.feedforward(Float32Array.from(digits.image(n - 1), (v) => v / 255)); return out.indexOf(Math.max(...out)); };
  return { model, digits, page, errors, answer, free: () => { model.free(); digits.free(); } };
}

const nand = (a, b) => (-2 * a - 2 * b + 3 > 0 ? 1 : 0); // the book's perceptron, by hand

describe('the figures added', () => {
  test('the NAND adder: every perceptron a NAND, sum and carry are x₁ + x₂ in binary; toggled by keyboard and by a tap', async () => {
    const { page, errors } = await open('?figure=nand-adder&x=0,0');
    const { rows } = await data(page);
    assert.deepEqual(rows.map((r) => 2 * r.carry + r.sum), rows.map((r) => r.x[0] + r.x[1]), 'the adder adds');
    for (const x of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      await rendered(page, () => page.evaluate((v) => window.nndlFigure.set({ x: v }), x));
      const { value, z } = await data(page);
      const g1 = nand(x[0], x[1]), g2 = nand(x[0], g1), g3 = nand(x[1], g1);
      assert.deepEqual([value.g1, value.g2, value.g3, value.sum, value.carry], [g1, g2, g3, nand(g2, g3), nand(g1, g1)], `inputs ${x}`);
      assert.equal(z.carry, -4 * g1 + 3, 'the carry: one connection of weight −4 and bias 3');
    }
    // x = 1, 1 now: Space on the x₁ button flips it to 0 + 1 = 1
    await page.getByRole('button', { name: 'x₁ = 1' }).focus();
    await rendered(page, () => page.keyboard.press('Space'));
    assert.deepEqual((await state(page)).x, [0, 1]);
    assert.equal(await page.getByRole('button', { name: 'x₁ = 0' }).getAttribute('aria-pressed'), 'false');
    assert.match(await page.locator('.readout').first().textContent(), /^0 \+ 1 = 1: sum bit x₁ ⊕ x₂ = 1, carry bit x₁x₂ = 0/);
    await page.waitForURL(/x=0,1/);
    // a tap on the input neuron x₂ in the picture flips it too
    await rendered(page, () => page.locator('svg.network circle').nth(1).click());
    assert.deepEqual((await state(page)).x, [0, 0]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the demon: ΔC is about δΔz at every neuron (the tangent of the core\'s costs); ∂C/∂w is the sum over its paths for every weight', async () => {
    const { page, errors } = await open('?figure=demon&dz=0.01');
    const neurons = ['2.1', '2.2', '2.3', '3.1', '3.2'];
    for (const at of neurons) {
      await rendered(page, () => page.evaluate((v) => window.nndlFigure.set({ at: v }), at));
      const { delta, change, curve } = await data(page);
      assert.ok(Math.abs(change - delta * 0.01) <= 0.05 * Math.abs(delta * 0.01) + 1e-7, `${at}: ΔC ${change}, δΔz ${delta * 0.01}`);
      // δ against the slope of the core's costs through Δz = 0 (±0.1: the curve's samples 19 and 21)
      const slope = (curve[21] - curve[19]) / 0.2;
      assert.ok(Math.abs(slope - delta) <= 0.01 * Math.abs(delta) + 1e-6, `${at}: δ ${delta}, the costs' slope ${slope}`);
    }
    const weights = await page.evaluate(() => [...document.querySelectorAll('input[type=radio]')].filter((r) => r.value.split('.').length === 3).map((r) => r.value));
    assert.equal(weights.length, 12);
    for (const w of weights) {
      await rendered(page, () => page.evaluate((v) => window.nndlFigure.set({ w: v }), w));
      const { paths } = await data(page);
      assert.equal(paths.products.length, w.startsWith('2.') ? 2 : 1, `${w}: a hidden weight has a path through each output neuron`);
      assert.ok(Math.abs(paths.total - paths.backprop) <= 1e-5 * Math.abs(paths.backprop) + 1e-8, `${w}: paths ${paths.total}, backprop ${paths.backprop}`);
    }
    await page.getByLabel('neuron 1 of layer 3').check();
    await page.waitForFunction(() => window.nndlFigure.state.at === '3.1');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the network that reads digits: the answers of the shipped [784, 30, 10] for MNIST\'s digits, a hidden neuron\'s z = w·x + b, a drawing read', async () => {
    const { model, digits, page, errors, answer, free } = await shippedReader('reads-digits', 'chapter1-784-30-10.nndl');
    let right = 0;
    for (let n = 1; n <= 12; n++) {
      await rendered(page, () => page.evaluate((digit) => window.nndlFigure.set({ digit }), n));
      const d = await data(page);
      assert.equal(d.answer, answer(n), `digit ${n}`);
      right += d.answer === d.label;
    }
    assert.ok(right >= 11, `${right} of 12 read right`);
    // a hidden neuron picked by a click: its z is its 784 weights times the pixels, plus its bias
    await rendered(page, () => page.getByRole('button', { name: /^hidden neuron 5,/ }).click());
    const d = await data(page), p = model.params, w = p.subarray(model.weightsOffset(1) + 784 * 4, model.weightsOffset(1) + 784 * 5);
    const x = digits.image(11);
    const z = w.reduce((s, v, i) => s + v * (x[i] / 255), p[model.biasesOffset(1) + 4]);
    assert.equal(d.neuron, 5);
    assert.ok(Math.abs(d.z - z) < 1e-3 * Math.max(1, Math.abs(z)), `z ${d.z}, by hand ${z}`);
    // a drawing: read by the same network
    await page.getByLabel('your drawing').check();
    const pad = page.locator('canvas.pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.85, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => window.nndlFigure.data()?.label === null && window.nndlFigure.data().answer >= 0);
    assert.deepEqual(errors, []);
    await page.close();
    free();
  });

  test('Occam: the 9th-order polynomial meets all ten points, the line misses them, and the line predicts the new point far better; points moved by keyboard', async () => {
    const { page, errors } = await open('?figure=occam');
    const d = await data(page);
    assert.ok(d.misses.every((m) => m < 1e-9), `the polynomial misses a point by ${Math.max(...d.misses)}`);
    assert.ok(Math.abs(d.a - 2) < 0.1, `the line's slope ${d.a}`);
    assert.ok(Math.abs(d.poly - 11) > 10 * Math.abs(d.line - 11), `at x = 5.5: line ${d.line}, polynomial ${d.poly}, the trend 11`);
    const canvas = page.locator('canvas.plot');
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await rendered(page, () => page.keyboard.press('ArrowUp'));
    const moved = (await state(page)).y;
    assert.equal(moved.length, 10);
    assert.ok(Math.abs(moved[1] - (d.ys[1] + 0.1)) < 0.006, `the second point moved up: ${moved[1]} from ${d.ys[1]}`);
    assert.ok((await data(page)).misses.every((m) => m < 1e-9), 'still through every point');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the whole convolutional network: the book\'s parameter counts by the core, the shipped network\'s answers, maps that move with a shifted digit', async () => {
    const { page, errors, answer, free } = await shippedReader('whole-cnn', 'chapter6-conv3.nndl');
    assert.deepEqual((await data(page)).counts, [78, 520, 23550], 'the book: 20 × 26 = 520 shared, 784 × 30 + 30 = 23,550 fully connected');
    assert.match(await page.locator('.caption', { hasText: 'Parameters of the first layer' }).textContent(), /520; a fully connected first layer of 30 neurons 23,550/);
    for (let n = 1; n <= 8; n++) {
      await rendered(page, () => page.evaluate((digit) => window.nndlFigure.set({ digit }), n));
      assert.equal((await data(page)).answer, answer(n), `digit ${n}`);
    }
    await rendered(page, () => page.evaluate(() => window.nndlFigure.set({ digit: 1, dx: 2, dy: 1 })));
    const d = await data(page);
    assert.ok(d.mapsMoved < 1e-5, `the maps moved with the digit: ${d.mapsMoved}`);
    assert.equal(d.answer, d.was, 'the answer stays');
    await page.getByRole('slider', { name: 'Shift down by (pixels)' }).focus();
    await rendered(page, () => page.keyboard.press('ArrowRight'));
    assert.equal((await state(page)).dy, 2);
    assert.deepEqual(errors, []);
    await page.close();
    free();
  });

  test('the window of stable gradients: σ′ at most 1/4; the window\'s width is the book\'s formula; none for |w| < 4', async () => {
    const book = (w) => (2 / Math.abs(w)) * Math.log((Math.abs(w) * (1 + Math.sqrt(1 - 4 / Math.abs(w)))) / 2 - 1);
    const { page } = await open('?figure=stable-window');
    const d = await data(page);
    assert.equal(d.maxPrime, 0.25, 'σ′(0) = 1/4, from the core');
    assert.ok(Math.abs(d.width - book(6)) <= 0.004, `width ${d.width}, the book's ${book(6)}`);
    assert.ok(Math.abs((d.window[0] + d.window[1]) / 2 - 0.5) <= 0.004, 'centred on −b/w');
    assert.ok(Math.abs(d.peak - 1.5) < 1e-3, '|w|/4 at its peak');
    for (const w of [12, -20]) {
      await rendered(page, () => page.evaluate((v) => window.nndlFigure.set({ w: v, b: 0 }), w));
      const wide = await data(page);
      assert.ok(Math.abs(wide.width - book(w)) <= 0.004, `w = ${w}: width ${wide.width}, the book's ${book(w)}`);
    }
    await page.getByRole('slider', { name: 'Weight w' }).focus();
    await rendered(page, () => page.evaluate(() => window.nndlFigure.set({ w: 3.9 })));
    const none = await data(page);
    assert.equal(none.window, null);
    assert.ok(none.peak < 1);
    assert.match(await page.locator('.readout').first().textContent(), /no window/);
    await page.close();
  });

  test('less motion asked for (prefers-reduced-motion): Play shows where it ends at once, in the convolution and the slowdown', async () => {
    for (const [query, done] of [['?figure=convolution&at=0', (d, st) => st.at === 576], ['?figure=slowdown', (d) => d && d.shown === d.costs[0].length - 1]]) {
      const { page, errors } = await open(query, { init: () => {
        const real = window.matchMedia.bind(window);
        window.matchMedia = (q) => (/prefers-reduced-motion: reduce/.test(q) ? { matches: true, media: q, addEventListener() {}, removeEventListener() {} } : real(q));
      } });
      if (query.includes('slowdown')) await page.waitForFunction(() => window.nndlFigure.data());
      await page.getByRole('button', { name: /^(Play|Run)$/ }).click();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))); // two frames: an animation would have barely begun
      const [d, st] = await Promise.all([data(page), state(page)]);
      assert.ok(done(d, st), `${query}: at its end after one click, no frames between`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
});
