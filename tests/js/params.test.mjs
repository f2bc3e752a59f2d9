// params.test.mjs — the page's URL state: presets, validation with notes, round trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore, specOf } from '../../web/lib/core.js';
import { PANELS } from '../../web/page/panels.js';
import { PRESETS, SETTINGS, checkSetting, choices, formatSetting, parseParams as parse, presetConfig, toSearch } from '../../web/page/params.js';

// the page checks its settings with the core: here the same module, loaded in Node
const core = await loadCore();
const parseParams = (search) => parse(search, core);

test('no parameters give the chapter 1 preset, every panel, no notes', () => {
  const s = parseParams('');
  assert.equal(s.preset, 'ch1');
  assert.deepEqual(s.config, {
    sizes: [784, 30, 10], layers: '', cost: 'auto', hidden: 'sigmoid', init: 'auto', eta: 3, mini_batch_size: 10, epochs: 30, seed: 2,
    lmbda: 0, l1: 0, mu: 0, dropout: 0, expand: 0, rotate: 0, shift: 0, shear: 0, elastic: 0, schedule: 'none', patience: 10,
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
  assert.match(s.notes.join('\n'), /eta="fast": eta must be a number; using 3/);
  assert.match(s.notes.join('\n'), /mini_batch_size="0": mini_batch_size \(the mini-batch size\) must be a whole number from 1 to 4\.29497e\+09, got 0; using 10/);
  assert.match(s.notes.join("\n"), /preset="<script>" is not one of ch1, ch1-100/); // every view notes a choice alike
});

test('absurd sizes are refused with the core\'s reason; eta 1e30 is allowed (to show divergence)', () => {
  assert.match(checkSetting('sizes', '784,100000,10', core).error, /^layer 1 has 100000 neurons; sizes must be 1 to 65536$/);
  assert.match(checkSetting('sizes', '100,10', core).error, /784 inputs/);
  assert.equal(checkSetting('eta', '1e30', core).value, 1e30);
  assert.match(checkSetting('eta', 'Infinity', core).error, /eta must be a number/);
  assert.match(checkSetting('eta', '1e39', core).error, /^eta \(the learning rate\) must be a number from 0 to 3\.40282e\+38, got 1e\+39$/);
});

test('the choices are the core\'s names, with auto for the cost and the initial weights', () => {
  assert.deepEqual(choices('hidden', core), core.names.hidden.filter(Boolean));
  assert.deepEqual(choices('cost', core), ['auto', ...core.names.cost]);
  assert.deepEqual(choices('schedule', core), core.names.schedule);
  assert.ok(!choices('hidden', core).includes('softmax'));
});

test('old spellings in links (batch, lambda) read as the core\'s (mini_batch_size, lmbda)', () => {
  const s = parseParams('?batch=20&lambda=2.5');
  assert.equal(s.config.mini_batch_size, 20);
  assert.equal(s.config.lmbda, 2.5);
  assert.deepEqual(s.notes, []);
  assert.equal(toSearch(s), '?mini_batch_size=20&lmbda=2.5');
});

test('every preset is valid and round-trips through a link', () => {
  for (const name of Object.keys(PRESETS)) {
    const config = presetConfig(name);
    for (const key of SETTINGS) assert.ok(!checkSetting(key, formatSetting(key, config[key]), core).error, `${name}.${key}`);
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
  assert.match(s.notes[0], /cost="hinge": cost must be one of auto, quadratic, cross-entropy, log-likelihood/);
  assert.match(s.notes[1], /mu="1\.5": mu \(momentum\) must be a number from 0 to 1 \(not included\), got 1\.5; using 0/);
});

test('chapter 6 layer strings: refused in a link with the core\'s own reason', () => {
  const shapes = specOf(core, 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10');
  assert.deepEqual(shapes.kind.map((k, l) => [k, shapes.maps[l], shapes.rows[l], shapes.cols[l]]).slice(1),
    [['conv', 20, 24, 24], ['pool', 20, 12, 12], ['conv', 40, 8, 8], ['pool', 40, 4, 4], ['full', 100, 1, 1], ['full', 10, 1, 1]]);
  // every string the core refuses is refused in a link with the core's message, word for word
  for (const layers of ['conv20x5x5-pool2-fc100', 'fc30-pool2-softmax10', 'conv20x29-softmax10', 'conv20x5x5-pool2-conv40x13-softmax10',
    'conv200000x5-softmax10', 'pool2:relu-softmax10', 'softmax30-fc10', 'conv20x5x5-<img>-softmax10', 'fc5000000-softmax10', 'fc30:swish-softmax10']) {
    let reason = null;
    try { specOf(core, layers); } catch (e) { reason = e.message; }
    const { error } = checkSetting('layers', layers, core);
    if (reason) assert.equal(error, reason, layers);
    else assert.match(error, /10 outputs last/, layers);
  }
  assert.match(checkSetting('layers', 'conv20x29-softmax10', core).error, /^layer 1's local receptive field of 29 x 29 does not fit its input of 28 x 28$/);
  assert.equal(checkSetting('layers', 'conv100x5-softmax10', core).value, 'conv100x5-softmax10'); // the core's limits, not a page's
  const s = parseParams('?preset=ch6-relu&layers=conv20x5x5-<b>-softmax10&eta=0.1');
  assert.equal(s.config.layers, PRESETS['ch6-relu'].layers);
  assert.equal(s.config.eta, 0.1);
  assert.match(s.notes[0], /^layers="conv20x5x5-<b>-softmax10": layer 2, '<b>', is not one of convFxRxC, poolP, fcN, softmaxN .*; using conv20x5x5-pool2/);
  const custom = parseParams('?preset=ch6-two&layers=conv10x3x3-pool2-fc50-softmax10');
  assert.deepEqual(custom.notes, []);
  assert.deepEqual(parseParams(toSearch(custom)), custom);
  assert.equal(toSearch(custom), '?preset=ch6-two&layers=conv10x3x3-pool2-fc50-softmax10');
});

test('slant and elastic distortion travel in the link, checked by the core\'s ranges', () => {
  const { config, notes } = parse('?shear=0.3&elastic=10', core);
  assert.deepEqual([config.shear, config.elastic, notes], [0.3, 10, []]);
  assert.equal(toSearch({ preset: 'ch1', config, embed: false, panels: PANELS }), '?shear=0.3&elastic=10');
  const bad = parse('?elastic=200&shear=-1', core);
  assert.deepEqual([bad.config.elastic, bad.config.shear], [0, 0]);
  assert.match(bad.notes.join(' '), /elastic="200": .*0 to 100/);
});
