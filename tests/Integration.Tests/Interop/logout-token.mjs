// Verifies an OpenID Connect Back-Channel Logout token (§2.4, §2.6) the way a relying party would, with the
// unmodified npm package jose: signature against the OP's JWK Set, iss, aud, typ logout+jwt, iat/exp, and the
// events member. Prints one JSON line: the verified claims, or the reason jose refused the token.
//   node logout-token.mjs <logout_token> <jwks json> <issuer> <audience>
import { jwtVerify, createLocalJWKSet } from 'jose';

const [token, jwks, issuer, audience] = process.argv.slice(2);
try {
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(JSON.parse(jwks)), {
    issuer,
    audience,
    typ: 'logout+jwt',
    requiredClaims: ['iat', 'exp', 'jti', 'events'],
  });
  console.log(JSON.stringify({
    verified: true,
    alg: protectedHeader.alg,
    sub: payload.sub ?? null,
    sid: payload.sid ?? null,
    has_nonce: 'nonce' in payload,
    backchannel_event: typeof payload.events?.['http://schemas.openid.net/event/backchannel-logout'] === 'object',
  }));
} catch (error) {
  console.log(JSON.stringify({ verified: false, error: `${error.code ?? ''} ${error.message}` }));
}
