// Drives the off-the-shelf OIDC client library oauth4webapi (by panva) against a running AuthService.
//
//   node flow.mjs <issuer> <client_id> <client_secret> <redirect_uri> <username> <password> [id_token_alg]
//
// Everything protocol-related is oauth4webapi's: discovery, PKCE, state/nonce, the authorization
// response check (RFC 9207 iss), the code grant and ID token validation, UserInfo, refresh, introspection
// and revocation. The signatures of the ID token and the access token are then checked the way a
// resource server would, with the npm package jose (jwtVerify against the server's JWKS; RFC 9068 typ).
// id_token_alg is the client's registered id_token_signed_response_alg (default RS256), which
// oauth4webapi insists on. Only the "user" is hand-written: fetch with redirect: 'manual' and a tiny cookie jar that
// signs in on the server's page, allows consent, and stops at the redirect to the client's redirect URI
// (browser.mjs, shared with the openid-client scripts).
//
// Diagnostics go to stderr; the last stdout line is a JSON summary. Any failure: message on stderr, exit 1.
// Used by Oauth4WebApiTests.cs (AuthService.Integration.Tests.Interop).

import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { browserStandIn } from './browser.mjs';

const [issuerArg, clientId, clientSecret, redirectUri, username, password, idTokenAlg = 'RS256'] = process.argv.slice(2);
if (!password) {
  console.error('usage: node flow.mjs <issuer> <client_id> <client_secret> <redirect_uri> <username> <password> [id_token_alg]');
  process.exit(2);
}

const log = (...args) => console.error('[flow]', ...args);

// The test server speaks plain http on loopback; oauth4webapi refuses non-https unless told otherwise.
const insecure = { [oauth.allowInsecureRequests]: true };

const { actAsUser } = browserStandIn({ redirectUri, username, password, log });

// ---------------------------------------------------------------------------------------------------
// The relying party: oauth4webapi only.
// ---------------------------------------------------------------------------------------------------
async function main() {
  const issuer = new URL(issuerArg);

  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  log('discovered', as.issuer, 'token endpoint', as.token_endpoint);

  const client = { client_id: clientId, id_token_signed_response_alg: idTokenAlg };
  const clientAuth = oauth.ClientSecretBasic(clientSecret);

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();

  const authorizationUrl = new URL(as.authorization_endpoint);
  authorizationUrl.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    prompt: 'consent', // offline_access (OIDC Core §11) asks for consent
  }).toString();

  const { callback, pagesSeen } = await actAsUser(authorizationUrl.href, issuer.origin);
  log('pages seen', pagesSeen.join(', '), '; callback has', [...callback.searchParams.keys()].join(', '));

  const callbackParameters = oauth.validateAuthResponse(as, client, callback, state);

  const tokenResponse = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, callbackParameters, redirectUri, codeVerifier, insecure),
    { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokenResponse);
  log('ID token: sub', claims.sub, 'aud', claims.aud, 'token_type', tokenResponse.token_type, 'scope', tokenResponse.scope);
  if (!tokenResponse.refresh_token) throw new Error('no refresh_token in the code grant response (offline_access was asked for)');

  const verified = await verifyWithJose(as, tokenResponse);

  const userInfo = await oauth.processUserInfoResponse(as, client, claims.sub,
    await oauth.userInfoRequest(as, client, tokenResponse.access_token, insecure));
  log('UserInfo', JSON.stringify(userInfo));

  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokenResponse.refresh_token, insecure));
  const refreshedClaims = oauth.getValidatedIdTokenClaims(refreshed);
  log('refreshed: new access token', refreshed.access_token !== tokenResponse.access_token,
    'new refresh token', !!refreshed.refresh_token && refreshed.refresh_token !== tokenResponse.refresh_token,
    'ID token', refreshedClaims ? `sub ${refreshedClaims.sub}` : 'none');
  if (refreshedClaims && refreshedClaims.sub !== claims.sub) throw new Error('the refreshed ID token has another sub');

  const introspect = async (token) => oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, clientAuth, token, insecure));

  const activeBefore = await introspect(refreshed.access_token);
  log('introspection before revocation', JSON.stringify(activeBefore));
  if (activeBefore.active !== true) throw new Error('the refreshed access token is not active');

  // Revoke the newest refresh token (RFC 7009 §2.1: the grant's access tokens go with it where supported).
  const toRevoke = refreshed.refresh_token ?? tokenResponse.refresh_token;
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, toRevoke, { ...insecure, additionalParameters: { token_type_hint: 'refresh_token' } }));
  const refreshAfter = await introspect(toRevoke);
  log('introspection of the revoked refresh token', JSON.stringify(refreshAfter));

  let refreshRejected = false;
  try {
    await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, toRevoke, insecure));
  } catch (e) {
    if (!(e instanceof oauth.ResponseBodyError)) throw e;
    log('refresh with the revoked token rejected:', e.error, e.error_description ?? '');
    refreshRejected = e.error === 'invalid_grant';
  }

  const summary = {
    issuer: as.issuer,
    pages: pagesSeen,
    iss_in_response: callback.searchParams.get('iss'),
    sub: claims.sub,
    id_token_aud: claims.aud,
    id_token_nonce_ok: claims.nonce === nonce,
    email: userInfo.email,
    name: userInfo.name,
    userinfo_sub: userInfo.sub,
    refreshed: typeof refreshed.access_token === 'string' && refreshed.access_token !== tokenResponse.access_token,
    refresh_rotated: !!refreshed.refresh_token && refreshed.refresh_token !== tokenResponse.refresh_token,
    introspection_active: activeBefore.active,
    introspection_client_id: activeBefore.client_id ?? null,
    introspection_sub: activeBefore.sub ?? null,
    revoked: refreshAfter.active === false && refreshRejected,
    ...verified,
  };
  console.log(JSON.stringify(summary));
}

/**
 * jose's jwtVerify of both tokens against the published JWKS (fetched by jose itself from jwks_uri): the
 * signature with the key the kid names, the algorithm from an allow-list, iss, aud (ID token), typ at+jwt
 * (access token, RFC 9068 §4) and exp. A token with one payload character changed must be refused.
 */
async function verifyWithJose(as, tokenResponse) {
  const jwks = createRemoteJWKSet(new URL(as.jwks_uri));
  const algorithms = ['ES256', 'RS256', 'EdDSA'];
  const idToken = await jwtVerify(tokenResponse.id_token, jwks, { issuer: as.issuer, audience: clientId, algorithms });
  const accessToken = await jwtVerify(tokenResponse.access_token, jwks, { issuer: as.issuer, typ: 'at+jwt', algorithms });
  log('jose verified: ID token', idToken.protectedHeader.alg, idToken.protectedHeader.kid, '; access token', accessToken.protectedHeader.alg, accessToken.protectedHeader.kid);

  const [header, payload, signature] = tokenResponse.access_token.split('.');
  const tampered = `${header}.${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}.${signature}`;
  let tamperedRefused = false;
  try {
    await jwtVerify(tampered, jwks, { issuer: as.issuer, typ: 'at+jwt', algorithms });
  } catch (e) {
    tamperedRefused = e?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
    log('jose refused the tampered access token:', e?.code);
  }

  return {
    id_token_alg: decodeProtectedHeader(tokenResponse.id_token).alg,
    access_token_alg: decodeProtectedHeader(tokenResponse.access_token).alg,
    jose_id_token_verified: idToken.payload.sub !== undefined && idToken.protectedHeader.kid !== undefined,
    jose_access_token_verified: accessToken.payload.client_id === clientId,
    jose_refuses_tampered_token: tamperedRefused,
  };
}

main().catch((error) => {
  console.error('[flow] FAILED:', error?.constructor?.name ?? 'Error', error?.code ?? '', error?.message ?? String(error));
  const cause = error?.cause;
  if (cause instanceof Error) console.error('[flow] cause:', cause.code ?? '', cause.message);
  else if (cause !== undefined) console.error('[flow] cause:', JSON.stringify(cause));
  if (error instanceof oauth.ResponseBodyError) console.error('[flow] server said:', error.status, JSON.stringify(error.cause));
  process.exit(1);
});
