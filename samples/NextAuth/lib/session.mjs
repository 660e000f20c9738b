import { getToken } from '@auth/core/jwt';
import { authConfig } from '../auth.config.mjs';

/** The signed-in person's session (Auth.js's JWT, decrypted), or null; from the cookies only. */
export async function currentSession(cookieHeader) {
  return getToken({ req: { headers: { cookie: cookieHeader ?? '' } }, secret: authConfig.secret });
}
