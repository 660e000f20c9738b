// bench/jwtgen.mjs — pre-generates the signed JWTs that bench/token.lua sends, because wrk's Lua cannot sign.
// Node.js built-ins only (node:crypto), no npm package.
//
//   node bench/jwtgen.mjs keygen DIR
//       writes DIR/pkjwt-key.pem (a fresh ES256 / P-256 private key, PKCS#8) and DIR/pkjwt-jwks.json
//       (its public JWK set, for the seed's "jwks"); a new key on every benchmark run.
//
//   node bench/jwtgen.mjs requests OUT_PREFIX THREADS COUNT
//       writes THREADS files OUT_PREFIX.1 … OUT_PREFIX.THREADS, COUNT lines in all, one request per line:
//       "<client_assertion>\t<DPoP proof>" (either may be empty). Environment:
//         BENCH_GEN_AUTH     secret | private_key_jwt | client_secret_jwt
//         BENCH_GEN_DPOP     1 = a DPoP proof per line (RFC 9449 §4.2)
//         BENCH_GEN_CLIENT   the client_id (iss and sub of the assertion, RFC 7523 §3 items 1-2)
//         BENCH_GEN_AUD      the assertion's aud: the issuer identifier (RFC 7523 §3 item 3)
//         BENCH_GEN_HTU      the token endpoint URL (htu of the proof)
//         BENCH_GEN_KEY      PEM file of the private_key_jwt key (from keygen)
//         BENCH_GEN_SECRET   the client secret (client_secret_jwt: the HS256 key, OIDC Core §9)
//         BENCH_GEN_TTL      seconds from now to the assertion's exp (default 240; the server allows 5 min)
//
// Every assertion and every proof has its own random jti, so each line can be sent exactly once. The proofs'
// iat is the moment they are made: the server accepts a proof for 60 s after it (Auth:DPoP:ProofMaxAge), so
// run.sh generates them just before the measured run and keeps that run shorter.
import { createPrivateKey, createPublicKey, createHmac, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";

const b64u = (buf) => Buffer.from(buf).toString("base64url");
const json64 = (obj) => b64u(JSON.stringify(obj));

function die(message) {
  process.stderr.write(`jwtgen: ${message}\n`);
  process.exit(1);
}

function keygen(dir) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const kid = b64u(randomBytes(8));
  writeFileSync(`${dir}/pkjwt-key.pem`, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  writeFileSync(`${dir}/pkjwt-key.kid`, kid);
  writeFileSync(`${dir}/pkjwt-jwks.json`, JSON.stringify({ keys: [{ ...jwk, kid, use: "sig", alg: "ES256" }] }));
}

// ES256 signature: the raw r||s form of RFC 7518 §3.4, not DER.
const es256 = (key, input) => sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });

async function requests(prefix, threads, count) {
  const auth = process.env.BENCH_GEN_AUTH ?? "secret";
  const dpop = process.env.BENCH_GEN_DPOP === "1";
  const clientId = process.env.BENCH_GEN_CLIENT;
  const aud = process.env.BENCH_GEN_AUD;
  const htu = process.env.BENCH_GEN_HTU;
  const ttl = Number(process.env.BENCH_GEN_TTL ?? "240");
  if (!["secret", "private_key_jwt", "client_secret_jwt"].includes(auth)) die(`unknown BENCH_GEN_AUTH ${auth}`);
  if (auth !== "secret" && (!clientId || !aud)) die("BENCH_GEN_CLIENT and BENCH_GEN_AUD are required");
  if (dpop && !htu) die("BENCH_GEN_HTU is required with BENCH_GEN_DPOP=1");

  let assertionKey = null;
  let assertionHeader = null;
  if (auth === "private_key_jwt") {
    const keyFile = process.env.BENCH_GEN_KEY ?? die("BENCH_GEN_KEY is required");
    assertionKey = createPrivateKey(readFileSync(keyFile));
    const kid = readFileSync(keyFile.replace(/\.pem$/, ".kid"), "utf8").trim();
    assertionHeader = json64({ alg: "ES256", typ: "client-authentication+jwt", kid });
  } else if (auth === "client_secret_jwt") {
    assertionKey = Buffer.from(process.env.BENCH_GEN_SECRET ?? die("BENCH_GEN_SECRET is required"), "utf8");
    assertionHeader = json64({ alg: "HS256", typ: "client-authentication+jwt" });
  }

  // One DPoP key for the whole run, as a client would have (RFC 9449 §2); a fresh proof per request.
  let proofKey = null;
  let proofHeader = null;
  if (dpop) {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    proofKey = pair.privateKey;
    const { kty, crv, x, y } = pair.publicKey.export({ format: "jwk" });
    proofHeader = json64({ typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } });
  }

  const exp = Math.floor(Date.now() / 1000) + ttl;
  const perThread = Math.ceil(count / threads);
  for (let t = 1; t <= threads; t++) {
    const out = createWriteStream(`${prefix}.${t}`);
    for (let i = 0; i < perThread; i++) {
      const now = Math.floor(Date.now() / 1000);
      let assertion = "";
      if (assertionKey) {
        const input = `${assertionHeader}.${json64({ iss: clientId, sub: clientId, aud, jti: b64u(randomBytes(16)), iat: now, exp })}`;
        const signature = auth === "private_key_jwt" ? es256(assertionKey, input) : createHmac("sha256", assertionKey).update(input).digest();
        assertion = `${input}.${b64u(signature)}`;
      }
      let proof = "";
      if (proofKey) {
        const input = `${proofHeader}.${json64({ jti: b64u(randomBytes(16)), htm: "POST", htu, iat: now })}`;
        proof = `${input}.${b64u(es256(proofKey, input))}`;
      }
      if (!out.write(`${assertion}\t${proof}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "keygen" && args.length === 1) {
  keygen(args[0]);
} else if (mode === "requests" && args.length === 3) {
  const [prefix, threads, count] = [args[0], Number(args[1]), Number(args[2])];
  if (!(threads >= 1 && count >= 1)) die("THREADS and COUNT must be positive integers");
  await requests(prefix, threads, count);
} else {
  die("usage: jwtgen.mjs keygen DIR | requests OUT_PREFIX THREADS COUNT");
}
