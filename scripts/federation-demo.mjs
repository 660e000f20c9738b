#!/usr/bin/env node
// The browser half of scripts/federation-demo.sh: the demo web client signs people in through the "Corp SSO" upstream
// (a second AuthService). Debian's Chromium driven with playwright-core from tests/Integration.Tests/Interop.
//   node scripts/federation-demo.mjs [base URL, default http://localhost:5000]
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(repo, 'tests/Integration.Tests/Interop/package.json'))('playwright-core');
const base = (process.argv[2] ?? 'http://localhost:5000').replace(/\/$/, '');
const client = { id: 'demo-web', secret: 'demo-web-secret-change-me', redirect: 'http://127.0.0.1:8765/callback' };
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

// One authorization code flow with PKCE in a fresh browser (no session here or upstream); `interact` drives the pages.
async function authorize(title, extra, interact) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('  [browser console error]', m.text()));
  let callback;
  await context.route(`${client.redirect}**`, (route) => { callback = new URL(route.request().url()); return route.fulfill({ body: 'ok' }); });
  const verifier = b64url(randomBytes(32));
  const query = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: client.redirect, scope: 'openid profile email',
    state: b64url(randomBytes(8)), nonce: b64url(randomBytes(8)), code_challenge_method: 'S256',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), ...extra,
  });
  await page.goto(`${base}/connect/authorize?${query}`);
  await interact(page);
  for (let i = 0; i < 100 && !callback; i++) {
    const allow = page.getByRole('button', { name: 'Allow', exact: true });
    if (await allow.isVisible().catch(() => false)) await allow.click();
    await page.waitForTimeout(100);
  }
  if (!callback) throw new Error(`${title}: no redirect to the client (page: ${await page.locator('h1').first().innerText()})`);
  const response = await fetch(`${base}/connect/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: client.redirect, code_verifier: verifier }),
  });
  const tokens = await response.json();
  const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
  console.log(`${title}: HTTP ${response.status}, ID token iss=${claims.iss} sub=${claims.sub} email=${claims.email} amr=${JSON.stringify(claims.amr)} acr=${claims.acr}`);
  await context.close();
  return claims;
}

// The upstream's own sign-in page (an AuthService login form).
async function upstreamSignIn(page, username, password) {
  await page.waitForURL((url) => url.port === '5100');
  console.log(`   at the upstream: ${page.url().split('?')[0]}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const local = await authorize('1. alice with her password here', {}, async (page) => {
  await page.fill('#username', 'alice');
  await page.fill('#password', 'alice-demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
});

const carol = await authorize('2. carol through Corp SSO (first time: an account is provisioned)', {}, async (page) => {
  await page.click('#external-corp');
  await upstreamSignIn(page, 'carol', 'carol-upstream-password');
});

await authorize('3. carol again, straight to Corp SSO with idp_hint=corp', { idp_hint: 'corp' }, async (page) => {
  await upstreamSignIn(page, 'carol', 'carol-upstream-password');
});

const linked = await authorize('4. alice-at-corp (same address as alice): proves the local password, then linked', {}, async (page) => {
  await page.click('#external-corp');
  await upstreamSignIn(page, 'alice-at-corp', 'alice-corp-password');
  await page.locator('h1', { hasText: 'Link your account' }).waitFor();
  console.log(`   proof page: ${await page.locator('p').first().innerText()}`);
  await page.fill('#password', 'alice-demo-password');
  await page.getByRole('button', { name: 'Sign in and link' }).click();
});

const again = await authorize('5. alice-at-corp again: the link alone signs alice in', {}, async (page) => {
  await page.click('#external-corp');
  await upstreamSignIn(page, 'alice-at-corp', 'alice-corp-password');
});

console.log(`same local sub for alice by password, by proof-and-link and by the link: ${local.sub === linked.sub && linked.sub === again.sub}`);
console.log(`carol's local sub differs from alice's: ${carol.sub !== local.sub}`);
await browser.close();
