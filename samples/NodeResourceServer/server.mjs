// A resource server in plain Node.js (node:http) that accepts AuthService's access tokens, verified with jose.
//
//   node server.mjs --issuer http://localhost:5000 --audience http://127.0.0.1:5207/orders [--port 5207] [--host 127.0.0.1]
//
// GET /orders needs the scope orders.read, POST /orders needs orders.write. The access token is an RFC 9068 JWT:
// - the signature is checked against AuthService's JWKS (jwks_uri of its RFC 8414 metadata) with createRemoteJWKSet,
//   which caches the keys and refetches on an unknown `kid` (signing-key rotation); asymmetric algorithms only;
// - `typ` must be `at+jwt` (RFC 9068 §4 item 1: an ID token is never accepted as an access token);
// - `iss` must equal the issuer exactly (§4 item 3), `aud` must contain this API's identifier (§4 item 4), `exp` must
//   be in the future (§4 item 5);
// - the scope is then checked (§4 last paragraph; RFC 6750 §3.1 insufficient_scope).
// Refusals carry RFC 6750 §3 challenges: no token, 401 `Bearer realm=...` without an error code (§3.1); a bad
// token, 401 `error="invalid_token"`; too little scope, 403 `error="insufficient_scope", scope="..."`.
//
// Prints "resource server listening on <url>" once ready; logs every refusal (never a token) to stderr.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify, errors } from 'jose';

const { values: options } = parseArgs({
  options: {
    issuer: { type: 'string' },
    audience: { type: 'string' },
    port: { type: 'string', default: '5207' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!options.issuer || !options.audience) {
  console.error('usage: node server.mjs --issuer <AuthService issuer> --audience <this API\'s identifier> [--port 5207] [--host 127.0.0.1]');
  process.exit(2);
}

const { issuer, audience } = options;
const realm = 'orders';
const log = (...args) => console.error('[resource-server]', ...args);

// AuthService's JWKS, found through its RFC 8414 metadata on first use (AuthService may start after this API).
let jwksPromise;
function keys() {
  jwksPromise ??= (async () => {
    const response = await fetch(new URL('/.well-known/oauth-authorization-server', issuer));
    if (!response.ok) throw new Error(`authorization server metadata: HTTP ${response.status}`);
    const metadata = await response.json();
    if (metadata.issuer !== issuer) throw new Error(`the metadata names issuer ${metadata.issuer}, not ${issuer}`); // RFC 8414 §3.3
    return createRemoteJWKSet(new URL(metadata.jwks_uri));
  })().catch((error) => {
    jwksPromise = undefined; // try again on the next request
    throw error;
  });
  return jwksPromise;
}

class Refusal extends Error {
  constructor(status, error, description, scope) {
    super(description ?? '');
    this.status = status;
    this.error = error;
    this.scope = scope;
  }
}

/** The verified claims of the request's bearer token with `scope`, or a Refusal. */
async function authorize(request, scope) {
  const header = request.headers.authorization;
  // RFC 6750 §3.1: a request without authentication information gets a challenge without an error code.
  if (!header) throw new Refusal(401, null, null);
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header); // RFC 6750 §2.1 b64token
  if (!match) throw new Refusal(400, 'invalid_request', 'The Authorization header is not a bearer token.');
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], await keys(), {
      issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      requiredClaims: ['exp', 'sub', 'client_id'],
    }));
  } catch (error) {
    const description = error instanceof errors.JWTExpired ? 'The access token has expired.'
      : error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud' ? 'The access token was not issued for this API.'
        : 'The access token is not valid.';
    log('refused a token:', description, `(${error.code ?? error.name})`);
    throw new Refusal(401, 'invalid_token', description);
  }
  const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  if (!granted.includes(scope)) {
    log(`refused a token without ${scope} (client ${payload.client_id})`);
    throw new Refusal(403, 'insufficient_scope', `The request needs the scope ${scope}.`, scope);
  }
  return payload;
}

/** RFC 6750 §3: the WWW-Authenticate challenge of a refusal. */
function challenge(refusal) {
  const parts = [`realm="${realm}"`];
  if (refusal.error) parts.push(`error="${refusal.error}"`);
  if (refusal.message) parts.push(`error_description="${refusal.message}"`);
  if (refusal.scope) parts.push(`scope="${refusal.scope}"`);
  return `Bearer ${parts.join(', ')}`;
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

const orders = [{ id: 1, item: 'A book', quantity: 1 }];

const server = http.createServer(async (request, response) => {
  const { pathname } = new URL(request.url, `http://${request.headers.host ?? 'localhost'}`);
  try {
    if (pathname === '/healthz') return send(response, 200, { status: 'ok' });
    if (pathname !== '/orders') return send(response, 404, { error: 'not found' });
    if (request.method === 'GET') {
      const claims = await authorize(request, 'orders.read');
      return send(response, 200, { sub: claims.sub, client_id: claims.client_id, orders });
    }
    if (request.method === 'POST') {
      const claims = await authorize(request, 'orders.write');
      const order = { id: orders.length + 1, item: 'Another book', quantity: 1, placed_by: claims.sub };
      orders.push(order);
      return send(response, 201, order);
    }
    return send(response, 405, { error: 'method not allowed' }, { Allow: 'GET, POST' });
  } catch (error) {
    if (error instanceof Refusal) {
      return send(response, error.status, error.error ? { error: error.error, error_description: error.message } : undefined,
        { 'WWW-Authenticate': challenge(error) });
    }
    log('error:', error.message);
    return send(response, 503, { error: 'temporarily_unavailable' }); // e.g. AuthService's JWKS unreachable
  }
});

server.listen(Number(options.port), options.host, () => {
  console.log(`resource server listening on http://${options.host}:${options.port}`);
});
