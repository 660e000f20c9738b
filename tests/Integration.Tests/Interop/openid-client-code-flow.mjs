// openid-client (unmodified, pinned in package.json) runs the authorization code flow against the real server
// with every request it can make sender-constrained and pushed:
//   discovery → pushed authorization request (RFC 9126) with a private_key_jwt assertion (OIDC Core §9, RFC 7523),
//   openid-client's DPoP proof and dpop_jkt (RFC 9449 §10: the code is bound to the key; this server binds it from
//   dpop_jkt, not from the PAR request's proof) → the user signs in and consents (browser.mjs) →
//   code grant with PKCE S256, state and nonce checked and the ID token validated by openid-client, with DPoP →
//   UserInfo with Authorization: DPoP → refresh with DPoP. Then the same access token as a bearer token must fail.
//
//   node openid-client-code-flow.mjs <issuer> <client_id> <private JWK as JSON> <redirect_uri> <username> <password> [id_token_alg]
//
// id_token_alg is the client's registered id_token_signed_response_alg (default RS256), which openid-client checks.
// Diagnostics go to stderr; the last stdout line is a JSON summary. Any failure: message on stderr, exit 1.
// Used by OpenIdClientCodeFlowTests.cs (AuthService.Integration.Tests.Interop).
import * as client from 'openid-client';
import * as jose from 'jose';
import { browserStandIn } from './browser.mjs';

const [issuerArg, clientId, privateJwkJson, redirectUri, username, password, idTokenAlg = 'RS256'] = process.argv.slice(2);
if (!password) {
  console.error('usage: node openid-client-code-flow.mjs <issuer> <client_id> <private JWK> <redirect_uri> <username> <password> [id_token_alg]');
  process.exit(2);
}

const log = (...args) => console.error('[openid-client]', ...args);
const { actAsUser } = browserStandIn({ redirectUri, username, password, log });

async function main() {
  const issuer = new URL(issuerArg);
  const privateJwk = JSON.parse(privateJwkJson);
  const key = await crypto.subtle.importKey('jwk', privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

  // The test server speaks plain http on loopback; openid-client refuses non-https unless told otherwise.
  const config = await client.discovery(
    issuer, clientId, { id_token_signed_response_alg: idTokenAlg }, client.PrivateKeyJwt({ key, kid: privateJwk.kid }),
    { execute: [client.allowInsecureRequests] });
  const metadata = config.serverMetadata();
  log('discovered', metadata.issuer, 'PAR endpoint', metadata.pushed_authorization_request_endpoint);

  const dpopKeys = await client.randomDPoPKeyPair('ES256');
  const dpopJkt = await jose.calculateJwkThumbprint(await jose.exportJWK(dpopKeys.publicKey));
  const DPoP = client.getDPoPHandle(config, dpopKeys);

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
    dpop_jkt: dpopJkt,
  }, { DPoP });
  const frontChannelParameters = [...authorizationUrl.searchParams.keys()].sort();
  log('authorization URL parameters', frontChannelParameters.join(', '));

  const { callback, pagesSeen } = await actAsUser(authorizationUrl.href, issuer.origin);
  log('pages seen', pagesSeen.join(', '), '; callback has', [...callback.searchParams.keys()].join(', '));

  // openid-client checks iss (RFC 9207), state, PKCE and the ID token (alg = id_token_signed_response_alg, iss, aud,
  // exp, iat, nonce) here; like every oauth4webapi-based client it does not verify the signature of an ID token that
  // came straight from the token endpoint over TLS (OIDC Core §3.1.3.7 item 6). flow.mjs verifies signatures with jose.
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
    undefined, { DPoP });
  const claims = tokens.claims();
  log('code grant: token_type', tokens.token_type, 'sub', claims.sub, 'scope', tokens.scope);
  if (!tokens.refresh_token) throw new Error('no refresh_token in the code grant response (offline_access was asked for)');

  const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP });
  log('UserInfo', JSON.stringify(userInfo));

  // The DPoP-bound access token without its proof (RFC 9449 §7.1: presented as a bearer token) must be refused.
  let bearerRefused = false;
  try {
    await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  } catch (e) {
    log('UserInfo with the token as a bearer token refused:', e?.constructor?.name, e?.status ?? e?.cause?.status ?? '', e?.message);
    bearerRefused = e instanceof client.WWWAuthenticateChallengeError || e instanceof client.ResponseBodyError;
  }

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP });
  log('refreshed: token_type', refreshed.token_type, 'new refresh token', !!refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);

  console.log(JSON.stringify({
    issuer: metadata.issuer,
    front_channel_parameters: frontChannelParameters,
    pages: pagesSeen,
    iss_in_response: callback.searchParams.get('iss'),
    token_type: tokens.token_type,
    dpop_jkt: dpopJkt,
    cnf_jkt: jose.decodeJwt(tokens.access_token).cnf?.jkt ?? null,
    id_token_alg: jose.decodeProtectedHeader(tokens.id_token).alg,
    sub: claims.sub,
    userinfo_sub: userInfo.sub,
    userinfo_email: userInfo.email ?? null,
    bearer_refused: bearerRefused,
    refreshed_token_type: refreshed.token_type,
    refreshed_cnf_jkt: jose.decodeJwt(refreshed.access_token).cnf?.jkt ?? null,
    refresh_rotated: !!refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token,
  }));
}

main().catch((error) => {
  console.error('[openid-client] FAILED:', error?.constructor?.name ?? 'Error', error?.code ?? '', error?.message ?? String(error));
  const cause = error?.cause;
  if (cause instanceof Error) console.error('[openid-client] cause:', cause.code ?? '', cause.message);
  else if (cause !== undefined) console.error('[openid-client] cause:', JSON.stringify(cause));
  process.exit(1);
});
