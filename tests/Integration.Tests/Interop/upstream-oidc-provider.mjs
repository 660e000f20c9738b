// An upstream OpenID Provider for the federation tests: oidc-provider (unmodified, pinned in package.json) on a loopback
// port, so AuthService's OpenID Connect client (src/Infrastructure/Federation/OpenIdConnectProtocol.cs) is tested against a
// real, certified implementation rather than against itself.
//
//   node upstream-oidc-provider.mjs <config JSON>
//
// config: {
//   "port": 5xxxx,
//   "clients": [{ "client_id", "client_secret", "redirect_uris": [...] }, ...],   // the second one is "another audience"
//   "accounts": { "<login>": { "email", "email_verified", "name" }, ... },          // the login name is the subject
//   "amr": ["pwd"],                                                                  // the ID token's amr (RFC 8176)
//   "claimsInIdToken": false    // true: e-mail and name in the ID token; false (oidc-provider's default): only at UserInfo
// }
//
// Behaviour: issuer http://127.0.0.1:<port>, PKCE (S256) required for every client, RFC 9207 `iss` in every authorization
// response (oidc-provider always sends it and says so in its discovery document). The interaction is a plain HTML form
// (GET /interaction/<uid>: fields "login" and "password", any password) posted to /interaction/<uid>/login; consent is
// given automatically (loadExistingGrant below), so an HttpClient with cookies or Chromium can drive it alike.
// An unknown login shows the form again with "unknown account". It prints "upstream ready <issuer>" on stdout when listening.
// Used by Federation/Upstreams/OidcUpstream.cs (AuthService.Integration.Tests).
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] ?? process.env.UPSTREAM_CONFIG ?? '{}');
if (!config.port || !Array.isArray(config.clients) || !config.accounts) {
  console.error('usage: node upstream-oidc-provider.mjs \'{"port":N,"clients":[...],"accounts":{...}}\'');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${config.port}`;
const amr = Array.isArray(config.amr) ? config.amr : ['pwd'];
const accounts = config.accounts;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_basic',
  })),
  pkce: { required: () => true },
  // amr must be a claim of a granted scope, or oidc-provider leaves it out of the ID token.
  claims: {
    openid: ['sub', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  conformIdTokenClaims: config.claimsInIdToken !== true,
  features: {
    devInteractions: { enabled: false },
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async findAccount(_ctx, sub) {
    const account = accounts[sub];
    if (!account) {
      return undefined;
    }
    return {
      accountId: sub,
      async claims() {
        return { sub, email: account.email, email_verified: account.email_verified, name: account.name };
      },
    };
  },
  // Consent without a page: every scope and claim asked for is granted (an upstream the person already trusts).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) {
        return existing;
      }
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>upstream error</title><p id="error">${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`;
  },
});
provider.proxy = false;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, message) {
  return `<!DOCTYPE html><html><head><title>Upstream sign-in</title></head><body>
<h1>Upstream sign-in</h1>${message ? `<p id="message">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login" id="upstream-login" autocomplete="username"></label>
<label>Password <input name="password" id="upstream-password" type="password"></label>
<button type="submit" id="upstream-submit">Sign in</button>
</form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16384) {
      throw new Error('form too large');
    }
  }
  return new URLSearchParams(body);
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('interaction mismatch');
      return;
    }
    if (!match[2] && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid));
      return;
    }
    if (match[2] && req.method === 'POST') {
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      if (!Object.hasOwn(accounts, login)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, 'unknown account'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login, amr } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed');
  } catch (err) {
    console.error('[upstream] interaction failed:', err?.message ?? err);
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`interaction failed: ${err?.name ?? 'error'}`);
    }
  }
});

server.listen(config.port, '127.0.0.1', () => {
  console.log(`upstream ready ${issuer}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
