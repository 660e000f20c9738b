// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): forget the local session (the Auth.js cookie, in as
// many chunks as it has), then send the browser to AuthService's end_session_endpoint with the ID token as
// id_token_hint, so AuthService ends its session at once and comes back to post_logout_redirect_uri (registered exactly).
import { currentSession } from './session.mjs';

/** The answer to POST /logout (a Web API Response): 303 to the end_session_endpoint, the session cookie deleted. */
export async function logout(request) {
  const cookieHeader = request.headers.get('cookie') ?? '';
  const session = await currentSession(cookieHeader);
  const origin = new URL(request.url).origin;
  let location = `${origin}/signed-out`;
  if (session?.id_token) {
    const discovery = await fetch(new URL('/.well-known/openid-configuration', process.env.AUTHSERVICE_ISSUER));
    const { end_session_endpoint: endSession } = await discovery.json();
    const url = new URL(endSession);
    url.searchParams.set('id_token_hint', session.id_token);
    url.searchParams.set('post_logout_redirect_uri', `${origin}/signed-out`);
    url.searchParams.set('client_id', process.env.AUTHSERVICE_CLIENT_ID);
    location = url.href;
  }
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const name of cookieHeader.split(';').map((c) => c.trim().split('=')[0])) {
    if (name.startsWith('authjs.session-token')) {
      headers.append('Set-Cookie', `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    }
  }
  return new Response(null, { status: 303, headers });
}
