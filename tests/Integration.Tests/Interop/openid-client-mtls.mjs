// openid-client (unmodified, pinned in package.json) authenticates with tls_client_auth (RFC 8705 §2.1) against the
// real server: it discovers the server, uses the mtls_endpoint_aliases (RFC 8705 §5, use_mtls_endpoint_aliases) and
// presents the client certificate through its customFetch hook with an undici Agent, as openid-client documents.
//   client_credentials: token → introspection, both over mutual TLS.
//   code: PAR → the user signs in and consents (browser.mjs) → code grant (PKCE S256, state, nonce, ID token checked
//         by openid-client) → UserInfo → refresh, all over mutual TLS; then UserInfo with the same access token
//         from a configuration without the certificate must fail (RFC 8705 §3: the token is certificate-bound).
// The summary reports cnf["x5t#S256"] of the access tokens and which URLs openid-client fetched.
//
//   node openid-client-mtls.mjs <issuer> <client_id> <client cert PEM> <client key PEM> <server cert PEM> client_credentials <scope>
//   node openid-client-mtls.mjs <issuer> <client_id> <client cert PEM> <client key PEM> <server cert PEM> code <redirect_uri> <username> <password>
//
// The server certificate is the only trust anchor for the mutual-TLS listener (it is self-signed for 127.0.0.1).
// Diagnostics go to stderr; the last stdout line is a JSON summary. Any failure: message on stderr, exit 1.
// Used by OpenIdClientMutualTlsTests.cs (AuthService.Integration.Tests.Interop).
import * as client from 'openid-client';
import * as jose from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import { browserStandIn } from './browser.mjs';

const [issuerArg, clientId, cert, key, serverCa, mode, ...rest] = process.argv.slice(2);
if (mode !== 'client_credentials' && mode !== 'code') {
  console.error('usage: see the head of openid-client-mtls.mjs');
  process.exit(2);
}

const log = (...args) => console.error('[openid-client mtls]', ...args);

/** A configuration of tls_client_auth using the mTLS aliases; with a certificate unless told otherwise. */
async function configure(issuer, { withCertificate }) {
  const config = await client.discovery(issuer, clientId, { use_mtls_endpoint_aliases: withCertificate }, client.TlsClientAuth(),
    { execute: [client.allowInsecureRequests] }); // discovery is on the plain-http listener of the test server
  const fetched = [];
  if (withCertificate) {
    const agent = new Agent({ connect: { cert, key, ca: serverCa } });
    config[client.customFetch] = (url, options) => {
      fetched.push(new URL(url).origin + new URL(url).pathname);
      return undiciFetch(url, { ...options, dispatcher: agent });
    };
  }
  return { config, fetched };
}

const cnfOf = (accessToken) => jose.decodeJwt(accessToken).cnf?.['x5t#S256'] ?? null;

async function clientCredentials(issuer, scope) {
  const { config, fetched } = await configure(issuer, { withCertificate: true });
  const tokens = await client.clientCredentialsGrant(config, { scope });
  log('client_credentials: token_type', tokens.token_type, 'scope', tokens.scope);
  const introspection = await client.tokenIntrospection(config, tokens.access_token);
  log('introspection', JSON.stringify(introspection));
  return {
    token_type: tokens.token_type,
    scope: tokens.scope,
    cnf_x5t_s256: cnfOf(tokens.access_token),
    introspection_active: introspection.active,
    introspection_cnf_x5t_s256: introspection.cnf?.['x5t#S256'] ?? null,
    fetched,
  };
}

async function codeFlow(issuer, [redirectUri, username, password]) {
  const { config, fetched } = await configure(issuer, { withCertificate: true });
  const { actAsUser } = browserStandIn({ redirectUri, username, password, log });
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'consent', // offline_access (OIDC Core §11) asks for consent
  });
  const { callback, pagesSeen } = await actAsUser(authorizationUrl.href, issuer.origin);
  log('pages seen', pagesSeen.join(', '), '; callback has', [...callback.searchParams.keys()].join(', '));

  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const claims = tokens.claims();
  log('code grant: token_type', tokens.token_type, 'sub', claims.sub);
  if (!tokens.refresh_token) throw new Error('no refresh_token in the code grant response (offline_access was asked for)');
  const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  log('refreshed: token_type', refreshed.token_type);

  // The same access token from a client without the certificate, at the plain listener's UserInfo endpoint.
  const { config: withoutCertificate } = await configure(issuer, { withCertificate: false });
  let refusedWithoutCertificate = false;
  try {
    await client.fetchUserInfo(withoutCertificate, tokens.access_token, claims.sub);
  } catch (e) {
    log('UserInfo without the certificate refused:', e?.constructor?.name, e?.message);
    refusedWithoutCertificate = e instanceof client.WWWAuthenticateChallengeError || e instanceof client.ResponseBodyError;
  }

  return {
    pages: pagesSeen,
    iss_in_response: callback.searchParams.get('iss'),
    token_type: tokens.token_type,
    cnf_x5t_s256: cnfOf(tokens.access_token),
    sub: claims.sub,
    userinfo_sub: userInfo.sub,
    refreshed_cnf_x5t_s256: cnfOf(refreshed.access_token),
    refused_without_certificate: refusedWithoutCertificate,
    fetched,
  };
}

async function main() {
  const issuer = new URL(issuerArg);
  const summary = mode === 'code' ? await codeFlow(issuer, rest) : await clientCredentials(issuer, rest[0]);
  console.log(JSON.stringify(summary));
}

main().catch((error) => {
  console.error('[openid-client mtls] FAILED:', error?.constructor?.name ?? 'Error', error?.code ?? '', error?.message ?? String(error));
  const cause = error?.cause;
  if (cause instanceof Error) console.error('[openid-client mtls] cause:', cause.code ?? '', cause.message);
  else if (cause !== undefined) console.error('[openid-client mtls] cause:', JSON.stringify(cause));
  process.exit(1);
});
