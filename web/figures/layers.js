// layers.js — figure: what each layer sees (chapter 6). A digit drawn on the pad (preprocessed as
// the main page does) or one of MNIST's test digits goes through the shipped convolutional network
// (data/pretrained.nndl: conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10, ReLU): every feature
// map of every convolutional and pooling layer, the fully connected layer's activations and the
// output, all from one forward pass of the core (nndl_network_trace), redrawn while drawing.
// Not here: training (the main page), one convolution step by step (convolution.js).
import { Network } from '../lib/nndl.js';
import { el, readout } from './kit/controls.js';
import { siteData } from './kit/data.js';
import { digitInput, digitSchema } from './kit/digits.js';
import { paintMap } from './kit/maps.js';

export const schema = { ...digitSchema };

export async function mount(root, { state, set }) {
  const [net, input] = await Promise.all([siteData('pretrained.nndl').then((bytes) => Network.load(bytes)), digitInput(state, set)]);
  const spec = net.spec, L = spec.sizes.length - 1;
  const said = readout();
  let last = null;

  // one section per layer: its maps as small images (pooling and conv), or its activations
  const sections = [];
  for (let l = 1; l <= L; l++) {
    const spatial = spec.kind[l] !== 'full', maps = spatial ? spec.maps[l] : 1;
    const title = spatial ? `Layer ${l}: ${spec.kind[l] === 'conv' ? `${maps} feature maps of ${spec.rows[l]} × ${spec.cols[l]}` : `max-pooling, ${maps} maps of ${spec.rows[l]} × ${spec.cols[l]}`}`
      : l === L ? `Layer ${l}: the output, ${spec.sizes[l]} digits` : `Layer ${l}: ${spec.sizes[l]} fully connected neurons`;
    const canvases = l === L ? [] : Array.from({ length: maps }, () => {
      const c = el('canvas', { width: spatial ? spec.cols[l] : 10, height: spatial ? spec.rows[l] : Math.ceil(spec.sizes[l] / 10), className: spatial ? 'map' : 'map wide' });
      return c;
    });
    const bars = l === L ? el('ol', { className: 'digit-bars' }, Array.from({ length: 10 }, (_, d) => el('li', {}, [el('span', { textContent: String(d) }), el('span', { className: 'bar' }, [el('span')]), el('span', { className: 'value' })]))) : null;
    const section = el('section', { className: 'layer' }, [el('h3', { textContent: title }), el('div', { className: 'maps' }, canvases), bars]);
    section.setAttribute('role', 'img');
    sections.push({ l, spatial, maps, canvases, bars, section });
  }
  root.append(
    el('div', { className: 'layers-input' }, [...input.nodes, said]),
    el('div', { className: 'layers' }, sections.map((s) => s.section)),
  );

  return {
    async render(st) {
      input.update(st);
      const x = input.pixels(st);
      if (!x) {
        said.textContent = 'Draw a digit on the pad.';
        last = null;
        return;
      }
      const t = net.trace(x);
      for (const { l, spatial, maps, canvases, bars, section } of sections) {
        const a = t.a[l], top = Math.max(...a);
        if (bars) {
          [...bars.children].forEach((li, d) => {
            li.querySelector('.bar span').style.width = `${(100 * a[d]).toFixed(1)}%`;
            li.querySelector('.value').textContent = `${(100 * a[d]).toFixed(0)}%`;
          });
        } else if (spatial) {
          const size = spec.rows[l] * spec.cols[l];
          for (let m = 0; m < maps; m++) paintMap(canvases[m], a.subarray(m * size, (m + 1) * size), spec.rows[l], spec.cols[l], top);
        } else {
          paintMap(canvases[0], a, Math.ceil(spec.sizes[l] / 10), 10, top);
        }
        const active = a.filter((v) => v > 0).length;
        section.setAttribute('aria-label', bars ? `The output: ${Array.from(a, (v, d) => `${d}: ${(100 * v).toFixed(0)}%`).join(', ')}` : `${active} of ${a.length} values active, the largest ${top.toFixed(2)}.`);
      }
      const out = t.a[L], digit = out.indexOf(Math.max(...out));
      const truth = input.label(st) === null ? '' : ` (MNIST says ${input.label(st)})`;
      said.textContent = `The network reads a ${digit} with ${(100 * out[digit]).toFixed(1)}%${truth}. Each map is drawn from black (0) to white (the layer’s largest value, ${Math.max(...t.a[1]).toFixed(2)} in layer 1).`;
      last = { digit, activations: Array.from(out), sizes: t.a.map((v) => v.length) };
    },
    data: () => last,
  };
}
