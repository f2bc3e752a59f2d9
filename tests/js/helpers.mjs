// helpers.mjs — what the Node tests share: paths, the native CLI, temporary folders.
// Not a test framework: node:test is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_DIR } from '../bench/mnist.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'build/native/nndl');
export { MNIST_DIR };

/** Runs the native CLI; returns { status, stdout, stderr } without throwing. */
export function cli(args) {
  try {
    const stdout = execFileSync(CLI, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A fresh temporary folder, removed by the returned cleanup function. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'nndl-test-'));
  return [dir, () => rmSync(dir, { recursive: true, force: true })];
}
