// openid-client (unmodified, pinned in package.json) runs the device authorization grant (RFC 8628) against the real
// server as a public client: discovery → initiateDeviceAuthorization → pollDeviceAuthorizationGrant with a DPoP
// handle (RFC 9449), while the user (browser.mjs) opens verification_uri_complete, signs in and allows.
//
//   node openid-client-device-flow.mjs <issuer> <client_id> <username> <password>
//
// Diagnostics go to stderr; the last stdout line is a JSON summary. Any failure: message on stderr, exit 1.
// Used by OpenIdClientDeviceFlowTests.cs (AuthService.Integration.Tests.Interop).
import * as client from 'openid-client';
import * as jose from 'jose';
import { browserStandIn } from './browser.mjs';

const [issuerArg, clientId, username, password] = process.argv.slice(2);
if (!password) {
  console.error('usage: node openid-client-device-flow.mjs <issuer> <client_id> <username> <password>');
  process.exit(2);
}

const log = (...args) => console.error('[openid-client]', ...args);
const { actAsUser } = browserStandIn({ redirectUri: 'urn:unused', username, password, finalPage: /You may return to your device/, log });

async function main() {
  const issuer = new URL(issuerArg);
  const config = await client.discovery(issuer, clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const metadata = config.serverMetadata();
  log('discovered', metadata.issuer, 'device authorization endpoint', metadata.device_authorization_endpoint);

  const response = await client.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
  log('user_code', response.user_code, 'interval', response.interval, 'expires_in', response.expires_in);

  const dpopKeys = await client.randomDPoPKeyPair('ES256');
  const dpopJkt = await jose.calculateJwkThumbprint(await jose.exportJWK(dpopKeys.publicKey));
  const DPoP = client.getDPoPHandle(config, dpopKeys);
  const polling = client.pollDeviceAuthorizationGrant(config, response, undefined, { DPoP, signal: AbortSignal.timeout(120_000) });

  const { pagesSeen } = await actAsUser(response.verification_uri_complete, issuer.origin);
  log('pages seen', pagesSeen.join(', '));

  const tokens = await polling;
  const claims = tokens.claims();
  const access = jose.decodeJwt(tokens.access_token);
  console.log(JSON.stringify({
    device_authorization_endpoint: metadata.device_authorization_endpoint,
    user_code: response.user_code,
    verification_uri: response.verification_uri,
    pages: pagesSeen,
    token_type: tokens.token_type,
    dpop_jkt: dpopJkt,
    cnf_jkt: access.cnf?.jkt ?? null,
    sub: claims.sub,
    access_sub: access.sub,
    sid: claims.sid ?? null,
    auth_time: claims.auth_time ?? null,
    has_refresh_token: Boolean(tokens.refresh_token),
    scope: tokens.scope,
  }));
}

main().catch((e) => {
  console.error('[openid-client] failed:', e?.constructor?.name, e?.code ?? '', e?.message, e?.cause ? JSON.stringify(e.cause) : '');
  process.exit(1);
});
