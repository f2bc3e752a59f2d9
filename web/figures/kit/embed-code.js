// embed-code.js — the one spelling of a figure's embed code (an iframe of its page with embed=1,
// and embed.js, which sizes it): copied by the figures' pages and the gallery, written into each
// figure's oEmbed description by the build (src/site/pages.mjs). Pure: absolute URLs in, text
// out; no page, no DOM. Not here: the protocol that code speaks (shared/embedded.js).

/** Text made safe for an HTML attribute or element. */
export const escapeHtml = (text) => String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The iframe (first `height` px tall, until embed.js hears the figure's own) and the script tag
 * that embed figure page `pageUrl` (absolute; embed=1 is added) titled `title`; `scriptUrl`:
 * where embed.js is. */
export function embedCode(pageUrl, title, height, scriptUrl) {
  const page = new URL(pageUrl);
  page.searchParams.set('embed', '1');
  const src = page.href.replaceAll('%2C', ',');
  return `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" style="width: 100%; height: ${Math.round(height)}px; border: 0" loading="lazy"></iframe>\n<script src="${escapeHtml(scriptUrl)}" async></script>`;
}
