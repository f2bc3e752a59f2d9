// job.js — a figure's job in the MNIST Worker (workers/mnist-worker.js, through the one Worker
// client), with its progress in a bar and a line of text (the download in MB, then whatever the
// job reports, then done or why it stopped) and its one button: Run, then Pause and Resume while
// it trains, Run again when it is done. One job at a time per figure: starting another ends the
// last (its Worker with it). Not here: what the figure draws from the job's messages.
import { WorkerClient } from '../../lib/worker-client.js';
import { button, el } from './controls.js';
import { dataFolder } from './data.js';

/** What the MNIST Worker says (mnist-worker.js). */
const SAYS = ['loading', 'point', 'weights', 'initial', 'speeds', 'tuned', 'angles', 'paused', 'done', 'error'];

/**
 * The bar, its text and the button. run(): the figure's start, called by the button when the
 * job is idle or done (it calls start(message, onMessage), the figure's onMessage(data) then
 * seeing every message the Worker sends after the progress is shown); changed(): the figure
 * redraws after Pause or Resume. status: idle, training, paused or done.
 */
export function mnistJob(wasm, idleText, { run, changed = () => {}, label = 'Run' } = {}) {
  const bar = el('progress', { max: 1, value: 0 });
  const text = el('span', { textContent: idleText });
  let worker = null;
  const job = {
    status: 'idle',
    node: el('div', { className: 'loading' }, [text, bar]),
    button: button(label, () => (job.status === 'training' ? job.send('pause') : job.status === 'paused' ? job.send('resume') : run?.())),
    /** Shows progress: `value` of `max`, and what it is. */
    progress(value, max, what) {
      bar.max = max || 1;
      bar.value = value;
      text.textContent = what;
    },
    /** Shows training's progress: epoch `epoch` of `epochs`. */
    epoch(epoch, epochs) {
      job.progress(epoch, epochs, `Training: epoch ${epoch} of ${epochs}`);
    },
    start(message, onMessage) {
      worker?.terminate();
      worker = new WorkerClient(new URL('../workers/mnist-worker.js', import.meta.url), { wasm });
      worker.post({ ...message, data: dataFolder().href }); // where its MNIST sets are
      setStatus('training');
      worker.listen(Object.fromEntries(SAYS.map((type) => [type, (data) => {
        if (data.type === 'loading') {
          job.progress(data.loaded, data.total, data.stage === 'decoding' ? 'Decoding…'
            : `Downloading ${(data.loaded / 2 ** 20).toFixed(1)} of ${(data.total / 2 ** 20).toFixed(1)} MB`);
        } else if (data.type === 'error') {
          text.textContent = `Stopped: ${data.message}`;
          setStatus('idle');
        } else if (data.type === 'done') {
          text.textContent = 'Done.';
          bar.value = bar.max;
          setStatus('done');
        }
        onMessage(data);
      }])));
    },
    send(type) {
      worker?.post({ type });
      setStatus(type === 'pause' ? 'paused' : 'training');
      changed();
    },
  };
  const setStatus = (status) => {
    job.status = status;
    job.button.textContent = { idle: label, training: 'Pause', paused: 'Resume', done: 'Run again' }[status];
  };
  return job;
}
