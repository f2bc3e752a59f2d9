// job.js — a figure's job in the MNIST Worker (workers/mnist-worker.js, through the one Worker
// client), with its progress in a bar and a line of text: the download in MB, then whatever the
// job reports, then done or why it stopped. One job at a time per figure: starting another ends
// the last (its Worker with it). Not here: what the figure draws from the job's messages.
import { WorkerClient } from '../../lib/worker-client.js';
import { el } from './controls.js';

/** What the MNIST Worker says (mnist-worker.js). */
const SAYS = ['loading', 'point', 'weights', 'initial', 'speeds', 'tuned', 'angles', 'paused', 'done', 'error'];

/** The bar and its text; start(message, onMessage) runs a job, the figure's onMessage(data)
 * seeing every message the Worker sends after the progress is shown. */
export function mnistJob(wasm, idleText) {
  const bar = el('progress', { max: 1, value: 0 });
  const text = el('span', { textContent: idleText });
  let worker = null;
  return {
    node: el('div', { className: 'loading' }, [text, bar]),
    /** Shows progress: `value` of `max`, and what it is. */
    progress(value, max, what) {
      bar.max = max || 1;
      bar.value = value;
      text.textContent = what;
    },
    start(message, onMessage) {
      worker?.terminate();
      worker = new WorkerClient(new URL('../workers/mnist-worker.js', import.meta.url), { wasm });
      worker.post(message);
      worker.listen(Object.fromEntries(SAYS.map((type) => [type, (data) => {
        if (data.type === 'loading') {
          this.progress(data.loaded, data.total, data.stage === 'decoding' ? 'Decoding…'
            : `Downloading ${(data.loaded / 2 ** 20).toFixed(1)} of ${(data.total / 2 ** 20).toFixed(1)} MB`);
        } else if (data.type === 'error') {
          text.textContent = `Stopped: ${data.message}`;
        } else if (data.type === 'done') {
          text.textContent = 'Done.';
          bar.value = bar.max;
        }
        onMessage(data);
      }])));
    },
    send(type) { worker?.post({ type }); },
  };
}
