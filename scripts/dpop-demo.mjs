#!/usr/bin/env node
// DPoP (RFC 9449) end to end against a running AuthService with the demo seed (bash scripts/run.sh).
// Node 20+, no packages: makes an ES256 key, signs proofs, and calls the token endpoint and UserInfo.
//   node scripts/dpop-demo.mjs [base URL, default http://localhost:5000]
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';

const base = (process.argv[2] ?? 'http://localhost:5000').replace(/\/$/, '');
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// A DPoP key: the private half never leaves this process; the public JWK goes in every proof.
function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk = { kty, crv, x, y };
  // RFC 7638: SHA-256 of the required members in lexicographic order.
  const jkt = b64url(createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest());
  return { privateKey, jwk, jkt };
}

// RFC 9449 §4.2: typ dpop+jwt, the public jwk; jti, htm, htu, iat; ath with an access token; nonce when asked.
function proof(key, htm, htu, { accessToken, nonce } = {}) {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
  const claims = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) };
  if (accessToken) claims.ath = b64url(createHash('sha256').update(accessToken).digest());
  if (nonce) claims.nonce = nonce;
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

const metadata = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
console.log('dpop_signing_alg_values_supported:', metadata.dpop_signing_alg_values_supported.join(' '));

// A token request with a fresh proof; once more with the server's nonce if it asks for one (RFC 9449 §8).
async function tokenRequest(key, form, basic) {
  let nonce;
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', DPoP: proof(key, 'POST', metadata.token_endpoint, { nonce }) };
    if (basic) headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    const response = await fetch(metadata.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form) });
    const body = await response.json();
    if (body.error === 'use_dpop_nonce' && attempt === 0) {
      nonce = response.headers.get('DPoP-Nonce');
      continue;
    }
    return body;
  }
}

const cnfOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url')).cnf;

// 1. A service: client credentials, access token bound to the key.
const serviceKey = newKey();
const service = await tokenRequest(serviceKey, { grant_type: 'client_credentials' }, 'demo-service:demo-service-secret-change-me');
console.log('\n1. client_credentials: token_type', service.token_type, 'cnf', JSON.stringify(cnfOf(service.access_token)), 'key jkt', serviceKey.jkt);

// 2. A person, through the public client demo-native, with the code bound to the key by dpop_jkt (RFC 9449 §10).
const key = newKey();
const verifier = b64url(randomBytes(48));
const challenge = b64url(createHash('sha256').update(verifier).digest());
const redirectUri = 'http://127.0.0.1/callback';
const authorize = `${metadata.authorization_endpoint}?` + new URLSearchParams({
  response_type: 'code', client_id: 'demo-native', redirect_uri: redirectUri, scope: 'openid profile offline_access',
  state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', dpop_jkt: key.jkt,
});

// A browser without JavaScript: a cookie jar and the pages' hidden fields.
const jar = new Map();
async function browse(url, form) {
  const headers = { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(new URL(url, base), { method: form ? 'POST' : 'GET', headers, body: form && new URLSearchParams(form), redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return response;
}
const hidden = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))[1].replaceAll('&amp;', '&').replaceAll('&#x2B;', '+').replaceAll('&#x3D;', '=').replaceAll('&#x2F;', '/');

let response = await browse(authorize);
for (let page = 0; page < 4 && response.status === 200; page++) {
  const html = await response.text();
  const fields = { csrf_token: hidden(html, 'csrf_token'), request: hidden(html, 'request') };
  response = html.includes('name="password"')
    ? await browse('/account/login', { ...fields, username: 'alice', password: 'alice-demo-password' })
    : await browse('/account/consent', { ...fields, decision: 'allow' });
  while (response.status === 303 && !response.headers.get('location').startsWith(redirectUri)) {
    response = await browse(response.headers.get('location'));
  }
}
const code = new URL(response.headers.get('location')).searchParams.get('code');

const tokens = await tokenRequest(key, { grant_type: 'authorization_code', client_id: 'demo-native', code, code_verifier: verifier, redirect_uri: redirectUri });
console.log('\n2. authorization_code: token_type', tokens.token_type, 'cnf', JSON.stringify(cnfOf(tokens.access_token)), 'key jkt', key.jkt);

// 3. UserInfo: Authorization: DPoP <token>, with a proof for this request that covers the token (ath).
const userinfo = (scheme, withProof) => fetch(metadata.userinfo_endpoint, {
  headers: { Authorization: `${scheme} ${tokens.access_token}`, ...(withProof ? { DPoP: proof(key, 'GET', metadata.userinfo_endpoint, { accessToken: tokens.access_token }) } : {}) },
});
response = await userinfo('DPoP', true);
console.log('\n3. UserInfo with DPoP:', response.status, await response.text());
response = await userinfo('Bearer', false);
console.log('   the same token as a bearer token:', response.status, response.headers.get('www-authenticate'));

// 4. Refresh: the public client's refresh token works only with its key.
const thief = await tokenRequest(newKey(), { grant_type: 'refresh_token', client_id: 'demo-native', refresh_token: tokens.refresh_token });
console.log('\n4. refresh with another key:', JSON.stringify(thief));
const refreshed = await tokenRequest(key, { grant_type: 'refresh_token', client_id: 'demo-native', refresh_token: tokens.refresh_token });
console.log('   refresh with the key: token_type', refreshed.token_type, 'new refresh token:', refreshed.refresh_token !== tokens.refresh_token);
