// A Model Context Protocol server protected by AuthService, written with the official TypeScript SDK
// (@modelcontextprotocol/sdk, unmodified): one tool, `whoami`, over the Streamable HTTP transport at /mcp.
//
//   node server.mjs --issuer http://localhost:5000 [--port 5206] [--host 127.0.0.1]
//
// What makes it a protected resource in the sense of the MCP authorization specification (2025-11-25):
// - RFC 9728 protected resource metadata at /.well-known/oauth-protected-resource/mcp (§3.1: the well-known
//   suffix inserted before the resource's path), naming AuthService as its authorization server;
// - every /mcp request needs a bearer access token (RFC 6750 §2.1); without one, or with one that is not for this
//   server, the answer is 401 with `WWW-Authenticate: Bearer resource_metadata="..."` (RFC 9728 §5.1) and the
//   scope the tool needs (`mcp:tools`); with too narrow a scope, 403 insufficient_scope (RFC 6750 §3.1);
// - the token is an RFC 9068 JWT checked locally against AuthService's JWKS (jwks_uri from its RFC 8414 metadata):
//   signature, `typ: at+jwt` (§4 item 1), `iss` = the issuer exactly (§4 item 3), `aud` = this server's resource
//   URL (§4 item 4; RFC 8707 audience restriction: a token for another API is refused), `exp` (§4 item 5).
//
// Prints "mcp server listening on <resource>" once ready; logs every refusal (never a token) to stderr.
import { parseArgs } from 'node:util';
import express from 'express';
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

const { values: options } = parseArgs({
  options: {
    issuer: { type: 'string' },
    port: { type: 'string', default: '5206' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!options.issuer) {
  console.error('usage: node server.mjs --issuer <AuthService issuer URL> [--port 5206] [--host 127.0.0.1]');
  process.exit(2);
}

const issuer = options.issuer;
const requiredScope = 'mcp:tools';
const resource = `http://${options.host}:${options.port}/mcp`; // RFC 8707 §2: this server's resource identifier
const prmPath = '/.well-known/oauth-protected-resource/mcp'; // RFC 9728 §3.1
const resourceMetadataUrl = `http://${options.host}:${options.port}${prmPath}`;
const log = (...args) => console.error('[mcp-server]', ...args);

// AuthService's JWKS, found through its RFC 8414 metadata on first use (AuthService may start after this server);
// jose caches the keys and refetches on an unknown kid (key rotation).
let jwksPromise;
function keys() {
  jwksPromise ??= (async () => {
    const response = await fetch(new URL('/.well-known/oauth-authorization-server', issuer));
    if (!response.ok) throw new Error(`authorization server metadata: HTTP ${response.status}`);
    const metadata = await response.json();
    if (metadata.issuer !== issuer) throw new Error(`authorization server metadata names issuer ${metadata.issuer}, not ${issuer}`); // RFC 8414 §3.3
    return createRemoteJWKSet(new URL(metadata.jwks_uri));
  })().catch((error) => {
    jwksPromise = undefined; // try again on the next request
    throw error;
  });
  return jwksPromise;
}

/** The SDK's OAuthTokenVerifier: an RFC 9068 JWT access token for this resource, or InvalidTokenError. */
const verifier = {
  async verifyAccessToken(token) {
    const jwks = await keys();
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: resource,
        typ: 'at+jwt',
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims: ['exp', 'sub', 'client_id'],
      });
      return {
        token,
        clientId: payload.client_id,
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        expiresAt: payload.exp,
        resource: new URL(resource),
        extra: { sub: payload.sub },
      };
    } catch (error) {
      const reason = error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud'
        ? 'The access token was not issued for this resource'
        : error instanceof joseErrors.JWTExpired ? 'The access token has expired' : 'The access token is not valid';
      log('refused a token:', reason, `(${error.code ?? error.name})`);
      throw new InvalidTokenError(reason);
    }
  },
};

function whoamiServer() {
  const server = new McpServer({ name: 'authservice-sample-mcp-server', version: '1.0.0' });
  server.registerTool('whoami', {
    title: 'Who am I',
    description: 'The subject, client and scope of the access token this request came with.',
  }, async (extra) => {
    const who = {
      sub: extra.authInfo?.extra?.sub ?? null,
      client_id: extra.authInfo?.clientId ?? null,
      scope: extra.authInfo?.scopes.join(' ') ?? '',
      resource: extra.authInfo?.resource?.href ?? null,
    };
    return { content: [{ type: 'text', text: JSON.stringify(who) }], structuredContent: who };
  });
  return server;
}

// createMcpExpressApp: JSON bodies, and Host-header checks against DNS rebinding when bound to loopback.
const app = createMcpExpressApp({ host: options.host });

app.use(prmPath, metadataHandler({
  resource,
  authorization_servers: [issuer],
  scopes_supported: [requiredScope],
  bearer_methods_supported: ['header'],
  resource_name: 'AuthService sample MCP server',
}));

const checkToken = requireBearerAuth({
  verifier,
  requiredScopes: [requiredScope],
  resourceMetadataUrl,
  expectedResource: new URL(resource),
});

// RFC 6750 §3.1: a request without any authentication information gets a challenge without an error code (the SDK's
// middleware would say invalid_token); the MCP client starts its discovery from resource_metadata (RFC 9728 §5.1).
function requireToken(req, res, next) {
  if (req.headers.authorization) {
    checkToken(req, res, next);
    return;
  }
  res.set('WWW-Authenticate', `Bearer resource_metadata="${resourceMetadataUrl}", scope="${requiredScope}"`)
    .status(401).end();
}

// Stateless Streamable HTTP: a fresh server and transport per POST, no session id.
app.post('/mcp', requireToken, async (req, res) => {
  const server = whoamiServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  } catch (error) {
    log('request failed:', error?.message ?? String(error));
    if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
  }
});

// No server-initiated stream and no sessions in stateless mode (Streamable HTTP: 405 for GET and DELETE).
app.all('/mcp', requireToken, (req, res) => {
  res.set('Allow', 'POST').status(405).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
});

const listener = app.listen(Number(options.port), options.host, (error) => { // Express 5 passes a bind error here
  if (error) {
    log('cannot listen:', error.message);
    process.exit(1);
  }
  console.log(`mcp server listening on ${resource} (issuer ${issuer})`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => listener.close(() => process.exit(0)));
