// A single-page app signed in with AuthService by oidc-client-ts (the browser build, global `oidc`): a public client
// (no secret) using the authorization code flow with PKCE S256 (OAuth 2.1 §4.1, §7.5.1 "browser-based apps").
// - Sign in: a full-page redirect to the authorization endpoint, back at /callback.html.
// - Renew: the refresh token at the token endpoint (no iframe, no third-party cookies). AuthService rotates a public
//   client's refresh token at every use and revokes the family when an old one comes back (RFC 9700 §4.14.2).
// - UserInfo with the access token (OIDC Core §5.3), straight from the browser (CORS).
// - Sign out: RP-initiated logout with id_token_hint; AuthService ends its session and revokes the session's refresh tokens.
// Tokens live in sessionStorage (oidc-client-ts's default): gone when the tab closes, never in a cookie.
import { userManager } from './user-manager.js';

const $ = (id) => document.getElementById(id);

async function fingerprint(token) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function show(user) {
  const signedIn = user !== null && !user.expired;
  $('status').textContent = signedIn ? 'Signed in' : 'Not signed in';
  $('user').hidden = !signedIn;
  $('sign-in').hidden = signedIn;
  for (const id of ['renew', 'userinfo', 'sign-out']) $(id).hidden = !signedIn;
  if (signedIn) {
    $('sub').textContent = user.profile.sub;
    $('name').textContent = user.profile.name ?? '';
    $('access-token').textContent = await fingerprint(user.access_token);
    $('expires-at').textContent = new Date(user.expires_at * 1000).toISOString();
  }
}

async function run(action) {
  $('error').textContent = '';
  try {
    await action();
  } catch (error) {
    $('error').textContent = error.message;
  }
}

$('sign-in').addEventListener('click', () => run(() => userManager.signinRedirect()));
$('renew').addEventListener('click', () => run(async () => show(await userManager.signinSilent())));
$('userinfo').addEventListener('click', () => run(async () => {
  const user = await userManager.getUser();
  const { userinfo_endpoint: endpoint } = await userManager.metadataService.getMetadata();
  const response = await fetch(endpoint, { headers: { Authorization: `Bearer ${user.access_token}` } });
  if (!response.ok) throw new Error(`UserInfo answered ${response.status}: ${response.headers.get('WWW-Authenticate')}`);
  $('userinfo-result').textContent = JSON.stringify(await response.json(), null, 2);
}));
$('sign-out').addEventListener('click', () => run(() => userManager.signoutRedirect()));

await run(async () => show(await userManager.getUser()));
