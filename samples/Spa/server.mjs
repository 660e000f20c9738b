// A tiny static server for the single-page app in public/: it serves the files, oidc-client-ts's browser build from
// node_modules, and /config.json (the issuer and client_id given here). No server-side session, no secrets: the app is
// a public client and talks to AuthService from the browser (its token, UserInfo and revocation endpoints answer CORS
// for the origins of registered redirect URIs).
//
//   node server.mjs --issuer http://localhost:5000 [--client-id spa-sample] [--port 5173] [--host 127.0.0.1]
//
// Prints "spa sample listening on <url>" once ready.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    issuer: { type: 'string' },
    'client-id': { type: 'string', default: 'spa-sample' },
    port: { type: 'string', default: '5173' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!options.issuer) {
  console.error('usage: node server.mjs --issuer <AuthService issuer> [--client-id spa-sample] [--port 5173] [--host 127.0.0.1]');
  process.exit(2);
}

const origin = `http://${options.host}:${options.port}`;
const config = JSON.stringify({ issuer: options.issuer, client_id: options['client-id'], origin });
const files = {
  '/': ['public/index.html', 'text/html; charset=utf-8'],
  '/index.html': ['public/index.html', 'text/html; charset=utf-8'],
  '/callback.html': ['public/callback.html', 'text/html; charset=utf-8'],
  '/app.js': ['public/app.js', 'text/javascript; charset=utf-8'],
  '/callback.js': ['public/callback.js', 'text/javascript; charset=utf-8'],
  '/user-manager.js': ['public/user-manager.js', 'text/javascript; charset=utf-8'],
  '/vendor/oidc-client-ts.min.js': ['node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js', 'text/javascript; charset=utf-8'],
};
// Scripts from this origin only; fetches to this origin and AuthService only.
const csp = `default-src 'none'; script-src 'self'; connect-src 'self' ${new URL(options.issuer).origin}; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const server = http.createServer(async (request, response) => {
  const { pathname } = new URL(request.url, origin);
  const headers = { 'Cache-Control': 'no-store', 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  if (pathname === '/config.json') {
    response.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(config);
    return;
  }
  const file = files[pathname];
  if (!file) {
    response.writeHead(404, headers).end();
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': file[1] }).end(await readFile(new URL(file[0], import.meta.url)));
});

server.listen(Number(options.port), options.host, () => console.log(`spa sample listening on ${origin}`));
