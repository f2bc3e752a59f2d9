// bits.mjs — the committed bits of issue 15's reproducibility runs: what each run trains, and
// the SHA-256 (first 16 hex digits) of its trained parameters' float32 bytes, natively and in
// WebAssembly. reproducible.test.mjs checks them in Node and by the CLI, engines.test.mjs in every
// browser engine. Not a test itself.

export const RUNS = {
  fc: { sizes: [784, 30, 10], cli: ['--sizes', '784,30,10', '--eta', '3.0'], eta: 3.0, limit: 3000 },
  cnn: { layers: 'conv8x5x5-pool2-fc30-softmax10', cli: ['--net', 'conv8x5x5-pool2-fc30-softmax10', '--hidden', 'relu', '--eta', '0.1'], hidden: 'relu', eta: 0.1, limit: 2000 },
};
// SHA-256 of the trained parameters' float32 bytes (little-endian), first 16 hex digits
export const NATIVE = { fc: 'd4d5685e94de6c30', cnn: 'e2aeaf84701e17cb' };
export const WASM = { fc: 'c0f3d45861b986c7', cnn: '886274efd96590c4' };

