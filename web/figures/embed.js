// embed.js — the optional script for a page that embeds nndl figures in iframes: each figure
// posts its height whenever it changes (and, to a page it trusts, its state: see
// shared/embedded.js), and this sizes the iframe it came from to fit, so the figure never
// scrolls inside the lesson. Include it once per page (<script src=".../figures/embed.js"
// async></script>); it sets nothing but heights, keeps each figure's latest URL in its iframe's
// data-figure-url where the figure sends it, and fires an nndl-figure event ({ height, url }) on
// the iframe. Reads the protocol's version 1 ({ nndl: 1, type: 'height' | 'state' }) and the
// first version's { type: 'nndl-figure', height, url }.
(function () {
  if (window.nndlFigureEmbeds) return;
  window.nndlFigureEmbeds = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    var height = null, url = null;
    if (data.nndl === 1 && data.type === 'height' && typeof data.height === 'number') height = data.height;
    else if (data.nndl === 1 && data.type === 'state' && typeof data.url === 'string') url = data.url;
    else if (data.type === 'nndl-figure' && typeof data.height === 'number') {
      height = data.height;
      if (typeof data.url === 'string') url = data.url;
    } else return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow !== event.source) continue;
      if (height !== null) {
        height = Math.max(50, Math.min(5000, Math.ceil(height)));
        frames[i].style.height = height + 'px';
      }
      if (url !== null) frames[i].setAttribute('data-figure-url', url);
      frames[i].dispatchEvent(new CustomEvent('nndl-figure', { detail: { height: height, url: url } }));
    }
  });
})();
