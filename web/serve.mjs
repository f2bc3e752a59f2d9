// serve.mjs — `npm start`'s server: the page on http://127.0.0.1:PORT (PORT from the environment,
// 8080 by default, the next free one if taken), laid out as site.mjs says, with the right MIME
// types (application/wasm included) from sirv. For development and local use; `npm run build`
// makes the static folder for any other host.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { BUILT, ROOT, ROUTES } from './site.mjs';

for (const [file, command] of BUILT)
  if (!existsSync(join(ROOT, file))) {
    console.error(`serve.mjs: ${file} is missing; run '${command}' (npm start does it for you)`);
    process.exit(1);
  }

const handlers = ROUTES.map(([prefix, folder]) => [prefix, sirv(join(ROOT, folder), { dev: true })]);

function handle(req, res) {
  const [prefix, serveFolder] = handlers.find(([p]) => req.url.startsWith(p));
  req.url = req.url.slice(prefix.length - 1);
  if (prefix === '/' && req.url.split('?')[0].endsWith('.mjs')) req.url = '/404'; // node-only files
  serveFolder(req, res, () => {
    res.statusCode = 404;
    res.end('not found');
  });
}

const server = createServer(handle);
let port = Number(process.env.PORT) || 8080;
server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' && port < 8100) server.listen(++port, '127.0.0.1');
  else throw e;
});
server.on('listening', () => console.log(`nndl: serving the page on http://127.0.0.1:${port}/ (Ctrl-C to stop)`));
server.listen(port, '127.0.0.1');
