// pages.mjs — what the site makes of the figures' registry: each figure's own page,
// figures/<id>/index.html (the figures page with its title, description and the
// <link rel="alternate" type="application/json+oembed"> that lets a platform turn a pasted link
// into an embed), and its oEmbed description, figures/<id>/oembed.json (a rich embed: the
// figure's embed code, as the page copies it). An oEmbed description must name absolute URLs, so
// these are written for the site's public address (`url`: the development server's own, or the
// build's --url); site.mjs writes them under build/pages/ and serves them.
// Not here: the figures page itself (web/figures/index.html, the template), any figure.
import { readFileSync } from 'node:fs';
import { embedCode, escapeHtml } from '../../web/figures/kit/embed-code.js';
import { FIGURES } from '../../web/figures/kit/registry.js';

/** An oEmbed consumer sizes an iframe it does not script to these (the height is the figure's). */
export const OEMBED_WIDTH = 720;

/** The site's public address as a URL ending in '/', or an Error saying what is wrong. */
export function siteUrl(text) {
  let url;
  try { url = new URL(text); } catch { throw new Error(`site URL "${text}" is not an absolute URL like https://example.org/nndl/`); }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) throw new Error(`site URL "${text}" must be http(s), without a query or a fragment`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The oEmbed description of figure `entry` on the site at `base` (a URL ending in '/'). */
export function oembed(entry, base) {
  const page = new URL(`figures/${entry.id}/`, base).href;
  return {
    version: '1.0', type: 'rich', title: entry.title,
    provider_name: 'nndl', provider_url: base.href,
    html: embedCode(page, entry.title, entry.height, new URL('figures/embed.js', base).href),
    width: OEMBED_WIDTH, height: entry.height, cache_age: 86400,
  };
}

/** Figure `entry`'s own page: the figures page (`template`, read from figures/) one folder down —
 * a <base> keeps its relative URLs — naming the figure, with its description and discovery links. */
export function figurePage(template, entry, base) {
  const page = new URL(`figures/${entry.id}/`, base).href, title = `${entry.title} — nndl figures`;
  const head = [
    `<meta name="nndl-figure" content="${escapeHtml(entry.id)}">`,
    `<link rel="canonical" href="${escapeHtml(page)}">`,
    `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(`${page}oembed.json`)}" title="${escapeHtml(entry.title)}">`,
    `<meta property="og:type" content="website">`,
    `<meta property="og:title" content="${escapeHtml(entry.title)}">`,
    `<meta property="og:description" content="${escapeHtml(entry.summary)}">`,
    `<meta property="og:url" content="${escapeHtml(page)}">`,
  ].join('\n');
  const replaced = (text, pattern, by) => {
    if (!pattern.test(text)) throw new Error(`web/figures/index.html has no ${pattern}: the figures' pages cannot be made from it`);
    return text.replace(pattern, by);
  };
  let html = replaced(template, /<meta charset="utf-8">\n/, (m) => `${m}<base href="../">\n`);
  html = replaced(html, /<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`);
  html = replaced(html, /<meta name="description" content="[^"]*">/, `<meta name="description" content="${escapeHtml(entry.summary)}">`);
  return replaced(html, /<\/head>/, `${head}\n</head>`);
}

/** Every figure's page (made from the figures page at `templateFile`) and oEmbed description
 * for the site at `base`, as [site path, text]. */
export function figurePages(templateFile, base) {
  const template = readFileSync(templateFile, 'utf8');
  return FIGURES.flatMap((entry) => [
    [`/figures/${entry.id}/index.html`, figurePage(template, entry, base)],
    [`/figures/${entry.id}/oembed.json`, `${JSON.stringify(oembed(entry, base), null, 1)}\n`],
  ]);
}
