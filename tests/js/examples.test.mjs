// examples.test.mjs — the two example programs the README and nndl.h point a newcomer to, run as
// a newcomer would run them: src/examples/train.mjs in Node over the WebAssembly core, and
// src/examples/train.c as built (build/native/nndl_example; ctest runs it too). Each trains
// network.py's [784,30,10] for one epoch and must read most of the test set right; a missing
// folder is said, not crashed on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { MNIST_DIR, ROOT } from './helpers.mjs';

const run = (command, args) => spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
const correct = (stdout) => Number(/^Epoch 0: (\d+) \/ 10000$/m.exec(stdout)?.[1]);

for (const [name, command, args] of [
  ['the JavaScript example (src/examples/train.mjs)', process.execPath, ['src/examples/train.mjs']],
  ['the C example (src/examples/train.c)', join(ROOT, 'build/native/nndl_example'), []],
]) {
  test(`${name} trains [784,30,10] for an epoch and reads 90% of the test set; a wrong folder is said`, () => {
    const r = run(command, [...args, MNIST_DIR, '1']);
    assert.equal(r.status, 0, r.stderr);
    console.log(`# ${name}: ${r.stdout.trim()}`);
    assert.ok(correct(r.stdout) > 9000, r.stdout);
    const missing = run(command, [...args, join(ROOT, 'no-such-folder'), '1']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no-such-folder/);
  });
}
