#!/usr/bin/env node
// The person's side of AuthService end to end, in a real browser, against a running server with the demo seed
// (bash scripts/run.sh, fresh data: rm -rf src/WebApi/data first). Debian's Chromium (/usr/bin/chromium) is driven
// with playwright-core from tests/Integration.Tests/Interop (npm ci there once); passkeys are made by Chromium's
// virtual authenticator (the CDP WebAuthn domain), TOTP codes computed here (RFC 6238), and e-mailed links read from
// the pickup folder the server writes without SMTP (src/WebApi/data/mail). Each step ends with the ID token the demo
// web client gets for it and the amr/acr it carries.
//   node scripts/people-demo.mjs [base URL, default http://localhost:5000]
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(repo, 'tests/Integration.Tests/Interop/package.json'))('playwright-core');
const base = (process.argv[2] ?? 'http://localhost:5000').replace(/\/$/, '');
const mailFolder = join(repo, 'src/WebApi/data/mail');
const client = { id: 'demo-web', secret: 'demo-web-secret-change-me', redirect: 'http://127.0.0.1:8765/callback' };
const alice = { username: 'alice', password: 'alice-demo-password', email: 'alice@example.com' };
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// RFC 6238 with the RFC 4226 §5.3 dynamic truncation: SHA-1, 6 digits, 30-second steps.
function totp(base32Key, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Key.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// The newest .eml in the pickup folder since `since`, its first link with a token (quoted-printable undone).
function latestLink(since) {
  const files = readdirSync(mailFolder).map((f) => join(mailFolder, f)).filter((f) => statSync(f).mtimeMs >= since);
  if (files.length === 0) throw new Error(`no message in ${mailFolder} since the request`);
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const text = readFileSync(newest, 'latin1').replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  return text.match(/https?:\/\/[^\s"<>]+token=[A-Za-z0-9_-]+/)[0];
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext();
const page = await context.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('  [browser console error]', m.text()));
// The client's redirect URI: nothing listens there; the browser's request is answered here and its URL kept.
let callback;
await context.route(`${client.redirect}**`, (route) => { callback = new URL(route.request().url()); return route.fulfill({ body: 'ok' }); });

// A CTAP2 platform authenticator with user verification, as a phone or laptop has (WebAuthn L3 §6.2).
const cdp = await context.newCDPSession(page);
await cdp.send('WebAuthn.enable');
await cdp.send('WebAuthn.addVirtualAuthenticator', {
  options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
});

// One authorization code flow with PKCE; `interact` drives the pages between the request and the callback.
async function authorize(title, extra, interact) {
  const verifier = b64url(randomBytes(32));
  const query = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: client.redirect, scope: 'openid profile offline_access',
    state: b64url(randomBytes(8)), nonce: b64url(randomBytes(8)), code_challenge_method: 'S256',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), ...extra,
  });
  callback = undefined;
  await page.goto(`${base}/connect/authorize?${query}`);
  await interact();
  await allowIfAsked();
  for (let i = 0; i < 100 && !callback; i++) await page.waitForTimeout(100);
  if (!callback) throw new Error(`${title}: no redirect to the client (page: ${await page.locator('h1').first().innerText()})`);
  if (callback.searchParams.get('error')) {
    console.log(`${title}: error=${callback.searchParams.get('error')}`);
    return;
  }
  const response = await fetch(`${base}/connect/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: client.redirect, code_verifier: verifier }),
  });
  const tokens = await response.json();
  const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
  console.log(`${title}: HTTP ${response.status}, ID token sub=${claims.sub} amr=${JSON.stringify(claims.amr)} acr=${claims.acr}`);
}

async function allowIfAsked() {
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  if (await allow.isVisible().catch(() => false)) await allow.click();
}

async function typePassword() {
  await page.fill('#username', alice.username);
  await page.fill('#password', alice.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut() {
  await page.goto(`${base}/account`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState();
}

console.log(`discovery acr_values_supported: ${(await (await fetch(`${base}/.well-known/openid-configuration`)).json()).acr_values_supported.join(' ')}`);

// 1. The password alone.
await authorize('1. password', {}, async () => {
  await typePassword();
  await page.waitForLoadState();
});

// 2. An authenticator app added on the account page (the key read from the page, the code computed here).
await page.goto(`${base}/account/security`);
await page.getByRole('button', { name: 'Add an authenticator app' }).click();
const key = await page.locator('#totp-secret').innerText();
// Each time step's code is accepted once (RFC 6238 §5.2): wait for a step not used yet.
let lastStep = 0;
async function freshCode() {
  while (Math.floor(Date.now() / 30000) <= lastStep) await page.waitForTimeout(1000);
  lastStep = Math.floor(Date.now() / 30000);
  return totp(key);
}
await page.fill('#confirm-code', await freshCode());
await page.getByRole('button', { name: 'Confirm', exact: true }).click();
console.log(`2. authenticator app: ${await page.locator('#totp-state').innerText()}`);

// 3. Step-up: the session signed in with the password alone; the client asks for two factors (acr_values).
await authorize('3. step-up with acr_values=urn:authservice:acr:mfa', { acr_values: 'urn:authservice:acr:mfa' }, async () => {
  await page.locator('h1', { hasText: 'Second step' }).waitFor();
  console.log(`   second step asks for a password field? ${(await page.locator('input[type=password]').count()) > 0}`);
  await page.fill('#code', await freshCode());
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
});

// 4. A passkey registered on the account page.
await page.goto(`${base}/account/passkeys`);
await page.fill('#passkey-name', 'Demo laptop');
await page.getByRole('button', { name: 'Add a passkey' }).click();
await page.getByRole('button', { name: 'Continue with your passkey' }).click();
await page.locator('#passkeys').waitFor();
console.log(`4. passkeys: ${(await page.locator('#passkeys li strong').allInnerTexts()).join(', ')}`);

// 5. Signed out; passwordless sign-in with the passkey on the authorization flow's sign-in page.
await signOut();
await authorize('5. passkey alone', {}, async () => {
  await page.locator('#passkey-sign-in').click();
  await page.getByRole('button', { name: 'Continue with your passkey' }).click();
  await page.waitForLoadState();
});

// 6. Signed out; the password, then the passkey as the second factor (the second step offers the code or a passkey).
await signOut();
await authorize('6. password + passkey', {}, async () => {
  await typePassword();
  await page.locator('#passkey-second-factor').click();
  await page.getByRole('button', { name: 'Continue with your passkey' }).click();
  await page.waitForLoadState();
});

// 7. Signed out; a sign-in link asked for on the authorization flow's sign-in page, opened from the message, then the code.
await signOut();
await authorize('7. e-mailed sign-in link + code', {}, async () => {
  await page.getByRole('link', { name: 'E-mail me a sign-in link' }).click();
  await page.fill('#email', alice.email);
  const asked = Date.now() - 1000;
  await page.locator('form button[type=submit]').click();
  await page.waitForLoadState();
  let link;
  for (let i = 0; i < 100 && !link; i++) {
    try { link = latestLink(asked); } catch { await page.waitForTimeout(200); }
  }
  console.log(`   the message's link: ${link.replace(/token=.*/, 'token=…')}`);
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('h1', { hasText: 'Second step' }).waitFor();
  await page.fill('#code', await freshCode());
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
});

await browser.close();
