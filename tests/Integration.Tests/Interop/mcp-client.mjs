// The official MCP TypeScript SDK (@modelcontextprotocol/sdk, unmodified, pinned in package.json) as an MCP client
// that meets an MCP server protected by AuthService for the first time (MCP authorization specification 2025-11-25):
//   POST /mcp without a token → 401 with resource_metadata → RFC 9728 protected resource metadata → RFC 8414
//   metadata of the authorization server it names → a client_id (pre-registered, RFC 7591 dynamic registration, or
//   a Client ID Metadata Document URL) → authorization request with PKCE S256 and the RFC 8707 `resource` →
//   the user signs in and allows in Chromium (playwright-core, Debian's /usr/bin/chromium, headless) → the browser
//   lands on this script's loopback callback (RFC 8252 §7.3) → transport.finishAuth(code) (token request with
//   `resource`) → reconnect → tools/call whoami with the access token.
//
//   node mcp-client.mjs --mcp <MCP server URL> --username <u> --password <p> --callback-port <port> --mode <mode>
//     mode preregistered: --client-id <id>  (a public client registered by the operator)
//     mode dynamic:       the SDK registers itself at the registration endpoint (RFC 7591)
//     mode cimd:          --document-port <port> --cert <leaf PEM> --key <key PEM>: this script serves its client
//                         metadata document at https://127.0.0.1:<port>/client.json and uses that URL as client_id
//
// Diagnostics go to stderr; the last stdout line is a JSON summary (no token, no code: the token's decoded claims).
// Any failure: message on stderr, exit 1. Used by McpEndToEndTests.cs (AuthService.Integration.Tests.Mcp).
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { chromium } from 'playwright-core';
import { decodeJwt } from 'jose';

const { values: options } = parseArgs({
  options: {
    mcp: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'callback-port': { type: 'string' },
    mode: { type: 'string' },
    'client-id': { type: 'string' },
    'document-port': { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});
const modes = ['preregistered', 'dynamic', 'cimd'];
if (!options.mcp || !options.username || !options.password || !options['callback-port'] || !modes.includes(options.mode)
  || (options.mode === 'preregistered' && !options['client-id'])
  || (options.mode === 'cimd' && !(options['document-port'] && options.cert && options.key))) {
  console.error('usage: node mcp-client.mjs --mcp <url> --username <u> --password <p> --callback-port <port> --mode preregistered|dynamic|cimd [--client-id <id>] [--document-port <port> --cert <pem> --key <pem>]');
  process.exit(2);
}

const log = (...args) => console.error('[mcp-client]', ...args);
const redirectUrl = `http://127.0.0.1:${options['callback-port']}/callback`;
const clientMetadata = {
  client_name: 'AuthService MCP end-to-end client',
  redirect_uris: [redirectUrl],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  scope: 'mcp:tools',
};

/** Every HTTP request the SDK makes (method, URL without query), and what went to the registration and token endpoints. */
const requests = [];
const registrationRequests = [];
const tokenRequests = [];
async function recordingFetch(input, init = {}) {
  const url = new URL(input instanceof Request ? input.url : input);
  const method = init.method ?? (input instanceof Request ? input.method : 'GET');
  const response = await fetch(input, init);
  requests.push(`${method} ${url.origin}${url.pathname} -> ${response.status}`);
  if (method === 'POST' && typeof init.body === 'string' && url.pathname.endsWith('/register')) {
    registrationRequests.push({ members: Object.keys(JSON.parse(init.body)).sort(), status: response.status });
  }
  if (method === 'POST' && init.body instanceof URLSearchParams) {
    tokenRequests.push({ grant_type: init.body.get('grant_type'), resource: init.body.getAll('resource'), client_id: init.body.get('client_id'), status: response.status });
  }
  return response;
}

/** The loopback redirect target (RFC 8252 §7.3): resolves with the authorization response's parameters. */
function startCallbackServer() {
  let resolveCallback;
  const callback = new Promise((resolve) => { resolveCallback = resolve; });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, redirectUrl);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Signed in</title><p>You can close this window.</p>');
    resolveCallback(Object.fromEntries(url.searchParams));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(options['callback-port']), '127.0.0.1', () => resolve({ server, callback }));
  });
}

/** Serves this client's metadata document (draft-ietf-oauth-client-id-metadata-document §3) over https. */
function startDocumentServer() {
  const documentUrl = `https://127.0.0.1:${options['document-port']}/client.json`;
  const document = { client_id: documentUrl, ...clientMetadata };
  const stats = { fetches: 0 };
  const server = https.createServer({ cert: readFileSync(options.cert), key: readFileSync(options.key) }, (req, res) => {
    if (req.method !== 'GET' || new URL(req.url, documentUrl).pathname !== '/client.json') {
      res.writeHead(404).end();
      return;
    }
    stats.fetches++;
    log('metadata document fetched by', req.headers['user-agent'] ?? '(no user agent)');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(JSON.stringify(document));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(options['document-port']), '127.0.0.1', () => resolve({ server, documentUrl, stats }));
  });
}

/** The user in Chromium: signs in on AuthService's page, allows on its consent page, ends at the callback. */
async function actAsUser(authorizationUrl, callback) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const pages = [];
  let consentText = null;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(authorizationUrl.href);
    if (await page.locator('input[type=password]').count() > 0) {
      pages.push('sign-in');
      await page.fill('#username', options.username);
      await page.fill('#password', options.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    }
    const allow = page.getByRole('button', { name: 'Allow', exact: true });
    const landed = callback.then(() => 'callback');
    const outcome = await Promise.race([landed, allow.waitFor().then(() => 'consent')]);
    if (outcome === 'consent') {
      pages.push('consent');
      consentText = await page.locator('main').innerText();
      await allow.click();
      await landed;
    }
    return { pages, consentText };
  } catch (error) {
    const page = browser.contexts()[0]?.pages()[0];
    if (page) log('browser stopped at', page.url(), (await page.content().catch(() => '')).slice(0, 1500));
    throw error;
  } finally {
    await browser.close();
  }
}

/** The SDK's OAuthClientProvider, kept in memory for one run; the browser is driven from redirectToAuthorization. */
class BrowserOAuthProvider {
  constructor({ clientInformation, clientMetadataUrl, callback }) {
    this._clientInformation = clientInformation;
    this.clientMetadataUrl = clientMetadataUrl;
    this._callback = callback;
    this.saved = [];
    this.browser = null;
  }

  get redirectUrl() { return redirectUrl; }

  get clientMetadata() { return clientMetadata; }

  state() {
    this._state = randomBytes(16).toString('base64url');
    return this._state;
  }

  clientInformation() { return this._clientInformation; }

  saveClientInformation(information) {
    this._clientInformation = information;
    this.saved.push(information);
  }

  tokens() { return this._tokens; }

  saveTokens(tokens) { this._tokens = tokens; }

  saveCodeVerifier(verifier) { this._verifier = verifier; }

  codeVerifier() { return this._verifier; }

  async redirectToAuthorization(authorizationUrl) {
    this.authorizationUrl = authorizationUrl;
    log('authorization request parameters:', [...authorizationUrl.searchParams.keys()].join(', '));
    this.browser = await actAsUser(authorizationUrl, this._callback);
  }
}

async function main() {
  const { server: callbackServer, callback } = await startCallbackServer();
  const documentServer = options.mode === 'cimd' ? await startDocumentServer() : null;
  try {
    const provider = new BrowserOAuthProvider({
      clientInformation: options.mode === 'preregistered' ? { client_id: options['client-id'] } : undefined,
      clientMetadataUrl: documentServer?.documentUrl,
      callback,
    });
    const serverUrl = new URL(options.mcp);

    // 1. First contact: 401 → discovery → client_id → browser → callback.
    const firstTransport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider, fetch: recordingFetch });
    let unauthorized = false;
    try {
      await new Client({ name: 'authservice-e2e', version: '1.0.0' }).connect(firstTransport);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      unauthorized = true;
    }
    if (!unauthorized || !provider.browser) throw new Error('the first connection did not lead to an authorization in the browser');

    const response = await callback;
    log('callback parameters:', Object.keys(response).join(', '));
    if (response.error) throw new Error(`authorization error ${response.error}: ${response.error_description ?? ''}`);
    if (response.state !== provider._state) throw new Error('the callback state differs from the request state');

    // 2. The code for tokens (the SDK sends code_verifier, redirect_uri and resource), then a new connection.
    await firstTransport.finishAuth(response.code);
    const transport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider, fetch: recordingFetch });
    const client = new Client({ name: 'authservice-e2e', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    if (result.isError) throw new Error(`whoami failed: ${JSON.stringify(result.content)}`);

    const claims = decodeJwt(provider.tokens().access_token);
    const authorization = provider.authorizationUrl.searchParams;
    console.log(JSON.stringify({
      mode: options.mode,
      requests,
      authorization_request: {
        client_id: authorization.get('client_id'),
        resource: authorization.getAll('resource'),
        scope: authorization.get('scope'),
        code_challenge_method: authorization.get('code_challenge_method'),
        redirect_uri: authorization.get('redirect_uri'),
      },
      callback_iss: response.iss ?? null,
      registration_requests: registrationRequests,
      saved_client_ids: provider.saved.map((information) => information.client_id),
      token_requests: tokenRequests,
      pages: provider.browser.pages,
      consent_text: provider.browser.consentText,
      document_fetches: documentServer?.stats.fetches ?? null,
      token_claims: { iss: claims.iss, aud: claims.aud, sub: claims.sub, client_id: claims.client_id, scope: claims.scope },
      tools: tools.map((tool) => tool.name),
      whoami: result.structuredContent ?? JSON.parse(result.content[0].text),
    }));
  } finally {
    callbackServer.close();
    documentServer?.server.close();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error('[mcp-client] FAILED:', error?.constructor?.name ?? 'Error', error?.code ?? '', error?.message ?? String(error));
  if (error?.cause instanceof Error) console.error('[mcp-client] cause:', error.cause.message);
  console.error('[mcp-client] requests so far:', JSON.stringify(requests));
  process.exit(1);
});
