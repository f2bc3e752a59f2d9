// runs.mjs — the timed runs of the WebAssembly benchmark, shared by Node (bench_wasm.mjs) and the
// Chromium Web Worker (browser-worker.js) so that both time exactly the same work:
//   fc   median of 3 epochs of network.py's [784,30,10] (mini-batch 10, eta 3.0) on 50,000 images
//   cnn  network3.py's two-conv-layer network (CNN below; ReLU, mini-batch 10, eta 0.03):
//        median of 3 trainings on CNN_IMAGES images, and feeding 10,000 validation images forward
// Returns plain numbers; asserts nothing.
import { Network } from '../../web/nndl.js';

export const CNN = 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10';
export const CNN_IMAGES = 5000;

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function timedRuns({ training, validation }, epochs = 3) {
  const fc = await Network.create([784, 30, 10], { seed: 1 });
  const fcSeconds = [];
  for (let e = 0; e < epochs; e++) fcSeconds.push(fc.trainEpoch(training, { mini_batch_size: 10, eta: 3.0 }));
  fc.free();

  const cnn = await Network.create(CNN, { hidden: 'relu', seed: 1 });
  const part = training.slice(0, CNN_IMAGES);
  const trainSeconds = [];
  for (let e = 0; e < epochs; e++) trainSeconds.push(cnn.trainEpoch(part, { mini_batch_size: 10, eta: 0.03, lmbda: 1.0 }));
  const start = performance.now();
  cnn.evaluate(validation);
  const forwardSeconds = (performance.now() - start) / 1000;
  part.free();
  cnn.free();
  return {
    epoch_seconds: median(fcSeconds), examples: training.count,
    cnn_train_seconds: median(trainSeconds), cnn_train_examples: CNN_IMAGES,
    cnn_forward_seconds: forwardSeconds, cnn_forward_examples: validation.count,
  };
}
