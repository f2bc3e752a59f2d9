// figures-mnist.test.mjs — the figures of issue 25 that train on MNIST in a Worker, each run
// short (settings in the link) and checked against the book and against the same training done
// apart, in Node: chapter 5's speeds of learning (δ at the start by backpropagation against the
// core's recorded speeds, the book's numbers within a factor, deeper layers faster); chapter 3's
// choice of η (the book's three behaviours; early stopping and halving where the rule says, from
// the runs' own accuracies); L2 against L1 (the weights' spread, zeros and largest as the book
// argues); dropout (the deleted neurons' weights untouched, the masks and steps the core's, the
// gap to the training accuracy narrower). Nothing is downloaded before Run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Dataset, Network, Schedule } from '../../web/lib/nndl.js';
import { changed, examples, LAYERS, STEPS } from '../../web/figures/dropout.js';
import { BOOK } from '../../web/figures/layer-speeds.js';
import { LAMBDAS, weightStats } from '../../web/figures/l1-l2.js';
import { data, figurePages, rendered, state } from './figure-pages.mjs';
import { ROOT } from './helpers.mjs';

const site = figurePages();
const open = site.open;
const mnist = (name) => Dataset.fromPng(readFileSync(join(ROOT, `data/mnist/${name}.png`)), readFileSync(join(ROOT, `data/mnist/${name}-labels.idx`)));
const paths = (requests) => requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/data/')).sort();
const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const close = (a, b, rel = 1e-5) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-12);

/** Opens a figure, checks that it downloads nothing until Run, runs it to the end. */
async function ran(query, runName = 'Run') {
  const { page, errors, requests } = await open(query);
  assert.deepEqual(paths(requests), [], 'nothing downloaded before Run');
  await page.getByRole('button', { name: runName, exact: true }).click();
  await page.waitForFunction(() => window.nndlFigure.data().status === 'done', null, { timeout: 600_000 });
  return { page, errors, requests, result: await data(page) };
}

describe('the figures that train on MNIST (issue 25)', () => {
  test('layer speeds: δ at the start is the core\'s backpropagation and its first recorded speed; near the book\'s numbers; the first layer far slower with four', async () => {
    const { page, errors, requests, result: { initial, curves } } = await ran('?figure=layer-speeds&epochs=20');
    assert.deepEqual(paths(requests), ['/data/mnist/train-1000-labels.idx', '/data/mnist/train-1000.png']);
    const training = await mnist('train-1000');
    for (const [k, depth] of [2, 3, 4].entries()) {
      const net = await Network.create([784, ...Array(depth).fill(30), 10], { cost: 'cross-entropy', init: 'scaled', seed: 1 });
      const nabla = net.gradient(training, 1000).nabla;
      const norms = initial[k].map(norm);
      initial[k].forEach((deltas, h) => deltas.forEach((d, j) => assert.ok(close(d, nabla[net.biasesOffset(h + 1) + j] / 1000, 1e-6), `depth ${depth}, layer ${h + 1}, neuron ${j}`)));
      norms.forEach((n, h) => {
        assert.ok(close(n, curves[k][0][h], 1e-4), `the core's speed before the first step is ‖δ‖: ${n} against ${curves[k][0][h]}`);
        const book = Number(BOOK[depth][h]);
        assert.ok(n > book / 3 && n < book * 3, `depth ${depth}, layer ${h + 1}: ${n}, the book ${book}`);
        if (h) assert.ok(n > 1.5 * norms[h - 1], `a later layer learns faster: ${norms}`);
      });
      let speeds;
      for (let e = 0; e < 20; e++) {
        net.trainEpoch(training, { mini_batch_size: 1000, eta: 0.1, lmbda: 5 });
        speeds = net.learningSpeeds().speeds.slice(1, -1); // each epoch's own, as the Worker reads them
      }
      speeds.forEach((s, h) => assert.ok(close(s, curves[k][19][h], 1e-5), `epoch 20, depth ${depth}: the Worker's core and Node's agree`));
      net.free();
    }
    assert.ok(curves[2].every((s) => s[3] / s[0] > 20), 'with four hidden layers the first is over 20 times slower than the last, every epoch');
    console.log(`# layer speeds at the start: ${initial.map((layers) => layers.map((l) => norm(l).toPrecision(2)).join('/')).join(', ')} (book ${Object.values(BOOK).map((b) => b.join('/')).join(', ')})`);
    // the picture follows the depth chosen, by keyboard
    await page.getByRole('radio', { name: 'four' }).focus();
    await rendered(page, () => page.getByRole('radio', { name: 'four' }).check());
    assert.equal(await page.locator('table.run-table tr').count(), 5);
    await page.waitForFunction(() => document.querySelectorAll('svg.network rect').length === 4 * 6); // a bar beside each hidden neuron drawn
    training.free();
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('choosing η: too small falls slowly, too large oscillates; early stopping and halving act where no-improvement-in-n says', async () => {
    const patience = 2;
    const { page, errors, requests, result: { records } } = await ran(`?figure=hyper-parameters&training=2000&epochs=10&upto=24&patience=${patience}`);
    assert.deepEqual(paths(requests), ['/data/mnist/train-labels.idx', '/data/mnist/train.png']);
    const [small, right, large, early, halving] = records;
    assert.ok(small.every((e, i) => !i || e.cost < small[i - 1].cost), 'η = 0.025: the cost falls every epoch');
    assert.ok(large.some((e, i) => i && e.cost > large[i - 1].cost), 'η = 2.5: the cost goes up and down');
    assert.ok(right.at(-1).cost < small.at(-1).cost && right.at(-1).cost < large.at(-1).cost, 'η = 0.25 ends lowest');
    // the schedules start as the η = 0.25 run, bit for bit, until they act
    for (const run of [early, halving]) {
      const acted = run.findIndex((e) => e.action !== 'continue');
      for (let i = 0; i < Math.min(acted === -1 ? run.length : acted + 1, right.length); i++) assert.deepEqual([run[i].cost, run[i].accuracy], [right[i].cost, right[i].accuracy]);
    }
    // the rules, from the runs' own validation accuracies
    const firstStall = (run) => {
      let best = -1, since = 0;
      for (const e of run) {
        if (e.accuracy > best) { best = e.accuracy; since = 0; } else if (++since >= patience) return e.epoch;
      }
      return null;
    };
    const stop = firstStall(early);
    assert.equal(early.at(-1).epoch, stop ?? 24, 'early stopping ends at the first no-improvement-in-n');
    assert.equal(early.at(-1).action, stop ? 'stop' : 'continue');
    const halvedAt = halving.filter((e) => e.action === 'halved').map((e) => e.epoch);
    assert.equal(halvedAt[0], firstStall(halving) ?? undefined);
    halving.forEach((e) => assert.equal(e.eta, 0.25 / 2 ** halvedAt.filter((h) => h < e.epoch).length, `η at epoch ${e.epoch}`));
    // the first epoch of η = 0.25, trained apart in Node
    const all = await mnist('train'), training = all.slice(0, 2000);
    const net = await Network.create([784, 30, 10], { cost: 'cross-entropy', init: 'scaled', seed: 1 });
    net.trainEpoch(training, { mini_batch_size: 10, eta: 0.25, lmbda: 5 });
    assert.ok(close(net.totalCost(training, { lmbda: 5 }), right[0].cost, 1e-6));
    const schedule = await Schedule.create('early-stop', { patience, eta: 0.25 });
    assert.equal(schedule.update(right[0].accuracy), 'continue');
    for (const x of [net, training, all, schedule]) x.free();
    console.log(`# choosing η (2,000 images): costs after 10 epochs ${[small, right, large].map((r) => r.at(-1).cost.toFixed(3)).join(', ')}; early stopping at epoch ${early.at(-1).epoch}; η halved after ${halvedAt.join(', ')}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('L2 against L1: L2 narrows every weight, L1 puts most near zero and keeps the largest; the numbers those of the same training in Node', async () => {
    const { page, errors, result: { stats, points } } = await ran('?figure=l1-l2&epochs=10');
    const [none, ...regularised] = stats, l2 = regularised.filter((_, i) => i % 2 === 0), l1 = regularised.filter((_, i) => i % 2 === 1);
    l2.forEach((s, i) => assert.ok(s.rms < (i ? l2[i - 1].rms : none.rms), `L2 λ = ${LAMBDAS[i]}: the spread shrinks as λ grows`));
    l1.forEach((s, i) => {
      assert.ok(s.nearZero > (i ? l1[i - 1].nearZero : none.nearZero), `L1 λ = ${LAMBDAS[i]}: more weights near zero as λ grows`);
      assert.ok(s.nearZero > 2 * l2[i].nearZero, `L1 puts more near zero than L2 at λ = ${LAMBDAS[i]}`);
      assert.ok(s.largest > l2[i].largest, `L1 keeps larger weights than L2 at λ = ${LAMBDAS[i]}`);
    });
    assert.ok(l1.at(-1).nearZero > 0.4, `most weights near zero with L1 λ = 5: ${l1.at(-1).nearZero}`);
    assert.equal(points.length, 1, 'the four measures once, at the end');
    // L1 with λ = 1 trained apart in Node: the same weights
    const training = await mnist('train-1000');
    const net = await Network.create([784, 30, 10], { cost: 'cross-entropy', seed: 2 });
    for (let e = 0; e < 10; e++) net.trainEpoch(training, { mini_batch_size: 10, eta: 0.5, l1: 1 });
    const w = [1, 2].flatMap((l) => Array.from(net.params.subarray(net.weightsOffset(l), net.biasesOffset(l))));
    assert.deepEqual(weightStats(w), stats[1 + 2 * LAMBDAS.indexOf('1') + 1]);
    net.free();
    training.free();
    console.log(`# L2 against L1 after 10 epochs: near zero ${l1.map((s) => (100 * s.nearZero).toFixed(0)).join('/')}% (L1) against ${l2.map((s) => (100 * s.nearZero).toFixed(0)).join('/')}% (L2); spread ${none.rms.toFixed(3)} → ${l2.map((s) => s.rms.toFixed(3)).join('/')} (L2)`);
    // the λ shown, by keyboard: the table follows
    await page.getByRole('radio', { name: 'λ = 5' }).focus();
    await rendered(page, () => page.keyboard.press('ArrowRight'));
    assert.equal((await state(page)).lmbda, '0.5');
    assert.match(await page.locator('table.run-table').textContent(), /L1, λ = 0\.5/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('dropout: each step deletes hidden neurons by the core\'s masks and changes none of their weights; Node steps the same; on MNIST the gap narrows', async () => {
    const { page, errors, requests } = await open('?figure=dropout&step=1&epochs=30');
    const { record } = await data(page);
    // Node: the same network, examples and steps
    const net = await Network.create(LAYERS, { cost: 'cross-entropy', init: 'scaled', seed: 1 });
    const { xs, labels } = examples(1);
    assert.deepEqual(Array.from(net.params), record.params[0]);
    let kept = 0, hidden = 0;
    for (let k = 0; k < STEPS; k++) {
      const i = k % labels.length, { masks } = net.step(xs.slice(2 * i, 2 * i + 2), [labels[i]], { eta: 1, dropout: 0.5 }, labels.length);
      assert.deepEqual(masks.map((m) => m && Array.from(m)), record.masks[k], `the masks of step ${k + 1}`);
      assert.deepEqual(Array.from(net.params), record.params[k + 1], `the parameters after step ${k + 1}`);
      const off = (l, j) => masks[l]?.[j] === 0;
      for (const { layer, row, col } of changed(record.params[k], record.params[k + 1], record.offsets))
        assert.ok(!off(layer, row) && (col === null || layer === 1 || !off(layer - 1, col)), `step ${k + 1} changed a deleted neuron's weight`);
      kept += masks[1].reduce((s, v) => s + v, 0) + masks[2].reduce((s, v) => s + v, 0);
      hidden += 12;
    }
    net.free();
    assert.ok(Math.abs(kept / hidden - 0.5) < 0.07, `kept ${kept} of ${hidden}`);
    // stepping by keyboard and by the button: the picture crosses out the step's deleted neurons
    await page.getByRole('slider', { name: 'Mini-batch' }).focus();
    await rendered(page, () => page.keyboard.press('ArrowRight'));
    await rendered(page, () => page.getByRole('button', { name: 'Next mini-batch' }).click());
    assert.equal((await state(page)).step, 3);
    await page.waitForFunction((n) => document.querySelectorAll('svg.network circle[stroke-dasharray]').length === n, record.masks[2].slice(1, 3).flat().filter((m) => m === 0).length);
    assert.match(await page.locator('.readout').first().textContent(), /^Mini-batch 3 .* none of them a deleted neuron’s/);
    // on MNIST: dropout narrows the gap between training and test accuracy
    await page.getByRole('button', { name: 'Run on MNIST' }).click();
    // Pause holds the training (no point comes while paused), Resume goes on to the end
    // (pressed in the page the moment the third point is in: the run's 30 epochs take seconds, and
    // a click from here after a poll could come after the last)
    await page.waitForFunction(() => {
      if (window.nndlFigure.data().points.length < 3) return false;
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Pause').click();
      return true;
    }, null, { timeout: 600_000, polling: 10 });
    await page.waitForFunction(() => window.nndlFigure.data().status === 'paused');
    const held = (await data(page)).points.length;
    await page.waitForTimeout(300);
    assert.ok((await data(page)).points.length <= held + 1, 'at most the epoch in flight after Pause');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(() => window.nndlFigure.data().status === 'done', null, { timeout: 600_000 });
    const last = (await data(page)).points.at(-1).runs, gap = (r) => r.trainingAccuracy - r.accuracy;
    assert.ok(gap(last[1]) < gap(last[0]), `gap ${gap(last[1])} with dropout, ${gap(last[0])} without`);
    assert.deepEqual(paths(requests), ['/data/mnist/test-labels.idx', '/data/mnist/test.png', '/data/mnist/train-1000-labels.idx', '/data/mnist/train-1000.png']);
    console.log(`# dropout after 30 epochs: test ${(100 * last[0].accuracy).toFixed(2)}% → ${(100 * last[1].accuracy).toFixed(2)}%, gap ${(100 * gap(last[0])).toFixed(2)} → ${(100 * gap(last[1])).toFixed(2)} points`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
