// The redirect URI: oidc-client-ts checks state and iss (RFC 9207), redeems the code with its PKCE verifier, verifies
// nothing more of the ID token than its claims (the token came straight from the token endpoint over TLS, OIDC Core
// §3.1.3.7), reads UserInfo, stores the user, and the app continues at its home page.
import { userManager } from './user-manager.js';

try {
  await userManager.signinRedirectCallback();
  window.location.replace('/');
} catch (error) {
  document.getElementById('error').textContent = `Sign-in failed: ${error.message}`;
}
