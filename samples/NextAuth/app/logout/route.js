// POST only: a cross-site GET must not sign anyone out.
import { logout } from '../../lib/logout.mjs';

export const dynamic = 'force-dynamic';

export async function POST(request) {
  return logout(request);
}
