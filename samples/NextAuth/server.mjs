// The Next.js app of this folder without Next.js: the same Auth.js configuration (auth.config.mjs), the same session and
// logout code (lib/), and the same pages as plain HTML, served by node:http. The test suite runs this one, because
// `next build` takes about 90 s on its 2-core machines; the protocol steps are the same.
//
//   AUTHSERVICE_ISSUER=... AUTHSERVICE_CLIENT_ID=... AUTHSERVICE_CLIENT_SECRET=... AUTH_SECRET=... node server.mjs [--port 3000] [--host 127.0.0.1]
//
// Prints "nextauth sample listening on <url>" once ready.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Auth } from '@auth/core';
import { authConfig } from './auth.config.mjs';
import { currentSession } from './lib/session.mjs';
import { logout } from './lib/logout.mjs';

const { values: options } = parseArgs({
  options: { port: { type: 'string', default: '3000' }, host: { type: 'string', default: '127.0.0.1' } },
});
const origin = `http://${options.host}:${options.port}`;

const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => new Response(
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main>${body}</main></body></html>`,
  { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });

async function home(request) {
  const session = await currentSession(request.headers.get('cookie'));
  if (!session) {
    return page('Not signed in', '<h1>Not signed in</h1><a id="sign-in" href="/api/auth/signin?callbackUrl=%2F">Sign in</a>');
  }
  return page('Signed in', `<h1>Signed in</h1><dl>
    <dt>sub</dt><dd id="sub">${escape(session.sub)}</dd>
    <dt>name</dt><dd id="name">${escape(session.name)}</dd>
    <dt>email</dt><dd id="email">${escape(session.email)}</dd>
    <dt>username</dt><dd id="username">${escape(session.preferred_username)}</dd></dl>
    <form method="post" action="/logout"><button id="sign-out" type="submit">Sign out</button></form>`);
}

/** Routes a Web API Request as the Next.js app does (app/). */
async function route(request) {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/api/auth/')) return Auth(request, authConfig);
  if (pathname === '/' && request.method === 'GET') return home(request);
  if (pathname === '/logout' && request.method === 'POST') return logout(request);
  if (pathname === '/signed-out' && request.method === 'GET') return page('Signed out', '<h1>Signed out</h1><a href="/">Home</a>');
  if (pathname === '/healthz') return new Response('ok');
  return new Response('Not found', { status: 404 });
}

const server = http.createServer(async (req, res) => {
  try {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await new Response(req).arrayBuffer();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      // Hop-by-hop and framing headers belong to this connection, not to the Request built from it.
      if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade'].includes(name)) {
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
    }
    const request = new Request(new URL(req.url, origin), { method: req.method, headers, body });
    const response = await route(request);
    const answer = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') answer[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) answer['set-cookie'] = cookies;
    res.writeHead(response.status, answer);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error('[nextauth-sample] error:', error);
    res.writeHead(500).end();
  }
});

server.listen(Number(options.port), options.host, () => console.log(`nextauth sample listening on ${origin}`));
