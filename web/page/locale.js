// locale.js — the page starts in any locale. A browser may report a language tag that Intl
// refuses (WebKit in a process whose LANG is C reports "C"), and a module that formats numbers in
// navigator.language as it loads (uPlot does) then throws and takes the page down with it. Where
// Intl refuses the tag, this page reads navigator.language as "en-US", the page's own language.
// Imported first by what imports such a module. Not here: the page's own formats (always en).

try {
  new Intl.NumberFormat(navigator.language);
} catch {
  Object.defineProperty(navigator, 'language', { configurable: true, get: () => 'en-US' });
  Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['en-US'] });
}
