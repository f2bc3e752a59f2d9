// pad.js — the drawing-pad panel: strokes on the pad (draw.js), the 28 x 28 image the network
// sees (preprocess.js), and one bar per digit for the network's answer. It asks the Worker to
// classify through `classify(id, pixels)` and shows the answer whose id is the latest, so that a
// slow answer never overwrites a newer drawing's. Strokes are taken from the start; they are read
// once the page says the network is in (ready()). Not here: any number the network computes.
import { createPad, paintDigit } from '../shared/draw.js';
import { preprocess } from '../shared/preprocess.js';

const $ = (id) => document.getElementById(id);

/** The two likeliest digits if the network is unsure: its top share under `below` (the
 * threshold chosen for it on the validation set), or its second share more than half its top. */
export function unsure(acts, sum, below) {
  const order = [...acts.keys()].sort((a, b) => acts[b] - acts[a]), [top, second] = order.map((d) => acts[d] / sum);
  return (below != null && top < below) || second > top / 2 ? order.slice(0, 2) : null;
}

/** Sets the panel up; returns { ready(), read(), show(message) } (see below). */
export function createPadPanel(classify) {
  const bars = [];
  for (let d = 0; d < 10; d++) {
    const item = document.createElement('li');
    item.innerHTML = `<span>${d}</span><span class="bar"><span style="width:0%"></span></span><span class="value">–</span>`;
    $('bars').append(item);
    bars.push(item);
  }
  let live = false, seen = null, id = 0, sent = 0;

  /** Asks for the drawing to be read (again: after training moved on, another network...). */
  function read() {
    if (!live) return;
    if (!seen) {
      show(null);
      return;
    }
    sent = performance.now();
    classify(++id, seen);
    $('draw').dataset.asked = String(id);
  }

  /** Shows an answer { drawing, digit, activations, network, unsureBelow } (null: none, the pad is
   * empty); an answer under the network's threshold of trust says so in words ("4 or 9?"). */
  function show(message) {
    if (message && message.drawing !== id) return; // an answer to an older drawing
    const acts = message?.activations;
    const sum = acts ? acts.reduce((a, b) => a + b, 0) : 0;
    const doubt = acts ? unsure(acts, sum, message.unsureBelow) : null;
    $('verdict').textContent = !acts ? '' : doubt ? `${doubt[0]} or ${doubt[1]}? The network is not sure.` : `It reads a ${message.digit}.`;
    $('draw').dataset.unsure = doubt ? doubt.join(',') : '';
    for (let d = 0; d < 10; d++) {
      const share = acts && sum > 0 ? acts[d] / sum : 0;
      bars[d].querySelector('.bar span').style.width = `${(100 * share).toFixed(1)}%`;
      bars[d].querySelector('.value').textContent = acts ? `${(100 * share).toFixed(0)}%` : '–';
      bars[d].classList.toggle('top', acts != null && d === message.digit);
    }
    $('bars').setAttribute('aria-label', acts ? `The network reads a ${message.digit}` : "The network's output for each digit");
    if (message) {
      $('which-network').textContent = `Classified by ${message.network}. Bars: each output's share of the total.`;
      document.body.dataset.classifyMs = String(performance.now() - sent);
    }
    $('draw').dataset.digit = acts ? String(message.digit) : '';
    // the answer to the latest drawing is on show (data-asked: the latest sent)
    $('draw').dataset.answered = String(message?.drawing ?? id);
  }

  const pad = createPad($('pad'), (ink) => {
    seen = preprocess(ink, $('pad').width, $('pad').height);
    paintDigit($('seen'), seen ?? new Float32Array(784));
    read();
  });
  $('clear').addEventListener('click', () => pad.clear());
  $('undo').addEventListener('click', () => pad.undo());
  $('pad').dataset.live = ''; // strokes are taken from now on (and read once the network is in)

  return {
    /** The drawing on the pad now, as the network reads it: { drawing, pixels } (null: none). */
    current: () => (seen ? { drawing: id, pixels: seen } : null),
    /** The network is in: the drawing so far is read, and every stroke from now on. */
    ready() {
      live = true;
      read();
    },
    read,
    show,
  };
}
