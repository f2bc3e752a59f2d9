// teach-panel.js — "teach it", the page's side: under the pad's answer, a button for each digit;
// pressing the right one sends the drawing to the Worker, whose network learns it (teach.js) and
// reads it again. It says how it went, offers the way back to the shipped network, and the
// corrected drawings kept in this browser: their count, a download as MNIST's IDX files (images
// and labels, what the CLI reads), and forgetting them. Not here: any learning (the Worker's).

const $ = (id) => document.getElementById(id);

/** An IDX file: MNIST's header (a magic number and the dimensions, big-endian) and the bytes. */
function idx(magic, dims, body) {
  const bytes = new Uint8Array(4 + 4 * dims.length + body.length), view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(body, 4 + 4 * dims.length);
  return bytes;
}

function download(bytes, name) {
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes])), download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function createTeachPanel(worker, pad) {
  let items = [], pending = null;
  for (let d = 0; d < 10; d++) {
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: String(d) });
    b.setAttribute('aria-label', `It is a ${d}`);
    b.addEventListener('click', () => {
      const drawing = pad.current();
      if (!drawing) return;
      pending = d;
      $('teach-status').textContent = `Learning that this is a ${d}…`;
      for (const button of $('teach-digits').children) button.disabled = true;
      worker.post({ type: 'teach', drawing: drawing.drawing, pixels: drawing.pixels, label: d });
    });
    $('teach-digits').append(b);
  }
  const count = () => { $('drawings-count').textContent = String(items.length); };
  $('untaught').addEventListener('click', () => worker.post({ type: 'untaught' }));
  $('forget-drawings').addEventListener('click', () => worker.post({ type: 'forgetDrawings' }));
  $('download-images').addEventListener('click', () => {
    const body = new Uint8Array(items.length * 784);
    items.forEach((it, i) => body.set(it.pixels, i * 784));
    download(idx(0x803, [items.length, 28, 28], body), 'my-drawings-images-idx3-ubyte');
  });
  $('download-labels').addEventListener('click', () => download(idx(0x801, [items.length], Uint8Array.from(items, (it) => it.label)), 'my-drawings-labels-idx1-ubyte'));
  let asked = false;

  return {
    /** An answer is on show: the digits to correct it are offered (and the kept drawings counted). */
    offer(message) {
      $('teach').hidden = !message?.activations;
      if (!asked && message?.activations) worker.post({ type: 'drawings' });
      asked = true;
    },
    taught({ rounds, kept, label, taught }) {
      for (const button of $('teach-digits').children) button.disabled = false;
      $('teach-status').textContent = `Learnt in ${rounds} round${rounds === 1 ? '' : 's'} of SGD (your drawing among MNIST images). `
        + `${kept === null ? 'This browser did not keep the drawing.' : `${kept} corrected drawing${kept === 1 ? '' : 's'} kept.`}`;
      $('untaught').hidden = !taught;
      if (pending === label) pending = null;
      worker.post({ type: 'drawings' });
    },
    drawings(message) {
      items = message.items;
      count();
      if (message.forgotten) $('teach-status').textContent = 'Your drawings are forgotten.';
    },
    untaught() {
      $('untaught').hidden = true;
      $('teach-status').textContent = 'Back to the shipped network.';
      pad.read();
    },
  };
}
