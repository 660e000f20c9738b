// openid-client (unmodified, pinned in package.json) authenticates with private_key_jwt (OIDC Core §9)
// against the real server for the client_credentials grant.
// With "dpop" as the fifth argument the request also carries a DPoP proof made by openid-client (RFC 9449), and
// the summary says whether the access token's cnf.jkt is the thumbprint of openid-client's DPoP key.
// Usage: node private-key-jwt.mjs <issuer> <client_id> <private JWK as JSON> <scope> [dpop]
// Prints one JSON summary line on stdout.
import * as client from 'openid-client';
import * as jose from 'jose';

const [issuer, clientId, privateJwkJson, scope, mode] = process.argv.slice(2);
const privateJwk = JSON.parse(privateJwkJson);
const key = await crypto.subtle.importKey('jwk', privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

const config = await client.discovery(
  new URL(issuer), clientId, {}, client.PrivateKeyJwt({ key, kid: privateJwk.kid }),
  { execute: [client.allowInsecureRequests] });
const metadata = config.serverMetadata();
const dpopKeys = mode === 'dpop' ? await client.randomDPoPKeyPair('ES256') : undefined;
const tokens = await client.clientCredentialsGrant(
  config, { scope }, dpopKeys ? { DPoP: client.getDPoPHandle(config, dpopKeys) } : undefined);
const cnf = jose.decodeJwt(tokens.access_token).cnf;
const dpopJkt = dpopKeys ? await jose.calculateJwkThumbprint(await jose.exportJWK(dpopKeys.publicKey)) : null;

console.log(JSON.stringify({
  dpop_algs: metadata.dpop_signing_alg_values_supported ?? [],
  cnf_jkt_matches: dpopJkt !== null && cnf?.jkt === dpopJkt,
  advertised: metadata.token_endpoint_auth_methods_supported.includes('private_key_jwt'),
  token_type: tokens.token_type,
  scope: tokens.scope,
  has_access_token: typeof tokens.access_token === 'string' && tokens.access_token.length > 0,
}));
