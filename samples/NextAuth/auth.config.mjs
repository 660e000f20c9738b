// Auth.js (@auth/core, the core of next-auth v5) configured for AuthService: a confidential OpenID Connect client using
// the authorization code flow with PKCE (OAuth 2.1 §4.1), state and nonce (OIDC Core §3.1.2.1), client_secret_basic at
// the token endpoint. The session is Auth.js's encrypted JWT cookie; it keeps the ID token for RP-initiated logout.
//
// Environment: AUTHSERVICE_ISSUER (e.g. http://localhost:5000), AUTHSERVICE_CLIENT_ID, AUTHSERVICE_CLIENT_SECRET,
// AUTH_SECRET (32 random bytes, base64: encrypts the session cookie).
export const authConfig = {
  basePath: '/api/auth',
  // The app is reached at the host it is started on (next start -H/-p); behind a proxy set this false and AUTH_URL.
  trustHost: true,
  secret: process.env.AUTH_SECRET,
  providers: [
    {
      id: 'authservice',
      name: 'AuthService',
      type: 'oidc', // discovery from `${issuer}/.well-known/openid-configuration`; ID token verified against its jwks_uri
      issuer: process.env.AUTHSERVICE_ISSUER,
      clientId: process.env.AUTHSERVICE_CLIENT_ID,
      clientSecret: process.env.AUTHSERVICE_CLIENT_SECRET,
      checks: ['pkce', 'state', 'nonce'],
      // The ID token is still required and verified; `idToken: false` makes Auth.js take the profile from UserInfo
      // (its `sub` checked against the ID token's), where AuthService returns the profile and email claims when an
      // access token is issued (OIDC Core §5.4); the ID token itself carries only the authentication.
      idToken: false,
      authorization: { params: { scope: 'openid profile email' } },
    },
  ],
  callbacks: {
    // At sign-in `account` holds the token response and `profile` the ID token's claims (merged with UserInfo).
    jwt({ token, account, profile }) {
      if (account) {
        token.id_token = account.id_token; // the id_token_hint of RP-initiated logout
        token.preferred_username = profile?.preferred_username;
      }
      return token;
    },
  },
};
