// A webhook receiver for AuthService that verifies every delivery per the Standard Webhooks specification
// (https://www.standardwebhooks.com, "Verifying webhooks"), with Node's own modules only (no npm install):
//   - webhook-signature: space-separated "v1,<base64>" signatures; one must equal
//     base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")), the key being the base64 after "whsec_"
//     (several, while AuthService signs with a rotated-out secret too: docs/adr/0039);
//   - compared in constant time (crypto.timingSafeEqual), so the comparison leaks nothing about the expected value;
//   - webhook-timestamp within TOLERANCE_SECONDS of this clock (either way), so a captured delivery cannot be replayed later;
//   - idempotent by webhook-id: AuthService delivers at least once (a retry, a replay from the admin API), so an id
//     seen before is acknowledged again and not processed twice. Ids are kept longer than the tolerance: an older
//     duplicate is refused by its timestamp anyway.
// Verify the raw bytes as received: parsing and re-serialising the JSON first changes them and breaks the signature.
//
//   WEBHOOK_SECRET=whsec_... node server.mjs [--port 8787] [--path /webhooks]
// POST <path>  a delivery: 204 accepted, 200 a duplicate (acknowledged, not processed again), 400 missing headers,
//              401 a bad signature or a timestamp out of tolerance (AuthService retries anything but 2xx).
// GET /events  the events accepted so far, as JSON (what a real receiver would act on).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const TOLERANCE_SECONDS = 5 * 60;
const { values: options } = parseArgs({ options: { port: { type: 'string', default: '8787' }, path: { type: 'string', default: '/webhooks' } } });
const secret = process.env.WEBHOOK_SECRET ?? '';
if (!secret.startsWith('whsec_')) {
  console.error('Set WEBHOOK_SECRET to the secret AuthService showed when the webhook was created (whsec_...).');
  process.exit(2);
}
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');

/** webhook-id → when it was accepted (ms); forgotten after twice the tolerance. */
const seen = new Map();
const accepted = [];

/** null when the delivery is genuine and fresh, else why it is refused. */
function verify(headers, body, now = Date.now()) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return [400, 'missing webhook-id, webhook-timestamp or webhook-signature'];
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return [401, 'timestamp out of tolerance'];
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  const match = signatures.split(' ').some(entry => {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) return false;
    const candidate = Buffer.from(signature, 'base64');
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return match ? null : [401, 'no valid signature'];
}

function forgetOldIds(now) {
  for (const [id, at] of seen) {
    if (now - at > 2 * TOLERANCE_SECONDS * 1000) seen.delete(id);
  }
}

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://receiver');
  if (request.method === 'GET' && url.pathname === '/events') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(accepted));
    return;
  }
  if (request.method !== 'POST' || url.pathname !== options.path) {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  request.on('data', chunk => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const now = Date.now();
    const refused = verify(request.headers, body, now);
    if (refused) {
      console.log(JSON.stringify({ refused: refused[1], webhook_id: request.headers['webhook-id'] ?? null }));
      response.writeHead(refused[0], { 'content-type': 'text/plain' }).end(refused[1]);
      return;
    }
    const id = request.headers['webhook-id'];
    forgetOldIds(now);
    if (seen.has(id)) {
      console.log(JSON.stringify({ duplicate: id }));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('already processed');
      return;
    }
    seen.set(id, now);
    const event = JSON.parse(body.toString('utf8'));
    accepted.push({ webhook_id: id, type: event.type, timestamp: event.timestamp, data: event.data });
    console.log(JSON.stringify({ accepted: id, type: event.type, data: event.data }));
    response.writeHead(204).end();
  });
});

server.listen(Number(options.port), '127.0.0.1', () => console.log(`Webhook receiver listening on http://127.0.0.1:${options.port}${options.path}`));
