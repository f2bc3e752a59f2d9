// params.test.mjs — the page's URL state: presets, validation with notes, round trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PANELS, PRESETS, SETTINGS, checkSetting, formatSetting, layerShapes, parseParams, presetConfig, toSearch } from '../../web/params.js';

test('no parameters give the chapter 1 preset, every panel, no notes', () => {
  const s = parseParams('');
  assert.equal(s.preset, 'ch1');
  assert.deepEqual(s.config, {
    sizes: [784, 30, 10], layers: '', cost: 'auto', hidden: 'sigmoid', init: 'auto', eta: 3, batch: 10, epochs: 30, seed: 2,
    lambda: 0, l1: 0, mu: 0, dropout: 0, expand: 0, rotate: 0, shift: 0, schedule: 'none', patience: 10,
  });
  assert.deepEqual(s.panels, PANELS);
  assert.deepEqual(s.notes, []);
  assert.equal(toSearch(s), '');
});

test('an embed link picks its panels and settings, and round-trips', () => {
  const s = parseParams('?embed=1&panels=curves,draw&preset=ch1&eta=0.5&sizes=784,100,10&seed=7');
  assert.equal(s.embed, true);
  assert.deepEqual(s.panels, ['curves', 'draw']);
  assert.deepEqual(s.config.sizes, [784, 100, 10]);
  assert.equal(s.config.eta, 0.5);
  assert.deepEqual(s.notes, []);
  assert.deepEqual(parseParams(toSearch(s)), s);
});

test('malformed values fall back to defaults with a note, never throw', () => {
  const s = parseParams('?eta=fast&sizes=784,abc,10&batch=0&epochs=1e9&seed=-3&preset=<script>&panels=curves,evil&embed=yes');
  assert.deepEqual(s.config, presetConfig('ch1'));
  assert.equal(s.preset, 'ch1');
  assert.deepEqual(s.panels, ['curves']);
  assert.equal(s.notes.length, 8, s.notes.join('\n'));
  assert.match(s.notes.join('\n'), /eta must be a number above 0, not "fast"; using 3/);
  assert.match(s.notes.join('\n'), /preset "<script>" is not one of/);
});

test('absurd sizes are refused; eta 1e30 is allowed (to show divergence)', () => {
  assert.match(checkSetting('sizes', '784,100000,10').error, /1 to 2000/);
  assert.match(checkSetting('sizes', '100,10').error, /784 inputs/);
  assert.equal(checkSetting('eta', '1e30').value, 1e30);
  assert.match(checkSetting('eta', 'Infinity').error, /above 0/);
  assert.match(checkSetting('eta', '1e999').error, /above 0/);
});

test('every preset is valid and round-trips through a link', () => {
  for (const name of Object.keys(PRESETS)) {
    const config = presetConfig(name);
    for (const key of SETTINGS) assert.ok(!checkSetting(key, formatSetting(key, config[key])).error, `${name}.${key}`);
    assert.deepEqual(parseParams(toSearch({ preset: name, config, embed: false, panels: PANELS })).config, config);
  }
});

test('chapter 3 settings are validated like the others', () => {
  const s = parseParams('?preset=ch3-l2&cost=hinge&mu=1.5&dropout=0.5&schedule=halve&patience=0');
  assert.equal(s.config.cost, 'cross-entropy');
  assert.equal(s.config.mu, 0);
  assert.equal(s.config.dropout, 0.5);
  assert.equal(s.config.schedule, 'halve');
  assert.equal(s.config.patience, 10);
  assert.equal(s.notes.length, 3, s.notes.join('\n'));
  assert.match(s.notes[0], /cost must be one of auto, quadratic, cross-entropy, log-likelihood/);
});

test('chapter 6 layer strings: shapes as network3.py has them, impossible ones refused with the reason', () => {
  const shapes = layerShapes('conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10');
  assert.deepEqual(shapes.map((l) => [l.kind, l.maps, l.rows, l.cols]),
    [['conv', 20, 24, 24], ['pool', 20, 12, 12], ['conv', 40, 8, 8], ['pool', 40, 4, 4], ['full', 100, 1, 1], ['full', 10, 1, 1]]);
  assert.equal(layerShapes('conv6x3:tanh-pool3x2-relu30-fc10:sigmoid')[1].cols, 13);
  const bad = {
    'conv20x5x5-pool2-fc100': /output layer of 10/,
    'fc30-pool2-softmax10': /come before fully connected ones/,
    'conv20x29-softmax10': /29 x 29 block does not fit its input of 28 x 28/,
    'conv20x5x5-pool2-conv40x13-softmax10': /13 x 13 block does not fit its input of 12 x 12/,
    'conv200x5-softmax10': /1 to 100 feature maps/,
    'pool2:relu-softmax10': /cannot name an activation/,
    'softmax30-fc10': /softmax is for the output layer only/,
    'conv20x5x5-<img>-softmax10': /is not convFxRxC/,
    'fc5000-softmax10': /1 to 2000 neurons/,
  };
  for (const [layers, why] of Object.entries(bad)) assert.throws(() => layerShapes(layers), why, layers);
  const s = parseParams('?preset=ch6-relu&layers=conv20x5x5-<b>-softmax10&eta=0.1');
  assert.equal(s.config.layers, PRESETS['ch6-relu'].layers);
  assert.equal(s.config.eta, 0.1);
  assert.match(s.notes[0], /layers must be layers like .*; layer 2 \("<b>"\) is not convFxRxC.*, not "conv20x5x5-<b>-softmax10"; using conv20x5x5-pool2/);
  const custom = parseParams('?preset=ch6-two&layers=conv10x3x3-pool2-fc50-softmax10');
  assert.deepEqual(custom.notes, []);
  assert.deepEqual(parseParams(toSearch(custom)), custom);
  assert.equal(toSearch(custom), '?preset=ch6-two&layers=conv10x3x3-pool2-fc50-softmax10');
});
