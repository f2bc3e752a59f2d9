// embed.js — the optional script for a page that embeds nndl figures in iframes: each figure
// posts its height (and its current URL) to its parent whenever either changes, and this sizes
// the iframe it came from to fit, so the figure never scrolls inside the lesson. Include it once
// per page (<script src=".../figures/embed.js" async></script>); it reads no other message, sets
// nothing but heights, and keeps each figure's latest URL in its iframe's data-figure-url.
(function () {
  if (window.nndlFigureEmbeds) return;
  window.nndlFigureEmbeds = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'nndl-figure' || typeof data.height !== 'number') return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow !== event.source) continue;
      var height = Math.max(50, Math.min(5000, Math.ceil(data.height)));
      frames[i].style.height = height + 'px';
      if (typeof data.url === 'string') frames[i].setAttribute('data-figure-url', data.url);
      frames[i].dispatchEvent(new CustomEvent('nndl-figure', { detail: { height: height, url: data.url } }));
    }
  });
})();
