// serve.mjs — `npm start`'s server: the page on http://127.0.0.1:PORT (PORT from the environment,
// 8080 by default, the next free one if taken). It serves exactly the files of site.mjs, the
// ones the static build contains (http.mjs decides on the decoded, normalised path); any other
// request gets a 4xx and the server goes on. For development and local use; `npm run build`
// makes the static folder for any other host.
import { staticServer } from './http.mjs';
import { isolationHeaders, missingBuild, releaseFile, siteFiles } from './site.mjs';

const missing = missingBuild();
if (missing) {
  console.error(`serve.mjs: ${missing[0]} is missing; run '${missing[1]}' (npm start does it for you)`);
  process.exit(1);
}

const first = Number(process.env.PORT) || 8080;
let port = first;
// the figures' oEmbed descriptions name this server (or NNDL_SITE_URL, when it is served from there)
const files = () => siteFiles({ url: process.env.NNDL_SITE_URL || `http://127.0.0.1:${port}/` });
const lookup = (path) => (path === '/release.json' ? releaseFile(files()) : files().get(path));
const server = staticServer(lookup, { headers: isolationHeaders });
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' && port < Math.min(first + 20, 65535)) server.listen(++port, '127.0.0.1');
  else throw e;
});
server.on('listening', () => console.log(`nndl: serving the page on http://127.0.0.1:${port}/ (Ctrl-C to stop)`));
server.listen(port, '127.0.0.1');
