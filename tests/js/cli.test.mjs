// cli.test.mjs — the native command line as a user meets it: usage on bad arguments, clear
// errors for missing or broken data and models, network.py's epoch lines, and saves that never
// lose the file they replace (a symlink, a device, a full disk, an unwritable folder).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync, copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, MNIST_DIR, ROOT, cli, tempDir } from './helpers.mjs';

const [dir, cleanup] = tempDir();
after(cleanup);

test('bad arguments get a usage message and exit status 2', () => {
  for (const args of [[], ['fly'], ['train', '--sizes', '784'], ['train', '--sizes', '784,abc,10'],
    ['train', '--eta', 'fast'], ['train', '--eta', '-1'], ['train', '--batch', '0'], ['train', '--epochs'],
    ['train', '--colour', 'red'], ['evaluate'], ['train', '--cost', 'hinge'], ['train', '--hidden', 'softmax'],
    ['train', '--mu', '1'], ['train', '--dropout', '-0.1'], ['train', '--schedule', 'sometimes'], ['export', '--model', 'x'],
    ['train', '--net', 'conv20x5x5-pool2-softmax10', '--sizes', '784,30,10'], ['train', '--net', 'fc30-fc10', '--output', 'relu']]) {
    const r = cli(args);
    assert.equal(r.status, 2, `nndl ${args.join(' ')}`);
    assert.match(r.stderr, /usage:/);
  }
});

test('help prints the usage', () => {
  const r = cli(['help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /nndl train/);
});

test('training prints network.py\'s epoch lines, timings and the best accuracy', () => {
  const r = cli(['train', '--epochs', '2', '--train-limit', '2000', '--seed', '3', '--quiet', '--data', MNIST_DIR]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Epoch 0: \d+ \/ 10000 +validation \d+ \/ 10000 +[\d.]+ s +\d+ examples\/s$/m);
  assert.match(r.stdout, /^Epoch 1: /m);
  assert.match(r.stdout, /^Best test accuracy: \d+ \/ 10000 \(\d+\.\d\d%\) at epoch [01]/m);
});

test('missing or corrupt data and models are reported, not crashed on', () => {
  let r = cli(['train', '--data', join(dir, 'nowhere')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot load MNIST: cannot open .*nowhere\/train-images-idx3-ubyte/);

  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'])
    copyFileSync(join(MNIST_DIR, f), join(dir, f));
  const labels = readFileSync(join(MNIST_DIR, 'train-labels-idx1-ubyte'));
  labels[8 + 123] = 42;
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
  r = cli(['train', '--data', dir, '--epochs', '1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /label 123 is 42, outside 0\.\.9/);

  writeFileSync(join(dir, 'model.bin'), 'not a model at all');
  r = cli(['evaluate', '--model', join(dir, 'model.bin'), '--data', MNIST_DIR]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /model\.bin: not an nndl model/);
});

test('an input layer that does not fit MNIST is refused', () => {
  const r = cli(['train', '--sizes', '100,10', '--epochs', '1', '--quiet', '--data', MNIST_DIR]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /input layer has 100 neurons but MNIST images have 784 pixels/);
});

test('chapter 3 options train, monitor and report learning speeds; export writes JSON', () => {
  const model = join(dir, 'ch3.nndl'), json = join(dir, 'ch3.json');
  const r = cli(['train', '--sizes', '784,20,20,10', '--cost', 'log-likelihood', '--hidden', 'relu', '--init', 'scaled',
    '--eta', '0.1', '--lambda', '1', '--mu', '0.5', '--dropout', '0.2', '--rotate', '5', '--shift', '1',
    '--schedule', 'early-stop', '--patience', '3', '--epochs', '2', '--train-limit', '3000', '--monitor', '--speeds',
    '--quiet', '--data', MNIST_DIR, '--save', model]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^  training cost [\d.]+, accuracy \d+ \/ 3000; validation cost [\d.]+, accuracy \d+ \/ 10000$/m);
  assert.match(r.stdout, /^  learning speed \|\|nabla_b\|\| per layer:( [\d.e+-]+){3}$/m);
  const e = cli(['export', '--model', model, '--json', json]);
  assert.equal(e.status, 0, e.stderr);
  const net = JSON.parse(readFileSync(json, 'utf8'));
  assert.deepEqual(net.sizes, [784, 20, 20, 10]);
  assert.deepEqual(net.activations, ['relu', 'relu', 'softmax']);
  assert.equal(net.cost, 'log-likelihood');
  assert.equal(Math.fround(net.hyper.dropout), Math.fround(0.2));
  assert.equal(net.biases[2].length, 10);
});

test('a spec that cannot be is refused with the reason', () => {
  const r = cli(['train', '--cost', 'cross-entropy', '--output', 'relu', '--quiet', '--data', MNIST_DIR]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cross-entropy cost needs sigmoid outputs/);
});

test('chapter 6: --net trains a convolutional network, and several --model vote', () => {
  const a = join(dir, 'cnn-a.nndl'), b = join(dir, 'cnn-b.nndl'), json = join(dir, 'cnn.json');
  for (const [file, seed] of [[a, '1'], [b, '2']]) {
    const r = cli(['train', '--net', 'conv8x5x5-pool2-fc30-softmax10', '--hidden', 'relu', '--eta', '0.05', '--lambda', '1',
      '--epochs', '1', '--train-limit', '5000', '--seed', seed, '--quiet', '--data', MNIST_DIR, '--save', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Network conv8x5x5:relu-pool2-fc30:relu-softmax10 \(input 784\), 35108 parameters, log-likelihood cost, scaled weights; 5000 training images$/m);
    assert.ok(Number(/^Epoch 0: (\d+)/m.exec(r.stdout)[1]) > 3000, r.stdout);
    assert.match(r.stdout, /^Test accuracy at the best validation accuracy \(\d+\.\d\d%, epoch 0\): \d+ \/ 10000 \(\d+\.\d\d%\)$/m);
  }
  const r = cli(['evaluate', '--model', a, '--model', b, '--model', a, '--data', MNIST_DIR]);
  assert.equal(r.status, 0, r.stderr);
  const counts = [...r.stdout.matchAll(/: (\d+) \/ 10000/g)].map((m) => Number(m[1]));
  assert.equal(counts.length, 4);
  assert.equal(counts[3], counts[0], 'two votes of three for a: the ensemble answers as a does');
  assert.match(r.stdout, /^Ensemble of 3 networks voting \(ties to the largest summed probability\): \d+ \/ 10000/m);
  assert.equal(cli(['export', '--model', a, '--json', json]).status, 0);
  const net = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(net.layers, 'conv8x5x5:relu-pool2-fc30:relu-softmax10');
  assert.deepEqual(net.input, [1, 28, 28]);
  assert.deepEqual([net.weights[0].length, net.weights[0][0].length, net.weights[1].length, net.weights[2].length], [8, 25, 0, 30]);
});

test('a --net that cannot be built says which layer and why', () => {
  const cases = {
    'conv20x5x5-pool2-conv40x13x13-softmax10': /layer 3's local receptive field of 13 x 13 does not fit its input of 12 x 12/,
    'conv20x5x5-pool2-fc100-conv3x3-softmax10': /layer 4 is convolutional after a fully connected layer/,
    'conv20x5x5-flip-softmax10': /layer 2, 'flip', is not one of convFxRxC/,
    'conv20000x5x5-softmax10': /layer 1 would be 20000 x 24 x 24 = 11520000 neurons/,
  };
  for (const [net, why] of Object.entries(cases)) {
    const r = cli(['train', '--net', net, '--quiet', '--data', MNIST_DIR]);
    assert.equal(r.status, 2, net);
    assert.match(r.stderr, why);
  }
});

test('conv layers feeding the output directly train (issue 9: their scratch overflowed)', () => {
  for (const net of ['conv30x5x5-softmax10', 'conv3x5x5-softmax10', 'conv40x3x3-pool2-softmax10']) {
    const r = cli(['train', '--net', net, '--epochs', '1', '--train-limit', '300', '--dropout', '0.3', '--quiet', '--data', MNIST_DIR]);
    assert.equal(r.status, 0, `${net}: ${r.stderr}`);
    assert.match(r.stdout, /^Epoch 0: \d+ \/ 10000/m);
  }
});

test('a directory, a device or a missing file given as --model says what it is', () => {
  let r = cli(['evaluate', '--model', dir, '--data', MNIST_DIR]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read .*: it is a directory/);
  r = cli(['evaluate', '--model', '/dev/zero', '--data', MNIST_DIR]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /it is a device/);
});

/** Runs the CLI with a shell prefix (a file size limit, another user); { status, stdout, stderr }. */
function shell(prefix, args) {
  const r = spawnSync('bash', ['-c', `${prefix} "$@"`, 'nndl', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('save and export replace only regular files, atomically: the old file survives every failure', () => {
  const root = join(dir, 'saves');
  mkdirSync(root);
  const model = join(root, 'model.nndl'), json = join(root, 'model.json');
  const train = (save, prefix = '') => shell(prefix, [CLI, 'train', '--epochs', '1', '--train-limit', '200', '--seed', '7', '--quiet',
    '--data', MNIST_DIR, '--save', save]);
  assert.equal(train(model).status, 0);
  assert.equal(cli(['export', '--model', model, '--json', json]).status, 0);
  const before = { model: readFileSync(model), json: readFileSync(json) };
  const unchanged = (what) => {
    assert.deepEqual(readFileSync(model), before.model, `${what}: the model changed`);
    assert.deepEqual(readFileSync(json), before.json, `${what}: the JSON changed`);
    assert.deepEqual(readdirSync(root).filter((f) => f.endsWith('.tmp')), [], `${what}: a temporary file was left`);
  };

  symlinkSync('model.nndl', join(root, 'link.nndl'));
  let r = train(join(root, 'link.nndl'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /will not write .*link\.nndl: it is a symbolic link/);
  assert.doesNotMatch(r.stdout, /Epoch 0/, 'a --save that cannot work is refused before training');
  assert.ok(lstatSync(join(root, 'link.nndl')).isSymbolicLink(), 'the symlink was replaced');
  unchanged('a symlink');

  r = cli(['export', '--model', model, '--json', '/dev/null']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /will not write \/dev\/null: it is a device/);
  assert.ok(lstatSync('/dev/null').isCharacterDevice());

  // a full disk: past `ulimit -f` (in blocks of 1 KiB) every write fails with EFBIG
  r = train(model, 'ulimit -f 8;');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot save the model: cannot write .*model\.nndl: File too large; the file is unchanged/);
  r = shell('ulimit -f 8;', [CLI, 'export', '--model', model, '--json', json]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot export: cannot write .*model\.json: File too large/);
  unchanged('a full disk');

  // a folder the user cannot write (root can write anywhere, so root runs the CLI as nobody)
  const locked = join(root, 'locked'), copy = join(root, 'nndl');
  mkdirSync(locked);
  writeFileSync(join(locked, 'model.json'), before.json);
  copyFileSync(CLI, copy);
  for (const p of [dir, root]) chmodSync(p, 0o755);
  chmodSync(copy, 0o755);
  chmodSync(model, 0o644);
  chmodSync(locked, 0o555);
  const asUser = process.getuid() === 0 ? 'setpriv --reuid=65534 --regid=65534 --clear-groups' : '';
  r = shell(asUser, [copy, 'export', '--model', model, '--json', join(locked, 'model.json')]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /cannot write .*locked\/model\.json: cannot create a file in its folder: Permission denied/);
  r = shell(asUser, [copy, 'train', '--epochs', '1', '--quiet', '--data', MNIST_DIR, '--save', join(locked, 'new.nndl')]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /cannot save the model: cannot write .*locked\/new\.nndl: its folder: Permission denied/);
  assert.deepEqual(readFileSync(join(locked, 'model.json')), before.json);
  chmodSync(locked, 0o755);
  unchanged('an unwritable folder');

  // and a save that works keeps the permissions of the file it replaces
  chmodSync(model, 0o640);
  assert.equal(train(model).status, 0);
  assert.equal(statSync(model).mode & 0o777, 0o640);
});

test('data/chapter1-784-30-10.nndl, the reading figure\'s network, reads 94.72% of the test set as data/README.md says', () => {
  const r = cli(['evaluate', '--model', join(ROOT, 'data/chapter1-784-30-10.nndl'), '--data', MNIST_DIR]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: 9472 \/ 10000 /);
  assert.match(readFileSync(join(ROOT, 'data/README.md'), 'utf8'), /chapter1-784-30-10\.nndl[\s\S]*94\.72%/);
});

test('data/chapter6-conv3.nndl, the whole-network figure\'s, reads 97.77% of the test set as data/README.md says', () => {
  const r = cli(['evaluate', '--model', join(ROOT, 'data/chapter6-conv3.nndl'), '--data', MNIST_DIR]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: 9777 \/ 10000 /);
  assert.match(readFileSync(join(ROOT, 'data/README.md'), 'utf8'), /chapter6-conv3\.nndl[\s\S]*97\.77%/);
});

test('data/pretrained.json says what nndl evaluate measures of data/pretrained.nndl', () => {
  const about = JSON.parse(readFileSync(join(ROOT, 'data/pretrained.json'), 'utf8'));
  const model = join(ROOT, 'data', about.model);
  assert.equal(statSync(model).size, about.bytes);
  const r = cli(['evaluate', '--model', model, '--data', MNIST_DIR]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`: ${about.test_correct} / ${about.test_count} `));
  const exported = join(dir, 'pretrained.json');
  assert.equal(cli(['export', '--model', model, '--json', exported]).status, 0);
  assert.equal(JSON.parse(readFileSync(exported, 'utf8')).layers, about.layers);
});
