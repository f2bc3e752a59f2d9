// lesson.js — what the example lesson does with its figures, as a course author would write it:
// buttons that set a <nndl-figure>'s attribute; a record of the reader's best attempt at the
// by-hand challenge, from the element's `result` event, kept in localStorage; and the learning
// figure in an iframe, set and heard through the embedding protocol (version 1: messages
// { nndl: 1, type, ... }; see shared/embedded.js). Not here: the figures (figures/element.js).

const $ = (id) => document.getElementById(id);

// ---- a figure set from the page: an attribute is a setting, `change` says what it shows now
const bumps = $('bumps-figure');
$('more-bumps').addEventListener('click', () => bumps.setAttribute('n', '10'));
$('one-bump').addEventListener('click', () => bumps.setAttribute('n', '1'));
bumps.addEventListener('change', (event) => {
  const { n } = event.detail.state;
  $('bumps-status').textContent = `The figure shows ${n} ${n === 1 ? 'pair' : 'pairs'}.`;
});

// ---- a result recorded: the reader's best deviation, kept across visits where storage allows
const KEY = 'nndl-lesson:any-function:by-hand';
const stored = () => { try { return JSON.parse(localStorage.getItem(KEY) ?? 'null'); } catch { return null; } };
const keep = (value) => { try { value ? localStorage.setItem(KEY, JSON.stringify(value)) : localStorage.removeItem(KEY); } catch { /* this visit only */ } };
let best = stored(), attempting = false;

function showRecord() {
  $('record-text').textContent = best
    ? `Your best: an average deviation of ${best.deviation.toFixed(2)} with ${best.n} pairs${best.met ? ' — the book’s challenge is met.' : ' (the challenge: 0.40 or below).'}`
    : 'No attempt yet: move a bump above.';
}
const challenge = $('challenge');
challenge.addEventListener('change', () => { attempting = true; }); // the figure's first picture is no attempt
challenge.addEventListener('result', (event) => {
  const { deviation, met, n } = event.detail;
  if (!attempting || (best && best.deviation <= deviation)) return;
  best = { deviation, met, n };
  keep(best);
  showRecord();
});
$('forget').addEventListener('click', () => { best = null; keep(null); showRecord(); });
showRecord();

// ---- a figure in an iframe: the protocol's messages, from this page's own origin
const frame = $('learn-frame');
let ready = false, pending = null;
const post = (message) => frame.contentWindow.postMessage({ nndl: 1, ...message }, location.origin);
const SETUP = { n: 10, epochs: 2000 };

$('learn-setup').addEventListener('click', () => {
  if (ready) return post({ type: 'set', id: 'setup', state: SETUP });
  pending = SETUP;
  $('learn-status').textContent = 'The figure is loading; it will be set up as soon as it is ready.';
});
window.addEventListener('message', (event) => {
  const message = event.data;
  if (event.source !== frame.contentWindow || event.origin !== location.origin || message?.nndl !== 1) return;
  if (message.type === 'height') frame.style.height = `${Math.max(100, Math.min(5000, message.height))}px`;
  if (message.type === 'state' && !ready) {
    ready = true; // the first state: the figure hears set from now on
    if (pending) post({ type: 'set', id: 'setup', state: pending });
  }
  if (message.type === 'state' && message.id === 'setup') {
    const { n, epochs } = message.state;
    $('learn-status').textContent = `Set: ${n} hidden neurons, ${epochs.toLocaleString('en')} epochs. Press Train in the figure.`;
  }
  if (message.type === 'result') {
    const { deviation, epochs } = message.result;
    $('learn-record').textContent = `Trained for ${epochs.toLocaleString('en')} epochs: the output is within ${deviation.toFixed(3)} of f on average.`;
  }
});
