// runs.mjs — the timed runs of the WebAssembly benchmark, shared by Node (bench_wasm.mjs) and the
// Chromium Web Worker (browser-worker.js) so that both time exactly the same work, each run with
// the SIMD peak probed right before it (probe()), interleaved:
//   fc       epochs of network.py's [784,30,10] (mini-batch 10, eta 3.0) on 50,000 images
//   cnn      network3.py's two-conv-layer network (CNN below; ReLU, mini-batch 10, eta 0.03)
//            trained on CNN_IMAGES images
//   forward  the same network feeding 10,000 validation images forward
// Returns each run's { seconds, peak }; bench.mjs makes efficiencies of them. Asserts nothing.
import { Network } from '../../web/lib/nndl.js';

export const CNN = 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10';
export const CNN_IMAGES = 5000;

/** `runs` times of fn, each right after a probe of the peak: [{ seconds, peak }]. */
function interleaved(runs, probe, fn) {
  const out = [];
  for (let r = 0; r < runs; r++) {
    const peak = probe();
    const start = performance.now();
    fn();
    out.push({ seconds: (performance.now() - start) / 1000, peak });
  }
  return out;
}

export async function timedRuns({ training, validation }, probe, runs = 5) {
  const fc = await Network.create([784, 30, 10], { seed: 1 });
  const fcRuns = interleaved(runs, probe, () => fc.trainEpoch(training, { mini_batch_size: 10, eta: 3.0 }));
  fc.free();
  const cnn = await Network.create(CNN, { hidden: 'relu', seed: 1 });
  const part = training.slice(0, CNN_IMAGES);
  const cnnRuns = interleaved(runs, probe, () => cnn.trainEpoch(part, { mini_batch_size: 10, eta: 0.03, lmbda: 1.0 }));
  const forwardRuns = interleaved(runs, probe, () => cnn.evaluate(validation));
  part.free();
  cnn.free();
  return {
    fc: fcRuns, examples: training.count, cnn: cnnRuns, cnn_train_examples: CNN_IMAGES, forward: forwardRuns,
    cnn_forward_examples: validation.count,
  };
}
