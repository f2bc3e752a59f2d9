// @ts-check
// pad-network.js — the Worker's networks for the drawing pad: the shipped (pretrained) one, one the
// reader opened, or a copy of either that the reader taught (teach.js), the original kept to go
// back to; which of them — or the network being trained, once it has trained at all — reads a
// drawing, and its model file. Functions return the messages the Worker posts. Not here:
// training (worker.js) or how teaching steps (teach.js).
import { Network } from '../../lib/nndl.js';

let fallback = null; // { net, label, name, unsureBelow }: what the pad uses when nothing is training
let shipped = null;  // the network a taught copy was made from, to go back to

/** The shipped network, as boot.js fetched it with pretrained.json: its accuracy, and the top
 * probability under which its answers are not to be trusted (nndl calibrate), come with it. */
export async function useShipped(model, about) {
  const net = await Network.load(model);
  const accuracy = (100 * about.test_correct / about.test_count).toFixed(2);
  fallback = { net, label: `pretrained ${net.description}, ${accuracy}% on the test set`, name: 'nndl-pretrained', unsureBelow: about.unsure_below ?? null };
  return fallback;
}

/** The network the drawing pad uses: the one being trained once it has trained at all, else the
 * pretrained, opened or taught one. */
export function inUse(run) {
  const trained = run && (run.epoch > 0 || run.batch > 0) && run.state !== 'diverged';
  return trained
    ? { net: run.net, label: `the network being trained, ${run.description}`, name: `nndl-${run.description.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}` }
    : fallback;
}

/** Reads drawing number `drawing` (784 values in 0..1): the classification message. */
export function classify(run, { drawing, pixels }) {
  const { net, label, unsureBelow = null } = inUse(run);
  const { digit, activations } = net.predict(pixels);
  return { type: 'classification', drawing, digit, activations, network: label, unsureBelow };
}

/** The network in use as a model file or JSON: [message, transfer].
 * @returns {[import('./messages.js').Saved, Transferable[]]} */
export function save(run, { format }) {
  const { net, name } = inUse(run);
  const data = format === 'json' ? net.toJson() : net.save();
  return [{ type: 'saved', format, data, name: `${name}.${format === 'json' ? 'json' : 'nndl'}` }, format === 'json' ? [] : [data.buffer]];
}

/** A model file the reader opened replaces the pad's network (and a taught copy's original);
 * its accuracy where the test set is loaded (a view that only draws has none). */
export async function open({ bytes, name }, test) {
  const net = await Network.load(bytes);
  if (net.sizes[0] !== 784 || net.sizes.at(-1) !== 10) {
    const sizes = net.sizes;
    net.free();
    throw new Error(`${name} is a [${sizes}] network; MNIST needs 784 inputs and 10 outputs`);
  }
  fallback.net.free();
  shipped?.net.free();
  shipped = null;
  const accuracy = test ? `, ${(100 * net.evaluate(test) / test.count).toFixed(2)}% on the test set` : '';
  fallback = { net, label: `${name} ${net.description}${accuracy}`, name: name.replace(/\.nndl$/, '') };
  return { type: 'opened', label: fallback.label, filters: net.filters(1) };
}

/** "Teach it": the network in use learns a drawing's right digit (teach.js); the pad's own
 * network is copied first and kept untouched, to go back to. Returns the message to post. */
export async function teachIt(run, { pixels, label }, { base, core }) {
  const { teach, keepDrawing } = await import('./teach.js');
  const inRun = run && inUse(run).net === run.net;
  if (!inRun && !shipped) {
    shipped = fallback;
    fallback = { ...shipped, net: await Network.load(shipped.net.save()), label: 'the shipped network, taught by you', name: 'nndl-taught' };
  }
  // small steps (teach.js): a third of the CNN's eta (0.03) or of a run's
  const rounds = await teach(inUse(run).net, pixels, label, { base, core, eta: inRun ? run.hyper.eta / 3 : 0.01 });
  const kept = await keepDrawing(pixels, label).catch(() => null);
  return { type: 'taught', rounds, kept, label, taught: !inRun };
}

/** Back to the network a taught copy was made from: its label, or null if nothing was taught. */
export function untaught() {
  if (!shipped) return null;
  fallback.net.free();
  fallback = shipped;
  shipped = null;
  return fallback.label;
}
