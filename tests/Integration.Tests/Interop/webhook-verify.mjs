// Verifies one webhook delivery the way a receiver would, with the unmodified npm package standardwebhooks (the
// reference implementation of the Standard Webhooks specification): the webhook-signature over
// "{webhook-id}.{webhook-timestamp}.{body}" with the whsec_ secret, and the timestamp within its tolerance.
// Prints one JSON line: the verified payload, or the reason the library refused the delivery.
//   node webhook-verify.mjs <secret> <webhook-id> <webhook-timestamp> <webhook-signature> <body>
import standardwebhooks from 'standardwebhooks';

const [secret, id, timestamp, signature, body] = process.argv.slice(2);
try {
  const payload = new standardwebhooks.Webhook(secret).verify(body, {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  });
  console.log(JSON.stringify({ verified: true, payload }));
} catch (error) {
  console.log(JSON.stringify({ verified: false, error: `${error.name}: ${error.message}` }));
}
