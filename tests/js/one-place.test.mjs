// one-place.test.mjs — every fact in one place (issue 10): the names of the choices, the layer
// grammar, the hyper-parameters' names and the structs' layouts are the C core's, and the
// JavaScript of the page and the API asks the core for them instead of keeping a copy.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCore } from '../../web/lib/core.js';
import { SETTINGS, choices } from '../../web/page/params.js';
import { ROOT } from './helpers.mjs';

const core = await loadCore();
const filesUnder = (dir) => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
const sources = filesUnder('web').filter((f) => /\.m?js$/.test(f)).map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]);

test('no JavaScript file lists the core\'s names of a kind', () => {
  for (const [kind, names] of Object.entries(core.names)) {
    const listed = names.filter(Boolean);
    for (let i = 0; i + 1 < listed.length; i++) {
      const pair = new RegExp(`['"\`]${listed[i]}['"\`]\\s*,\\s*['"\`]${listed[i + 1]}['"\`]`);
      for (const [file, text] of sources) assert.doesNotMatch(text, pair, `${file} lists the ${kind} names`);
    }
  }
});

test('no JavaScript file parses layer strings or keeps the structs\' byte offsets', () => {
  for (const [file, text] of sources) {
    assert.doesNotMatch(text, /conv\(\\d|pool\(\\d|softmax\)\(\\d/, `${file} has a grammar of its own`);
    assert.doesNotMatch(text, /SPEC_BYTES|HYPER_BYTES|SCHEDULE_BYTES|ERROR_BYTES|MAX_LAYERS = 64/, `${file} keeps a struct's layout`);
  }
});

test('the page offers the core\'s names and spells every hyper-parameter as the core does', () => {
  assert.deepEqual(choices('hidden', core), core.names.hidden.filter(Boolean));
  assert.deepEqual(choices('init', core), ['auto', ...core.names.init]);
  for (const name of core.hyperNames.keys()) assert.ok(SETTINGS.includes(name), `the page has no setting ${name}`);
});

test('the layout the core exports is what the API reads, and a module of another layout is refused', async () => {
  for (const name of ['nndl_spec.cost', 'nndl_hyper', 'nndl_progress.cost', 'nndl_error.message']) assert.ok(name in core.layout, name);
  assert.equal(core.layout.nndl_layout_entry, 8);
  const { Core } = await import('../../web/lib/core.js');
  const bytes = readFileSync(join(ROOT, 'web/lib/nndl.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { emscripten_notify_memory_growth() {} } });
  // the same module with one layout entry renamed, as a module of another version would have it
  const exports = { ...instance.exports, _initialize: undefined };
  const view = new Uint32Array(instance.exports.memory.buffer, instance.exports.nndl_layout());
  const at = view[2 * 5]; // the name of an entry past the first few
  const memory = new Uint8Array(instance.exports.memory.buffer);
  memory[at] = 'X'.charCodeAt(0);
  assert.throws(() => new Core({ exports }), /nndl\.wasm is of another version: it has no/);
});
