// openid-client (unmodified, pinned in package.json) authenticates with private_key_jwt (OIDC Core §9)
// against the real server for the client_credentials grant.
// Usage: node private-key-jwt.mjs <issuer> <client_id> <private JWK as JSON> <scope>
// Prints one JSON summary line on stdout.
import * as client from 'openid-client';

const [issuer, clientId, privateJwkJson, scope] = process.argv.slice(2);
const privateJwk = JSON.parse(privateJwkJson);
const key = await crypto.subtle.importKey('jwk', privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

const config = await client.discovery(
  new URL(issuer), clientId, {}, client.PrivateKeyJwt({ key, kid: privateJwk.kid }),
  { execute: [client.allowInsecureRequests] });
const metadata = config.serverMetadata();
const tokens = await client.clientCredentialsGrant(config, { scope });

console.log(JSON.stringify({
  advertised: metadata.token_endpoint_auth_methods_supported.includes('private_key_jwt'),
  token_type: tokens.token_type,
  scope: tokens.scope,
  has_access_token: typeof tokens.access_token === 'string' && tokens.access_token.length > 0,
}));
