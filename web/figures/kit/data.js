// data.js — where the figures' data come from (the trained models, MNIST's digits and sets, none
// of them in the npm package): the site's data/ folder beside the figures, or the folder a page
// names in <meta name="nndl-data" content="https://…/data/"> (a lesson that loads the figures from
// the package or a CDN and hosts the site's data/ itself). Not here: reading the bytes (the
// library's loaders), the MNIST Worker's own downloads (it is told this folder with each job).
import { fetchOk } from '../../lib/nndl.js';

/** The data folder, as a URL ending in '/'. */
export function dataFolder() {
  const named = globalThis.document?.querySelector('meta[name="nndl-data"]')?.getAttribute('content');
  const folder = named ? new URL(named, document.baseURI) : new URL('../../data/', import.meta.url);
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  return folder;
}

/** A file of the data folder, as bytes; a file not there says where it was looked for. */
export async function siteData(file) {
  const url = new URL(file, dataFolder());
  try {
    return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
  } catch (e) {
    throw new Error(`${e.message} — this figure needs nndl's data/${file} (not in the npm package): serve the site's data/ folder and name it in <meta name="nndl-data" content="…/data/">`);
  }
}
