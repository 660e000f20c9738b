// Auth.js's routes under /api/auth: signin (the page with the provider's button), signin/authservice (POST, starts the
// code flow), callback/authservice (the redirect URI), session, csrf, providers, signout.
import { Auth } from '@auth/core';
import { authConfig } from '../../../../auth.config.mjs';

export const dynamic = 'force-dynamic';

export async function GET(request) {
  return Auth(request, authConfig);
}

export async function POST(request) {
  return Auth(request, authConfig);
}
