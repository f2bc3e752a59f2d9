// gallery.js — the figures' gallery: every figure of the registry with its chapter, title and
// one-line description, a live preview (the figure itself, embedded as a teacher would, loaded
// when it scrolls into view and sized by embed.js), a link to open it, and "copy embed code" for
// the preview's current state (the preview reports its URL as the reader changes it).
// Not here: the figures (./<id>.js) or the frame they share (frame.js).
import { button, el, readout } from './controls.js';
import { copyText, figureEmbedCode, showNotes } from './frame.js';
import { FIGURES } from './registry.js';
import { quote } from '../../shared/url-state.js';
import '../embed.js';

const LIVE = 6; // previews kept running at once: each is a page with its own WebAssembly core

/** Keeps at most LIVE previews loaded: a preview scrolled far out of view, when more than LIVE
 * have been seen, is unloaded (about:blank) and comes back in the state it reported (its URL)
 * when it nears the view again. A gallery of twenty figures then holds six cores, not twenty. */
function limitLive(frames) {
  const seen = []; // the previews loaded, least recently in view first
  const observer = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (!isIntersecting) continue;
      if (target.dataset.unloaded) {
        target.src = target.dataset.figureUrl;
        delete target.dataset.unloaded;
      }
      if (seen.includes(target)) seen.splice(seen.indexOf(target), 1);
      seen.push(target);
    }
    while (seen.length > LIVE) {
      const far = seen.find((f) => !isNear(f));
      if (!far) break;
      seen.splice(seen.indexOf(far), 1);
      far.dataset.unloaded = '1';
      far.src = 'about:blank';
    }
  }, { rootMargin: '300px 0px' });
  const isNear = (frame) => {
    const box = frame.getBoundingClientRect();
    return box.bottom > -300 && box.top < innerHeight + 300;
  };
  frames.forEach((f) => observer.observe(f));
}

export function showGallery(unknown) {
  if (unknown) showNotes([`there is no figure named ${quote(unknown)}; here are all of them`], 'This link named no figure:');
  document.title = 'nndl — figures for Neural Networks and Deep Learning';
  const main = document.getElementById('main');
  const chapters = [...new Set(FIGURES.map((f) => f.chapter))].sort((a, b) => a - b);
  const intro = el('div', { className: 'figure-head' }, [
    el('h1', { textContent: 'Figures for Neural Networks and Deep Learning' }),
    el('p', { className: 'meta', textContent: 'One concept per figure, each computed live by a network in WebAssembly. Try one here, then copy its embed code into your lesson: it keeps the settings you chose.' }),
  ]);
  const jump = el('nav', { className: 'chapters' }, [el('span', { textContent: 'Chapters: ' }),
    ...chapters.map((chapter) => el('a', { href: `#chapter-${chapter}`, textContent: `${chapter} (${FIGURES.filter((f) => f.chapter === chapter).length})` }))]);
  jump.setAttribute('aria-label', 'Chapters');
  intro.append(jump);
  const sections = chapters.map((chapter) => el('section', { className: 'chapter', id: `chapter-${chapter}` }, [
    el('h2', { textContent: `Chapter ${chapter}` }),
    el('ul', { className: 'cards' }, FIGURES.filter((f) => f.chapter === chapter).map(card)),
  ]));
  main.replaceChildren(intro, ...sections);
  limitLive([...main.querySelectorAll('iframe.preview')]);
  document.body.dataset.ready = '1';
}

function card(figure) {
  const page = new URL(`../${figure.id}/`, import.meta.url); // the figure's own page (with its oEmbed link)
  const preview = el('iframe', { src: `${page.href}?embed=1`, title: `${figure.title} (live figure)`, loading: 'lazy', className: 'preview' });
  const status = readout('copy-status');
  const tools = el('div', { className: 'figure-tools' });
  preview.dataset.figureUrl = `${page.href}?embed=1`; // until the preview reports its own
  const current = () => preview.dataset.figureUrl;
  tools.append(
    button('Copy embed code', () => copyText(figureEmbedCode(current(), figure), status, tools), { secondary: true }),
    el('a', { href: page.href, textContent: 'Open' }),
    status,
  );
  preview.addEventListener('nndl-figure', () => {
    const open = new URL(current());
    open.searchParams.delete('embed');
    tools.querySelector('a').href = open.href.replaceAll('%2C', ',');
  });
  return el('li', { className: 'card', id: `card-${figure.id}` }, [
    el('h3', { textContent: figure.title }),
    el('p', { className: 'meta', textContent: figure.summary }),
    preview, tools,
  ]);
}
