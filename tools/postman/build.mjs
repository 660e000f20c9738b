// Writes docs/postman/AuthService.postman_collection.json and AuthService.postman_environment.json (Postman collection
// format v2.1). The JSON files are checked in; this script is their source: edit it, run `node tools/postman/build.mjs`,
// commit both. `--check` exits 1 when the checked-in files differ from what it would write
// (tests/Integration.Tests/Postman/PostmanCollectionTests.cs runs that).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const output = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'postman');

// ---------------------------------------------------------------------------------------------------------------------
// Building blocks: a request, its URL, its body, its scripts.

/** A Postman URL object for `{{baseUrl}}` + path (with `{{variables}}`), and query pairs. */
function url(path, query = []) {
  const raw = path.startsWith('{{') && !path.startsWith('{{baseUrl}}') ? path : `{{baseUrl}}${path}`;
  const queryText = query.map(([key, value]) => `${key}=${value}`).join('&');
  if (!raw.startsWith('{{baseUrl}}')) {
    return raw + (queryText ? `?${queryText}` : ''); // a whole URL taken from a response (a redirect's Location)
  }
  return {
    raw: raw + (queryText ? `?${queryText}` : ''),
    host: ['{{baseUrl}}'],
    path: raw.slice('{{baseUrl}}'.length).split('/').filter(Boolean),
    ...(query.length ? { query: query.map(([key, value]) => ({ key, value })) } : {}),
  };
}

const form = (pairs) => ({ mode: 'urlencoded', urlencoded: pairs.map(([key, value]) => ({ key, value, type: 'text' })) });
const json = (value) => ({ mode: 'raw', raw: JSON.stringify(value, null, 2), options: { raw: { language: 'json' } } });
const basic = (user, password) => ({
  type: 'basic',
  basic: [
    { key: 'username', value: user, type: 'string' },
    { key: 'password', value: password, type: 'string' },
  ],
});
const bearer = (token) => ({ type: 'bearer', bearer: [{ key: 'token', value: token, type: 'string' }] });
const noauth = { type: 'noauth' };

/**
 * One request. `tests` and `pre` are lines of JavaScript run in Postman's sandbox (`pm`); `redirects: false` makes it
 * stop at a 302/303 as a browser's address bar would not, so the test can read `Location`.
 */
function request(name, method, path, { query = [], body, auth, headers = [], description, tests = [], pre = [], redirects = true }) {
  if (!description) {
    throw new Error(`${name}: every request cites its specification`);
  }
  const header = [...headers];
  if (body?.mode === 'raw') {
    header.push({ key: 'Content-Type', value: 'application/json' });
  }
  const item = {
    name,
    request: { method, header, url: url(path, query), description, ...(body ? { body } : {}), ...(auth ? { auth } : {}) },
    event: [],
  };
  if (pre.length) {
    item.event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: pre } });
  }
  if (tests.length) {
    item.event.push({ listen: 'test', script: { type: 'text/javascript', exec: tests } });
  }
  if (!redirects) {
    item.protocolProfileBehavior = { followRedirects: false };
  }
  return item;
}

const folder = (name, description, item, extra = {}) => ({ name, description, item, ...extra });

// Test lines.
const status = (code) => [`pm.test('status ${code}', () => pm.response.to.have.status(${code}));`];
const statusAndJson = (code, ...checks) => [
  ...status(code),
  'const body = pm.response.json();',
  ...checks,
];
const problem = (code) => [
  ...status(code),
  `pm.test('problem details (RFC 9457)', () => pm.expect(pm.response.json().status).to.eql(${code}));`,
];
const oauthError = (code, error) => [
  ...status(code),
  `pm.test('error ${error}', () => pm.expect(pm.response.json().error).to.eql('${error}'));`,
  "pm.test('Cache-Control: no-store', () => pm.expect(pm.response.headers.get('Cache-Control')).to.include('no-store'));",
];
const check = (title, statements) => `pm.test(${JSON.stringify(title)}, () => { ${statements}; });`;
const save = (variable, expression) => `pm.environment.set('${variable}', ${expression});`;
const tokenResponse = (tokenType = 'Bearer') => [
  check('token_type ' + tokenType, `pm.expect(body.token_type).to.eql('${tokenType}')`),
  check('an access token and its lifetime', 'pm.expect(body.access_token).to.be.a("string") && pm.expect(body.expires_in).to.be.above(0)'),
  "pm.test('Cache-Control: no-store (RFC 6749 §5.1)', () => pm.expect(pm.response.headers.get('Cache-Control')).to.include('no-store'));",
];

// Sandbox helpers, defined where a script needs them.
const fieldHelper = [
  "// The value of a hidden form field of the server's HTML page (its anti-forgery token, the pending request).",
  "const field = (name) => { const m = pm.response.text().match(new RegExp('name=\"' + name + '\" value=\"([^\"]*)\"')); return m ? m[1].replace(/&amp;/g, '&') : undefined; };",
];
const locationHelper = [
  "const location = pm.response.headers.get('Location') || '';",
  "const parameter = (name) => { const m = location.match(new RegExp('[?&]' + name + '=([^&]*)')); return m ? decodeURIComponent(m[1]) : undefined; };",
];
const claimsHelper = [
  "// The claims of a JWT (its payload, base64url JSON); not a validation: a client validates an ID token with the JWKS.",
  "const claims = (jwt) => JSON.parse(CryptoJS.enc.Base64.parse(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')).toString(CryptoJS.enc.Utf8));",
];
const pkce = (prefix) => [
  '// A PKCE pair (RFC 7636 §4.1, §4.2): a random verifier and its S256 challenge, base64url without padding.',
  "const base64url = (words) => CryptoJS.enc.Base64.stringify(words).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');",
  'const verifier = base64url(CryptoJS.lib.WordArray.random(32));',
  `pm.environment.set('${prefix}CodeVerifier', verifier);`,
  `pm.environment.set('${prefix}CodeChallenge', base64url(CryptoJS.SHA256(verifier)));`,
];

// ---------------------------------------------------------------------------------------------------------------------
// The collection-level pre-request script: cached client-credentials tokens.

const tokenCache = [
  '// Cached client-credentials tokens (RFC 6749 §4.4): the admin API needs an access token with the `admin` scope of the',
  '// bootstrap client admin-cli ({{adminToken}}), some protocol requests a token of the demo service demo-service',
  '// ({{serviceToken}}). Each is fetched from {{baseUrl}}/connect/token when a request needs it, kept in a collection',
  '// variable with its expiry, and reused until 30 s before it expires.',
  'const cached = [',
  "  { variable: 'adminToken', client: 'adminClientId', secret: 'adminClientSecret', scope: 'admin', needed: () => pm.request.url.getPath().startsWith('/admin') },",
  "  { variable: 'serviceToken', client: 'serviceClientId', secret: 'serviceClientSecret', scope: 'orders.read', needed: () => JSON.stringify(pm.request.toJSON()).includes('{{serviceToken}}') },",
  '];',
  'cached.filter((token) => token.needed()).forEach((token) => {',
  "  const expiresAt = Number(pm.collectionVariables.get(token.variable + 'ExpiresAt') || 0);",
  '  if (pm.collectionVariables.get(token.variable) && Date.now() < expiresAt - 30 * 1000) {',
  '    return;',
  '  }',
  '  // client_secret_basic: the id and secret form-urlencoded, then Base64 (RFC 6749 §2.3.1).',
  '  const credentials = encodeURIComponent(pm.variables.get(token.client)) + \':\' + encodeURIComponent(pm.variables.get(token.secret));',
  '  pm.sendRequest({',
  "    url: pm.variables.replaceIn('{{baseUrl}}/connect/token'),",
  "    method: 'POST',",
  "    header: [{ key: 'Authorization', value: 'Basic ' + CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse(credentials)) }],",
  "    body: { mode: 'urlencoded', urlencoded: [{ key: 'grant_type', value: 'client_credentials' }, { key: 'scope', value: token.scope }] },",
  '  }, (error, response) => {',
  '    if (error || response.code !== 200) {',
  "      throw new Error('No ' + token.variable + ' from the token endpoint: ' + (error || response.code + ' ' + response.text()));",
  '    }',
  '    const answer = response.json();',
  '    pm.collectionVariables.set(token.variable, answer.access_token);',
  "    pm.collectionVariables.set(token.variable + 'ExpiresAt', String(Date.now() + answer.expires_in * 1000));",
  '  });',
  '});',
];

// ---------------------------------------------------------------------------------------------------------------------
// Protocol folders.

const CALLBACK = '{{webRedirectUri}}';
const webAuth = basic('{{webClientId}}', '{{webClientSecret}}');
const serviceAuth = basic('{{serviceClientId}}', '{{serviceClientSecret}}');

const discovery = folder('1. Discovery and keys', 'Everything else is found from the metadata (OpenID Connect Discovery 1.0 §4, RFC 8414 §3); the signing keys are at `jwks_uri` (RFC 7517 §5).', [
  request('OpenID Provider configuration', 'GET', '/.well-known/openid-configuration', {
    description: 'OpenID Connect Discovery 1.0 §4: the provider metadata. `issuer` is exactly the base URL; every endpoint of this collection is listed here (the registration endpoint only when `Auth:Registration:Policy` is not `closed`).',
    pre: [
      '// A fresh suffix for the names this run creates (users, tenants, clients), so the collection can run again on the same server.',
      "pm.environment.set('runId', Date.now().toString(36));",
    ],
    tests: statusAndJson(200,
      check('issuer is the base URL', "pm.expect(body.issuer).to.eql(pm.variables.get('baseUrl'))"),
      check('token endpoint', "pm.expect(body.token_endpoint).to.eql(pm.variables.get('baseUrl') + '/connect/token')"),
      check('S256 PKCE only (OAuth 2.1 §4.1.1)', "pm.expect(body.code_challenge_methods_supported).to.eql(['S256'])"),
      check('the grants this collection uses', "pm.expect(body.grant_types_supported).to.include.members(['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange'])"),
    ),
  }),
  request('Authorization server metadata', 'GET', '/.well-known/oauth-authorization-server', {
    description: 'RFC 8414 §3: the same metadata at the OAuth well-known path.',
    tests: statusAndJson(200, check('issuer is the base URL', "pm.expect(body.issuer).to.eql(pm.variables.get('baseUrl'))")),
  }),
  request('JSON Web Key Set', 'GET', '/.well-known/jwks.json', {
    description: 'RFC 7517 §5: the public keys of every pending, active and retired signing key; a client picks the one whose `kid` is in the token header.',
    tests: statusAndJson(200,
      check('keys with kid and alg', 'pm.expect(body.keys).to.not.be.empty && body.keys.forEach((key) => pm.expect(key).to.include.keys("kid", "alg", "kty"))'),
      check('no private members', 'body.keys.forEach((key) => pm.expect(key).to.not.have.any.keys("d", "p", "q"))'),
    ),
  }),
]);

const clientCredentials = folder('2. Client credentials', 'A service gets a token for itself (RFC 6749 §4.4), authenticating with its secret in the `Authorization` header (`client_secret_basic`) or in the form (`client_secret_post`), RFC 6749 §2.3.1.', [
  request('Token: client_secret_basic', 'POST', '/connect/token', {
    description: 'RFC 6749 §4.4.2: `grant_type=client_credentials`, the client id and secret in HTTP Basic (§2.3.1). The token is saved as {{serviceAccessToken}} for introspection and revocation.',
    auth: serviceAuth,
    body: form([['grant_type', 'client_credentials'], ['scope', 'orders.read']]),
    tests: [...statusAndJson(200, ...tokenResponse(), check('scope orders.read', "pm.expect(body.scope).to.eql('orders.read')")), save('serviceAccessToken', 'body.access_token')],
  }),
  request('Token: client_secret_post', 'POST', '/connect/token', {
    description: 'RFC 6749 §2.3.1: the credentials in the form body, for a client registered with `client_secret_post` (demo-reporting, whose tokens live 300 s).',
    auth: noauth,
    body: form([['grant_type', 'client_credentials'], ['client_id', '{{reportingClientId}}'], ['client_secret', '{{reportingClientSecret}}']]),
    tests: statusAndJson(200, ...tokenResponse(), check('expires_in 300', 'pm.expect(body.expires_in).to.eql(300)')),
  }),
  request('Token: a wrong secret is invalid_client', 'POST', '/connect/token', {
    description: 'RFC 6749 §5.2: a failed client authentication over Basic is 401 `invalid_client` with `WWW-Authenticate`.',
    auth: basic('{{serviceClientId}}', 'not-the-secret'),
    body: form([['grant_type', 'client_credentials']]),
    tests: [...oauthError(401, 'invalid_client'), check('WWW-Authenticate: Basic', "pm.expect(pm.response.headers.get('WWW-Authenticate')).to.match(/^Basic/)")],
  }),
]);

const introspection = folder('3. Introspection and revocation', 'A client may introspect its own tokens (RFC 7662); revoking one (RFC 7009) makes it inactive everywhere.', [
  request('Introspect an active token', 'POST', '/connect/introspect', {
    description: 'RFC 7662 §2.1, §2.2: the token of "Token: client_secret_basic", introspected by the client it was issued to.',
    auth: serviceAuth,
    body: form([['token', '{{serviceAccessToken}}']]),
    tests: statusAndJson(200,
      check('active', 'pm.expect(body.active).to.eql(true)'),
      check('client_id and scope', "pm.expect(body.client_id).to.eql(pm.variables.get('serviceClientId')) && pm.expect(body.scope).to.eql('orders.read')"),
    ),
  }),
  request('Revoke the token', 'POST', '/connect/revoke', {
    description: 'RFC 7009 §2.1, §2.2: 200 with an empty body, also for a token already invalid.',
    auth: serviceAuth,
    body: form([['token', '{{serviceAccessToken}}'], ['token_type_hint', 'access_token']]),
    tests: status(200),
  }),
  request('Introspect the revoked token', 'POST', '/connect/introspect', {
    description: 'RFC 7662 §2.2: an inactive token answers only `{"active": false}`.',
    auth: serviceAuth,
    body: form([['token', '{{serviceAccessToken}}']]),
    tests: statusAndJson(200, check('inactive, nothing else', 'pm.expect(body).to.eql({ active: false })')),
  }),
]);

const authorizeQuery = (extra = []) => [
  ['response_type', 'code'],
  ['client_id', '{{webClientId}}'],
  ['redirect_uri', '{{webRedirectUriEncoded}}'],
  ['scope', 'openid%20profile%20email%20offline_access'],
  ...extra,
];

const codeFlow = folder('4. Authorization code with PKCE', [
  'A person signs in to the web app demo-web as alice (RFC 6749 §4.1, RFC 7636, OpenID Connect Core §3.1). In a real',
  'client the browser does steps 1 to 5; here requests play the browser (Postman keeps the cookies, each step stops at',
  'redirects and reads the next address from `Location`), submitting the server\'s own HTML sign-in and consent forms with',
  'their hidden fields. `prompt=login` makes the sign-in page appear even when the cookie jar still holds a session.',
  'In the Postman app you may instead use the request\'s Authorization tab, OAuth 2.0, grant type "Authorization Code (With',
  'PKCE)": auth URL {{baseUrl}}/connect/authorize, token URL {{baseUrl}}/connect/token, client demo-web with its secret,',
  'callback {{webRedirectUri}}, scope `openid profile email offline_access`; Postman then opens the sign-in page for you.',
].join(' '), [
  request('1. Authorize: the sign-in page', 'GET', '/connect/authorize', {
    description: 'RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1: the authorization request with an S256 challenge, `state` and `nonce`. Without a session the answer is the sign-in page (200, HTML) whose form carries `csrf_token` and the pending `request`.',
    query: authorizeQuery([['state', '{{state}}'], ['nonce', '{{nonce}}'], ['code_challenge', '{{webCodeChallenge}}'], ['code_challenge_method', 'S256'], ['prompt', 'login']]),
    redirects: false,
    pre: [...pkce('web'), "pm.environment.set('state', 'st-' + pm.environment.get('runId'));", "pm.environment.set('nonce', 'n-' + pm.environment.get('runId'));"],
    tests: [...status(200), ...fieldHelper,
      check('the sign-in form', "pm.expect(pm.response.text()).to.include('action=\"/account/login\"')"),
      save('csrfToken', "field('csrf_token')"), save('pendingRequest', "field('request')")],
  }),
  request('2. Sign in as alice (the HTML form)', 'POST', '/account/login', {
    description: 'Not a protocol endpoint: the server\'s sign-in form, as the browser posts it. 303 back to the authorization endpoint, with the session cookie.',
    body: form([['csrf_token', '{{csrfToken}}'], ['request', '{{pendingRequest}}'], ['username', '{{username}}'], ['password', '{{password}}']]),
    redirects: false,
    tests: [...status(303), ...locationHelper,
      check('back to the authorization endpoint', "pm.expect(location).to.include('/connect/authorize')"),
      save('nextUrl', 'location')],
  }),
  request('3. Authorize again: consent (or the code at once)', 'GET', '{{nextUrl}}', {
    description: 'RFC 6749 §4.1.1: signed in, the server asks for consent once per user, client and scopes (a consent page, 200); once given, it redirects at once and the consent step is skipped.',
    redirects: false,
    tests: [...fieldHelper, ...locationHelper,
      check('a consent page or the redirect to the client', 'pm.expect(pm.response.code).to.be.oneOf([200, 302, 303])'),
      'if (pm.response.code === 200) {',
      "  pm.test('the consent form', () => pm.expect(pm.response.text()).to.include('action=\"/account/consent\"'));",
      "  pm.environment.set('csrfToken', field('csrf_token'));",
      "  pm.environment.set('pendingRequest', field('request'));",
      '} else {',
      "  // Consent was given before: no consent form to post. Step 5 asks again and reads the redirect (this answer's code is left to expire).",
      "  pm.test('a redirect to the client', () => pm.expect(location.startsWith(pm.variables.get('webRedirectUri') + '?')).to.eql(true));",
      "  postman.setNextRequest('5. The redirect to the client: code, state, iss');",
      '}'],
  }),
  request('4. Allow (the consent form)', 'POST', '/account/consent', {
    description: 'Not a protocol endpoint: the consent form. 303 back to the authorization endpoint, which then redirects to the client.',
    body: form([['csrf_token', '{{csrfToken}}'], ['request', '{{pendingRequest}}'], ['decision', 'allow']]),
    redirects: false,
    tests: [...status(303), ...locationHelper, save('nextUrl', 'location')],
  }),
  request('5. The redirect to the client: code, state, iss', 'GET', '{{nextUrl}}', {
    description: 'RFC 6749 §4.1.2: the redirect to the registered `redirect_uri` with `code` and the client\'s `state`; RFC 9207 §2: `iss` names this server (the client checks it against the issuer to stop mix-up attacks). The callback address is not served: the code is read from `Location`. (When consent was given before, step 3 comes straight here.)',
    redirects: false,
    tests: [...locationHelper,
      check('a redirect to the registered redirect_uri', "pm.expect(pm.response.code).to.be.oneOf([302, 303]); pm.expect(location.startsWith(pm.variables.get('webRedirectUri') + '?')).to.eql(true)"),
      check('state is echoed', "pm.expect(parameter('state')).to.eql(pm.environment.get('state'))"),
      check('iss is this server (RFC 9207)', "pm.expect(parameter('iss')).to.eql(pm.variables.get('baseUrl'))"),
      save('code', "parameter('code')")],
  }),
  request('6. Token: redeem the code with the verifier', 'POST', '/connect/token', {
    description: 'RFC 6749 §4.1.3, RFC 7636 §4.5: the code, the same `redirect_uri` and the PKCE `code_verifier`, authenticated as demo-web. The code works once (OAuth 2.1 §4.1.3). Saves {{accessToken}}, {{refreshToken}} and {{idToken}}.',
    auth: webAuth,
    body: form([['grant_type', 'authorization_code'], ['code', '{{code}}'], ['code_verifier', '{{webCodeVerifier}}'], ['redirect_uri', CALLBACK]]),
    tests: [...statusAndJson(200, ...tokenResponse(),
      check('the scopes asked for', "pm.expect(body.scope.split(' ')).to.include.members(['openid', 'offline_access'])"),
      check('a refresh token (offline_access)', 'pm.expect(body.refresh_token).to.be.a("string")')),
    ...claimsHelper,
    check('ID token: nonce, aud and sub (OpenID Connect Core §3.1.3.7)', "const id = claims(body.id_token); pm.expect(id.nonce).to.eql(pm.environment.get('nonce')); pm.expect(id.aud).to.eql(pm.variables.get('webClientId')); pm.expect(id.iss).to.eql(pm.variables.get('baseUrl'))"),
    save('accessToken', 'body.access_token'), save('refreshToken', 'body.refresh_token'), save('idToken', 'body.id_token')],
  }),
]);

const userInfo = folder('5. UserInfo', 'OpenID Connect Core §5.3: the signed-in user\'s claims, by the access token of the code flow.', [
  request('UserInfo (GET, bearer header)', 'GET', '/connect/userinfo', {
    description: 'OpenID Connect Core §5.3.1, RFC 6750 §2.1: the access token in the `Authorization: Bearer` header.',
    auth: bearer('{{accessToken}}'),
    tests: statusAndJson(200,
      check('alice', "pm.expect(body.preferred_username).to.eql(pm.variables.get('username'))"),
      check('email scope claims', "pm.expect(body.email).to.eql('alice@example.com') && pm.expect(body.email_verified).to.eql(true)")),
  }),
  request('UserInfo (POST)', 'POST', '/connect/userinfo', {
    description: 'OpenID Connect Core §5.3.1: POST is allowed too.',
    auth: bearer('{{accessToken}}'),
    tests: statusAndJson(200, check('a subject', 'pm.expect(body.sub).to.be.a("string")')),
  }),
  request('UserInfo without a token', 'GET', '/connect/userinfo', {
    description: 'RFC 6750 §3: no token is 401 with a `WWW-Authenticate: Bearer` challenge.',
    auth: noauth,
    tests: [...status(401), check('WWW-Authenticate: Bearer', "pm.expect(pm.response.headers.get('WWW-Authenticate')).to.match(/^Bearer/)")],
  }),
]);

const refresh = folder('6. Refresh tokens', 'RFC 6749 §6: every refresh returns a new refresh token (rotation); presenting a used one again revokes the whole family (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).', [
  request('Refresh', 'POST', '/connect/token', {
    description: 'RFC 6749 §6: `grant_type=refresh_token`, authenticated as the client the token was issued to. Saves the old one as {{usedRefreshToken}}.',
    auth: webAuth,
    body: form([['grant_type', 'refresh_token'], ['refresh_token', '{{refreshToken}}']]),
    tests: [...statusAndJson(200, ...tokenResponse(), check('rotated', "pm.expect(body.refresh_token).to.not.eql(pm.environment.get('refreshToken'))")),
      save('usedRefreshToken', "pm.environment.get('refreshToken')"), save('refreshToken', 'body.refresh_token')],
  }),
  request('Refresh with the used token: invalid_grant', 'POST', '/connect/token', {
    description: 'OAuth 2.1 §4.3.1, RFC 9700 §4.14.2: reuse of a rotated refresh token is `invalid_grant` and revokes the family.',
    auth: webAuth,
    body: form([['grant_type', 'refresh_token'], ['refresh_token', '{{usedRefreshToken}}']]),
    tests: oauthError(400, 'invalid_grant'),
  }),
  request('Refresh with the newest token: revoked with its family', 'POST', '/connect/token', {
    description: 'RFC 9700 §4.14.2: after the reuse, the newest refresh token of the family is refused too.',
    auth: webAuth,
    body: form([['grant_type', 'refresh_token'], ['refresh_token', '{{refreshToken}}']]),
    tests: oauthError(400, 'invalid_grant'),
  }),
]);

const par = folder('7. Pushed authorization request', 'RFC 9126: the client pushes the whole authorization request over the back channel (authenticated) and the browser carries only `client_id` and the `request_uri`. alice\'s session and consent of folder 4 make the redirect come at once.', [
  request('Push the request', 'POST', '/connect/par', {
    description: 'RFC 9126 §2.1, §2.2: 201 with a one-time `request_uri` and its lifetime.',
    auth: webAuth,
    pre: pkce('par'),
    body: form([['response_type', 'code'], ['redirect_uri', CALLBACK], ['scope', 'openid profile email offline_access'], ['state', 'par-state'], ['code_challenge', '{{parCodeChallenge}}'], ['code_challenge_method', 'S256']]),
    tests: [...statusAndJson(201,
      check('request_uri (RFC 9126 §2.2)', "pm.expect(body.request_uri).to.match(/^urn:ietf:params:oauth:request_uri:/)"),
      check('expires_in 60', 'pm.expect(body.expires_in).to.eql(60)')),
    save('requestUri', 'encodeURIComponent(body.request_uri)')],
  }),
  request('Authorize with the request_uri', 'GET', '/connect/authorize', {
    description: 'RFC 9126 §4: only `client_id` and `request_uri` in the front channel. Signed in and consented: a redirect with the code.',
    query: [['client_id', '{{webClientId}}'], ['request_uri', '{{requestUri}}']],
    redirects: false,
    tests: [...locationHelper, check('a redirect with a code', 'pm.expect(pm.response.code).to.be.oneOf([302, 303]) && pm.expect(parameter("code")).to.be.a("string")'),
      check('state of the pushed request', "pm.expect(parameter('state')).to.eql('par-state')"), save('code', "parameter('code')")],
  }),
  request('Token: redeem the PAR code', 'POST', '/connect/token', {
    description: 'RFC 6749 §4.1.3, RFC 7636 §4.5: as for any code.',
    auth: webAuth,
    body: form([['grant_type', 'authorization_code'], ['code', '{{code}}'], ['code_verifier', '{{parCodeVerifier}}'], ['redirect_uri', CALLBACK]]),
    tests: statusAndJson(200, ...tokenResponse()),
  }),
  request('The request_uri again: an error page', 'GET', '/connect/authorize', {
    description: 'RFC 9126 §4: a `request_uri` is used once. An invalid request is an error page (400), never a redirect (RFC 9700 §4.11).',
    query: [['client_id', '{{webClientId}}'], ['request_uri', '{{requestUri}}']],
    redirects: false,
    tests: status(400),
  }),
]);

const device = folder('8. Device authorization', 'RFC 8628: a device without a browser (demo-tv, a public client) asks for codes and polls; the person allows it in a browser. Here the cookie jar still holds alice\'s session of folder 4, so the device page asks her for consent at once (a browser without a session shows the sign-in form first, posted to /device/login).', [
  request('Device authorization request', 'POST', '/connect/deviceauthorization', {
    description: 'RFC 8628 §3.1, §3.2: `device_code`, `user_code`, `verification_uri(_complete)`, `expires_in`, `interval`.',
    body: form([['client_id', '{{tvClientId}}'], ['scope', 'openid profile offline_access orders.read']]),
    tests: [...statusAndJson(200,
      check('the codes and the verification URI', "pm.expect(body).to.include.keys('device_code', 'user_code', 'verification_uri_complete', 'interval') && pm.expect(body.verification_uri).to.eql(pm.variables.get('baseUrl') + '/device')")),
    save('deviceCode', 'body.device_code'), save('userCode', 'body.user_code'), save('verificationUriComplete', 'body.verification_uri_complete'), save('pollInterval', 'body.interval')],
  }),
  request('Poll: authorization_pending', 'POST', '/connect/token', {
    description: 'RFC 8628 §3.4, §3.5: nobody has decided yet.',
    body: form([['grant_type', 'urn:ietf:params:oauth:grant-type:device_code'], ['client_id', '{{tvClientId}}'], ['device_code', '{{deviceCode}}']]),
    tests: oauthError(400, 'authorization_pending'),
  }),
  request('Browser: open verification_uri_complete', 'GET', '{{verificationUriComplete}}', {
    description: 'RFC 8628 §3.3.1: the person opens the link with the user code filled in; signed in already, the page asks to allow the device.',
    redirects: false,
    tests: [...status(200), ...fieldHelper,
      check('the device consent form with the user code', "pm.expect(field('user_code')).to.eql(pm.environment.get('userCode'))"),
      save('csrfToken', "field('csrf_token')")],
  }),
  request('Browser: allow the device', 'POST', '/device', {
    description: 'RFC 8628 §3.3: the person allows; the page says to go back to the device.',
    body: form([['csrf_token', '{{csrfToken}}'], ['user_code', '{{userCode}}'], ['decision', 'allow']]),
    tests: [...status(200), check('done', "pm.expect(pm.response.text()).to.include('You may return to your device')")],
  }),
  request('Poll: the tokens', 'POST', '/connect/token', {
    description: 'RFC 8628 §3.4, §3.5: after the interval (polling faster is `slow_down`) the tokens, once.',
    pre: ['// RFC 8628 §3.5: wait the interval the server asked for before polling again.', "setTimeout(() => {}, Number(pm.environment.get('pollInterval') || 5) * 1000);"],
    body: form([['grant_type', 'urn:ietf:params:oauth:grant-type:device_code'], ['client_id', '{{tvClientId}}'], ['device_code', '{{deviceCode}}']]),
    tests: statusAndJson(200, ...tokenResponse(), check('the scopes asked for', "pm.expect(body.scope).to.eql('openid profile offline_access orders.read')")),
  }),
]);

const tokenExchange = folder('9. Token exchange', 'RFC 8693: demo-worker acts for a caller. It exchanges the caller\'s token (the subject, here a token of demo-service: {{serviceToken}}, fetched and cached by the collection\'s pre-request script) for a token to the Orders API that names the acting party in `act` (the actor token: an access token of demo-reporting).', [
  request('Actor token (demo-reporting)', 'POST', '/connect/token', {
    description: 'RFC 6749 §4.4, §2.3.1 (client_secret_post): the actor\'s own token, saved as {{actorToken}}.',
    body: form([['grant_type', 'client_credentials'], ['client_id', '{{reportingClientId}}'], ['client_secret', '{{reportingClientSecret}}']]),
    tests: [...statusAndJson(200, ...tokenResponse()), save('actorToken', 'body.access_token')],
  }),
  request('Exchange', 'POST', '/connect/token', {
    description: 'RFC 8693 §2.1, §2.2, §4.1: `subject_token` and `actor_token` (both access tokens), `resource` the Orders API; the issued token carries `act.sub`.',
    auth: basic('{{workerClientId}}', '{{workerClientSecret}}'),
    body: form([['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'], ['subject_token', '{{serviceToken}}'], ['subject_token_type', 'urn:ietf:params:oauth:token-type:access_token'], ['actor_token', '{{actorToken}}'], ['actor_token_type', 'urn:ietf:params:oauth:token-type:access_token'], ['resource', 'https://api.example.com/orders']]),
    tests: [...statusAndJson(200, ...tokenResponse(), check('issued_token_type (RFC 8693 §2.2.1)', "pm.expect(body.issued_token_type).to.eql('urn:ietf:params:oauth:token-type:access_token')")),
      ...claimsHelper,
      check('sub is the subject, act.sub the actor (RFC 8693 §4.1)', "const c = claims(body.access_token); pm.expect(c.sub).to.eql(pm.variables.get('serviceClientId')); pm.expect(c.act.sub).to.eql(pm.variables.get('reportingClientId'))")],
  }),
]);

const registration = folder('10. Dynamic client registration', 'RFC 7591 and RFC 7592. Needs the server started with `--Auth:Registration:Policy=initial_access_token` (or `open`); with the default `closed` the endpoint is not in the discovery document and answers 403. Here an admin issues an initial access token (admin API), an app registers itself with it, then reads, replaces and deletes its registration with its `registration_access_token`.', [
  request('Issue an initial access token (admin API)', 'POST', '/admin/registration/initial-access-tokens', {
    description: 'RFC 7591 §3: registration may require an initial access token. The admin API issues one (shown once), here for a single use within an hour.',
    auth: bearer('{{adminToken}}'),
    body: json({ expires_in: 3600, max_uses: 1 }),
    tests: [...statusAndJson(201, check('the token, shown once', 'pm.expect(body.token).to.be.a("string") && pm.expect(body.active).to.eql(true)')),
      save('initialAccessToken', 'body.token'), save('initialAccessTokenId', 'body.id')],
  }),
  request('Register a client', 'POST', '/connect/register', {
    description: 'RFC 7591 §3.1, §3.2.1: the client metadata as JSON, the initial access token as a bearer token; 201 with `client_id`, `client_secret`, and (RFC 7592 §3) `registration_access_token` and `registration_client_uri`.',
    auth: bearer('{{initialAccessToken}}'),
    body: json({ client_name: 'Postman registered app', redirect_uris: ['http://127.0.0.1:8765/callback'], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', scope: 'openid profile' }),
    tests: [...statusAndJson(201,
      check('client_id and secret', 'pm.expect(body.client_id).to.be.a("string") && pm.expect(body.client_secret).to.be.a("string")'),
      check('registration_client_uri (RFC 7592 §3)', "pm.expect(body.registration_client_uri).to.eql(pm.variables.get('baseUrl') + '/connect/register/' + body.client_id)")),
    save('registeredClientId', 'body.client_id'), save('registrationAccessToken', 'body.registration_access_token')],
  }),
  request('Read the registration', 'GET', '/connect/register/{{registeredClientId}}', {
    description: 'RFC 7592 §2.1: the current metadata, with the registration access token.',
    auth: bearer('{{registrationAccessToken}}'),
    tests: statusAndJson(200, check('the same client', "pm.expect(body.client_id).to.eql(pm.environment.get('registeredClientId')) && pm.expect(body.client_name).to.eql('Postman registered app')")),
  }),
  request('Replace the registration', 'PUT', '/connect/register/{{registeredClientId}}', {
    description: 'RFC 7592 §2.2: the full metadata with `client_id`; the answer carries a new registration access token (the old one stops working).',
    auth: bearer('{{registrationAccessToken}}'),
    body: json({ client_id: '{{registeredClientId}}', client_name: 'Postman registered app, renamed', redirect_uris: ['http://127.0.0.1:8765/callback'], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', scope: 'openid profile' }),
    tests: [...statusAndJson(200, check('renamed', "pm.expect(body.client_name).to.eql('Postman registered app, renamed')"),
      check('a new registration access token', "pm.expect(body.registration_access_token).to.be.a('string').and.not.eql(pm.environment.get('registrationAccessToken'))")),
    save('registrationAccessToken', 'body.registration_access_token')],
  }),
  request('Delete the registration', 'DELETE', '/connect/register/{{registeredClientId}}', {
    description: 'RFC 7592 §2.3: 204; the client and its tokens stop working.',
    auth: bearer('{{registrationAccessToken}}'),
    tests: status(204),
  }),
]);

// ---------------------------------------------------------------------------------------------------------------------
// The admin API: every operation of /swagger/v1/swagger.json, with {{adminToken}}.

const adminNote = (text) => `${text} Admin API (README, "Administer it"; errors are RFC 9457 problem details).`;
const created = (...checks) => [...statusAndJson(201, ...checks), check('Location of the new resource (RFC 9110 §15.3.2)', "pm.expect(pm.response.headers.get('Location')).to.be.a('string')")];
const page = (...checks) => statusAndJson(200, check('a page: items and next_cursor', "pm.expect(body).to.have.property('items').that.is.an('array') && pm.expect(body).to.have.property('next_cursor')"), ...checks);
const etag = () => check('an ETag for If-Match (RFC 9110 §8.8.3)', "pm.expect(pm.response.headers.get('ETag')).to.be.a('string')");
const saveEtag = (variable) => `pm.environment.set('${variable}', pm.response.headers.get('ETag'));`;
const admin = (name, method, path, options) => request(name, method, path, { ...options, description: adminNote(options.description) });

const clients = folder('Clients', 'Registering and managing OAuth clients (the same metadata as RFC 7591 §2).', [
  admin('Register a client', 'POST', '/admin/clients', {
    description: 'A confidential client for client credentials; its `client_id` is generated when none is given and its secret is shown once.',
    body: json({ client_name: 'Billing {{runId}}', grant_types: ['client_credentials'], scope: 'invoices.read', token_endpoint_auth_method: 'client_secret_basic' }),
    tests: [...created(check('id and secret, shown once', 'pm.expect(body.client_id).to.be.a("string") && pm.expect(body.client_secret).to.be.a("string")')),
      save('clientId', 'body.client_id'), save('clientSecret', 'body.client_secret')],
  }),
  request('The new client gets a token', 'POST', '/connect/token', {
    description: 'RFC 6749 §4.4: the new client works at once.',
    auth: basic('{{clientId}}', '{{clientSecret}}'),
    body: form([['grant_type', 'client_credentials']]),
    tests: statusAndJson(200, check('scope', "pm.expect(body.scope).to.eql('invoices.read')")),
  }),
  admin('List clients', 'GET', '/admin/clients', {
    description: 'Filtered by `grant_type`, paged by `cursor` and `limit`.',
    query: [['grant_type', 'client_credentials'], ['limit', '200']],
    tests: page(check('the new client is listed', "pm.expect(body.items.map((c) => c.client_id)).to.include(pm.environment.get('clientId'))")),
  }),
  admin('Read a client', 'GET', '/admin/clients/{{clientId}}', {
    description: 'The settings, never the secret; the ETag is the version for `If-Match`.',
    tests: [...statusAndJson(200, check('the client', "pm.expect(body.client_name).to.eql('Billing ' + pm.environment.get('runId'))"), etag()), saveEtag('clientEtag')],
  }),
  admin('Replace a client\'s settings', 'PUT', '/admin/clients/{{clientId}}', {
    description: 'Replaces every setting (absent members take their defaults); conditional on the ETag of the read (`If-Match`, 412 when stale).',
    headers: [{ key: 'If-Match', value: '{{clientEtag}}' }],
    body: json({ client_name: 'Billing {{runId}} (renamed)', grant_types: ['client_credentials'], scope: 'invoices.read', token_endpoint_auth_method: 'client_secret_basic', access_token_lifetime: 600 }),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.client_name).to.eql('Billing ' + pm.environment.get('runId') + ' (renamed)')"), check('lifetime', 'pm.expect(body.access_token_lifetime).to.eql(600)')),
  }),
  admin('Replace with a stale ETag: 412', 'PUT', '/admin/clients/{{clientId}}', {
    description: 'RFC 9110 §13.1.1: the ETag read before the last change no longer matches.',
    headers: [{ key: 'If-Match', value: '{{clientEtag}}' }],
    body: json({ client_name: 'Billing {{runId}}', grant_types: ['client_credentials'], scope: 'invoices.read', token_endpoint_auth_method: 'client_secret_basic' }),
    tests: problem(412),
  }),
  admin('Disable a client', 'POST', '/admin/clients/{{clientId}}/disable', {
    description: 'A disabled client can get no token; its tokens stop working.',
    tests: statusAndJson(200, check('disabled', 'pm.expect(body.enabled).to.eql(false)')),
  }),
  admin('Enable a client', 'POST', '/admin/clients/{{clientId}}/enable', {
    description: 'Enabled again.',
    tests: statusAndJson(200, check('enabled', 'pm.expect(body.enabled).to.eql(true)')),
  }),
  admin('Rotate a client\'s secret', 'POST', '/admin/clients/{{clientId}}/secrets', {
    description: 'A new secret (shown once); the previous ones keep working for `previous_secrets_expire_in` seconds, so deployments can switch.',
    body: json({ previous_secrets_expire_in: 3600 }),
    tests: [...created(check('the new secret', 'pm.expect(body.client_secret).to.be.a("string") && pm.expect(body.active).to.eql(true)')), save('newSecretId', 'body.id')],
  }),
  admin('List a client\'s secrets', 'GET', '/admin/clients/{{clientId}}/secrets', {
    description: 'Ids, dates and state, never the values. Saves the first (older) secret\'s id as {{secretId}}.',
    tests: [...page(check('two secrets', 'pm.expect(body.items.length).to.eql(2)')),
      save('secretId', "body.items.find((s) => s.id !== pm.environment.get('newSecretId')).id")],
  }),
  admin('Revoke one secret', 'DELETE', '/admin/clients/{{clientId}}/secrets/{{secretId}}', {
    description: 'The old secret stops working at once.',
    tests: status(204),
  }),
  admin('Delete a client', 'DELETE', '/admin/clients/{{clientId}}', {
    description: 'The client and its grants are gone.',
    tests: status(204),
  }),
  admin('Read the deleted client: 404', 'GET', '/admin/clients/{{clientId}}', {
    description: 'RFC 9457 problem details.',
    tests: problem(404),
  }),
  request('The admin API without the admin scope: 403', 'GET', '/admin/clients', {
    description: 'RFC 6750 §3.1: a valid token of this server without the `admin` scope is `insufficient_scope`, 403 (here demo-reporting\'s {{actorToken}} of folder 9).',
    auth: bearer('{{actorToken}}'),
    tests: status(403),
  }),
]);

const resources = folder('Resources', 'Protected resources (APIs): their identifiers (RFC 8707 `resource`), scopes and token settings.', [
  admin('Register a protected resource', 'POST', '/admin/resources', {
    description: 'An API with its scopes; its identifier is an absolute URI (RFC 8707 §2), URL-encoded in the paths below.',
    body: json({ resource: 'https://invoices.example.com/{{runId}}', name: 'Invoices API', scopes: ['invoices.read', 'invoices.write'], access_token_lifetime: 600 }),
    tests: [...created(check('the resource', "pm.expect(body.resource).to.eql('https://invoices.example.com/' + pm.environment.get('runId'))")),
      save('resourceId', 'encodeURIComponent(body.resource)')],
  }),
  admin('List protected resources', 'GET', '/admin/resources', {
    description: 'Paged by `cursor` and `limit`.',
    query: [['limit', '200']],
    tests: page(check('the demo Orders API', "pm.expect(body.items.map((r) => r.resource)).to.include('https://api.example.com/orders')")),
  }),
  admin('Read a protected resource', 'GET', '/admin/resources/{{resourceId}}', {
    description: 'Its settings and ETag.',
    tests: statusAndJson(200, check('scopes', "pm.expect(body.scopes).to.eql(['invoices.read', 'invoices.write'])"), etag()),
  }),
  admin('Replace a protected resource\'s settings', 'PUT', '/admin/resources/{{resourceId}}', {
    description: 'Every setting; `If-Match` optional.',
    body: json({ resource: 'https://invoices.example.com/{{runId}}', name: 'Invoices API v2', scopes: ['invoices.read'], access_token_lifetime: 300 }),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.name).to.eql('Invoices API v2')")),
  }),
  admin('Disable a protected resource', 'POST', '/admin/resources/{{resourceId}}/disable', {
    description: 'No token is issued for a disabled resource.',
    tests: statusAndJson(200, check('disabled', 'pm.expect(body.enabled).to.eql(false)')),
  }),
  admin('Enable a protected resource', 'POST', '/admin/resources/{{resourceId}}/enable', {
    description: 'Enabled again.',
    tests: statusAndJson(200, check('enabled', 'pm.expect(body.enabled).to.eql(true)')),
  }),
  admin('Delete a protected resource', 'DELETE', '/admin/resources/{{resourceId}}', {
    description: 'Gone.',
    tests: status(204),
  }),
]);

const users = folder('Users', 'Local accounts: create, invite, profile, password, lockout, sessions, second factors, upstream identities.', [
  admin('Create a user', 'POST', '/admin/users', {
    description: 'A local account with a password (the password policy applies); the e-mail address unverified, so a verification link can be sent below.',
    body: json({ username: 'jdoe-{{runId}}', email: 'jdoe-{{runId}}@example.com', email_verified: false, name: 'Jane Doe', password: 'correct horse battery staple' }),
    tests: [...created(check('the user', "pm.expect(body.username).to.eql('jdoe-' + pm.environment.get('runId')) && pm.expect(body.has_password).to.eql(true)")), save('userId', 'body.id')],
  }),
  admin('List and search users', 'GET', '/admin/users', {
    description: '`q` searches username, e-mail and name. Saves alice\'s id as {{aliceId}} (her sessions and consent are below).',
    query: [['q', '{{username}}']],
    tests: [...page(check('alice', "pm.expect(body.items.map((u) => u.username)).to.include(pm.variables.get('username'))")),
      save('aliceId', "body.items.find((u) => u.username === pm.variables.get('username')).id")],
  }),
  admin('Read a user', 'GET', '/admin/users/{{userId}}', {
    description: 'The profile and account state, with its ETag.',
    tests: statusAndJson(200, check('not locked out', 'pm.expect(body.locked_out).to.eql(false)'), etag()),
  }),
  admin('Update a user\'s profile', 'PUT', '/admin/users/{{userId}}', {
    description: 'E-mail, its verified flag and the name.',
    body: json({ email: 'jane-{{runId}}@example.org', email_verified: false, name: 'Jane Q. Doe' }),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.name).to.eql('Jane Q. Doe')")),
  }),
  admin('Set a user\'s password', 'PUT', '/admin/users/{{userId}}/password', {
    description: 'A new password (the policy applies; the user\'s sessions end).',
    body: json({ password: 'a new long passphrase for jane' }),
    tests: status(204),
  }),
  admin('Send a user an e-mail verification link', 'POST', '/admin/users/{{userId}}/email-verification', {
    description: 'Queues the e-mail (see "List outgoing e-mail"); 400 when the address is already verified.',
    tests: status(202),
  }),
  admin('Disable a user', 'POST', '/admin/users/{{userId}}/disable', {
    description: 'A disabled user cannot sign in; their sessions end.',
    tests: statusAndJson(200, check('disabled', 'pm.expect(body.disabled).to.eql(true)')),
  }),
  admin('Enable a user', 'POST', '/admin/users/{{userId}}/enable', {
    description: 'Enabled again.',
    tests: statusAndJson(200, check('enabled', 'pm.expect(body.disabled).to.eql(false)')),
  }),
  admin('Unlock a user', 'POST', '/admin/users/{{userId}}/unlock', {
    description: 'Ends a lockout after failed sign-ins (200 with the user). This user is not locked out, so the answer is 400 with the reason under `errors.lockout`; lock an account with repeated wrong passwords to see the 200.',
    tests: [...problem(400), check('not locked out', "pm.expect(pm.response.json().errors).to.have.property('lockout')")],
  }),
  admin('Remove a user\'s second factors', 'DELETE', '/admin/users/{{userId}}/second-factors', {
    description: 'Removes TOTP and recovery codes (a user who lost their device); 204 also when there were none.',
    tests: status(204),
  }),
  admin('Remove a user\'s passkeys', 'DELETE', '/admin/users/{{userId}}/passkeys', {
    description: 'Removes every WebAuthn credential; 204 also when there were none.',
    tests: status(204),
  }),
  admin('List a user\'s linked upstream identities', 'GET', '/admin/users/{{userId}}/identities', {
    description: 'Accounts at upstream identity providers (external providers) linked to this user; none here.',
    tests: page(check('none', 'pm.expect(body.items).to.be.empty')),
  }),
  admin('Unlink one of a user\'s upstream identities', 'DELETE', '/admin/users/{{userId}}/identities/{{identityId}}', {
    description: 'Takes an id from the list above (204). The demo user has no linked identity, so this asks for one that does not exist: 404 problem details.',
    pre: ["pm.environment.set('identityId', '00000000-0000-0000-0000-000000000000');"],
    tests: problem(404),
  }),
  admin('List a user\'s browser sessions', 'GET', '/admin/users/{{aliceId}}/sessions', {
    description: 'alice\'s sessions: the one of the code flow (folder 4). Saves its id as {{sessionId}}.',
    tests: [...page(check('at least one session', 'pm.expect(body.items).to.not.be.empty')), save('sessionId', 'body.items[0].id')],
  }),
  admin('End one of a user\'s sessions', 'DELETE', '/admin/users/{{aliceId}}/sessions/{{sessionId}}', {
    description: 'Signs that browser out (back-channel logout notifications go to the clients it signed in to).',
    tests: status(204),
  }),
  admin('End all of a user\'s sessions', 'DELETE', '/admin/users/{{aliceId}}/sessions', {
    description: 'Every browser of the user is signed out.',
    tests: status(204),
  }),
  admin('Invite a user by e-mail', 'POST', '/admin/users/invitations', {
    description: 'Creates the account without a password and e-mails a link to set one.',
    body: json({ email: 'invitee-{{runId}}@example.com', name: 'Invited Person' }),
    tests: [...created(check('no password yet', 'pm.expect(body.has_password).to.eql(false)')), save('invitedUserId', 'body.id')],
  }),
  admin('Send an invitation again', 'POST', '/admin/users/{{invitedUserId}}/invitation', {
    description: 'A new link; the previous one stops working.',
    tests: status(202),
  }),
  admin('List outgoing e-mail', 'GET', '/admin/emails', {
    description: 'The e-mail outbox of one user (invitations, verification links), with delivery state.',
    query: [['user_id', '{{invitedUserId}}']],
    tests: page(check('the invitation e-mails', "pm.expect(body.items.map((e) => e.purpose)).to.include('invitation')")),
  }),
  admin('Withdraw an invitation', 'DELETE', '/admin/users/{{invitedUserId}}/invitation', {
    description: 'The link stops working and the account that was never used is deleted.',
    tests: status(204),
  }),
]);

const consents = folder('Consents', 'What users allowed clients to do (the consent of folder 4: alice to demo-web).', [
  admin('List consents, optionally per user or per client', 'GET', '/admin/consents', {
    description: 'Filtered by `user_id` and/or `client_id`.',
    query: [['user_id', '{{aliceId}}']],
    tests: page(check('alice consented to demo-web', "pm.expect(body.items.map((c) => c.client_id)).to.include(pm.variables.get('webClientId'))")),
  }),
  admin('Read a user\'s consent to a client', 'GET', '/admin/consents/{{aliceId}}/{{webClientId}}', {
    description: 'The scopes granted and when.',
    tests: statusAndJson(200, check('the scopes of the code flow', "pm.expect(body.scopes).to.include.members(['openid', 'offline_access'])")),
  }),
  admin('Revoke a user\'s consent to a client', 'DELETE', '/admin/consents/{{aliceId}}/{{webClientId}}', {
    description: 'The next authorization request asks again (so this collection runs again the same way).',
    tests: status(204),
  }),
]);

const tenantWebhookBody = (description) => ({ url: 'https://hooks.example.com/authservice', event_types: ['tenant.member.added', 'tenant.member.removed'], description, enabled: true });
const webhookBody = (description) => ({ url: 'https://hooks.example.com/authservice', event_types: ['user.created', 'user.deleted'], description, enabled: true });

const tenants = folder('Tenants', 'Organisations: members with roles, invitations, a policy, their own webhooks.', [
  admin('Create a tenant', 'POST', '/admin/tenants', {
    description: 'A slug (unique), a display name and a policy.',
    body: json({ slug: 'acme-{{runId}}', display_name: 'Acme Corporation', policy: { require_mfa: false, allowed_sign_in_methods: ['password', 'passkey'], allowed_email_domains: [] } }),
    tests: [...created(check('active', "pm.expect(body.status).to.eql('active')")), save('tenantId', 'body.id')],
  }),
  admin('List tenants', 'GET', '/admin/tenants', {
    description: 'Filtered by `slug_prefix` and `status`.',
    query: [['slug_prefix', 'acme-{{runId}}']],
    tests: page(check('the tenant', 'pm.expect(body.items.length).to.eql(1)')),
  }),
  admin('Read a tenant', 'GET', '/admin/tenants/{{tenantId}}', {
    description: 'Its settings and ETag.',
    tests: statusAndJson(200, check('the slug', "pm.expect(body.slug).to.eql('acme-' + pm.environment.get('runId'))"), etag()),
  }),
  admin('Replace a tenant\'s display name, status and policy', 'PUT', '/admin/tenants/{{tenantId}}', {
    description: 'The slug does not change.',
    body: json({ slug: 'acme-{{runId}}', display_name: 'Acme Corp.', status: 'active', policy: { require_mfa: true } }),
    tests: statusAndJson(200, check('renamed, MFA required', "pm.expect(body.display_name).to.eql('Acme Corp.') && pm.expect(body.policy.require_mfa).to.eql(true)")),
  }),
  admin('Subscribe a receiver to a tenant\'s webhook events', 'POST', '/admin/tenants/{{tenantId}}/webhooks', {
    description: 'Standard Webhooks signatures (docs/guides/webhooks.md); the signing secret is shown once. The URL must be https; a tenant\'s subscription takes the `tenant.*` event types.',
    body: json(tenantWebhookBody('Tenant CRM sync')),
    tests: [...created(check('the secret, shown once', "pm.expect(body.secret).to.match(/^whsec_/)")), save('tenantWebhookId', 'body.webhook.id')],
  }),
  admin('List a tenant\'s webhook subscriptions', 'GET', '/admin/tenants/{{tenantId}}/webhooks', {
    description: 'Paged.',
    tests: page(check('one subscription', 'pm.expect(body.items.length).to.eql(1)')),
  }),
  admin('Read a tenant\'s webhook subscription', 'GET', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}', {
    description: 'Its settings, never the secret.',
    tests: statusAndJson(200, check('the URL', "pm.expect(body.url).to.eql('https://hooks.example.com/authservice')")),
  }),
  admin('Replace a tenant\'s webhook subscription', 'PUT', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}', {
    description: 'Every setting.',
    body: json(tenantWebhookBody('Tenant CRM sync v2')),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.description).to.eql('Tenant CRM sync v2')")),
  }),
  admin('Rotate a tenant\'s webhook signing secret', 'POST', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}/secret', {
    description: 'A new secret; the previous one keeps signing alongside for a day so receivers can switch.',
    tests: statusAndJson(200, check('the new secret', 'pm.expect(body.secret).to.match(/^whsec_/); pm.expect(body.previous_secret_expires_at).to.be.a("string")')),
  }),
  admin('Add an existing user to a tenant', 'POST', '/admin/tenants/{{tenantId}}/members', {
    description: 'The user of "Create a user", as a member (a `tenant.member.added` event for the subscription above).',
    body: json({ user_id: '{{userId}}', roles: ['member'] }),
    tests: created(check('roles', "pm.expect(body.roles).to.eql(['member'])")),
  }),
  admin('List a tenant\'s members', 'GET', '/admin/tenants/{{tenantId}}/members', {
    description: 'Paged.',
    tests: page(check('one member', 'pm.expect(body.items.length).to.eql(1)')),
  }),
  admin('Replace a member\'s roles', 'PUT', '/admin/tenants/{{tenantId}}/members/{{userId}}', {
    description: 'Every role of the member (the last `owner` of a tenant cannot be removed or demoted).',
    body: json({ roles: ['admin'] }),
    tests: statusAndJson(200, check('admin', "pm.expect(body.roles).to.eql(['admin'])")),
  }),
  admin('List a tenant\'s webhook deliveries', 'GET', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}/deliveries', {
    description: 'Each event sent and its attempts, filtered by `status`: here `tenant.member.added` (the example receiver does not exist, so it stays pending with retries). Saves its id as {{tenantDeliveryId}}.',
    tests: [...page(check('the tenant.member.added delivery', "pm.expect(body.items.map((d) => d.event_type)).to.include('tenant.member.added')")),
      save('tenantDeliveryId', "body.items.find((d) => d.event_type === 'tenant.member.added').id")],
  }),
  admin('Send a tenant\'s webhook delivery again', 'POST', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}/deliveries/{{tenantDeliveryId}}/replay', {
    description: 'A new delivery of the same event, pointing back with `replay_of`.',
    tests: statusAndJson(202, check('replay_of', "pm.expect(body.replay_of).to.eql(pm.environment.get('tenantDeliveryId'))")),
  }),
  admin('Remove a member', 'DELETE', '/admin/tenants/{{tenantId}}/members/{{userId}}', {
    description: 'The user stays; the membership goes.',
    tests: status(204),
  }),
  admin('Invite an e-mail address into a tenant', 'POST', '/admin/tenants/{{tenantId}}/invitations', {
    description: 'An e-mail with a link to join (creating an account if needed).',
    body: json({ email: 'grace-{{runId}}@acme.example', roles: ['member'] }),
    tests: [...created(check('the address', "pm.expect(body.email).to.eql('grace-' + pm.environment.get('runId') + '@acme.example')")), save('invitationId', 'body.id')],
  }),
  admin('List a tenant\'s invitations', 'GET', '/admin/tenants/{{tenantId}}/invitations', {
    description: 'Pending and past invitations.',
    tests: page(check('one invitation', 'pm.expect(body.items.length).to.eql(1)')),
  }),
  admin('Send an invitation again with a new link', 'POST', '/admin/tenants/{{tenantId}}/invitations/{{invitationId}}/resend', {
    description: 'The previous link stops working.',
    tests: status(200),
  }),
  admin('Withdraw an invitation', 'DELETE', '/admin/tenants/{{tenantId}}/invitations/{{invitationId}}', {
    description: 'The link stops working.',
    tests: status(204),
  }),
  admin('Delete a tenant\'s webhook subscription', 'DELETE', '/admin/tenants/{{tenantId}}/webhooks/{{tenantWebhookId}}', {
    description: 'No more deliveries.',
    tests: status(204),
  }),
  admin('Delete a tenant', 'DELETE', '/admin/tenants/{{tenantId}}', {
    description: 'A tenant without members (409 otherwise: remove them first, or suspend it).',
    tests: status(204),
  }),
]);

const webhooks = folder('Webhooks', 'Server-wide webhook subscriptions (Standard Webhooks signatures, docs/guides/webhooks.md).', [
  admin('Subscribe a receiver to webhook events', 'POST', '/admin/webhooks', {
    description: 'The URL must be https; the signing secret is shown once.',
    body: json(webhookBody('CRM sync {{runId}}')),
    tests: [...created(check('the secret, shown once', "pm.expect(body.secret).to.match(/^whsec_/)")), save('webhookId', 'body.webhook.id')],
  }),
  admin('An event: create a user', 'POST', '/admin/users', {
    description: 'A `user.created` event for the subscription above.',
    body: json({ username: 'hooked-{{runId}}', email: 'hooked-{{runId}}@example.com', name: 'Hooked' }),
    tests: [...created(), save('hookedUserId', 'body.id')],
  }),
  admin('List webhook subscriptions', 'GET', '/admin/webhooks', {
    description: 'Paged.',
    query: [['limit', '200']],
    tests: page(check('the subscription', "pm.expect(body.items.map((w) => w.id)).to.include(pm.environment.get('webhookId'))")),
  }),
  admin('Read a webhook subscription', 'GET', '/admin/webhooks/{{webhookId}}', {
    description: 'Its settings, never the secret.',
    tests: statusAndJson(200, check('enabled', 'pm.expect(body.enabled).to.eql(true)')),
  }),
  admin('Replace a webhook subscription\'s settings', 'PUT', '/admin/webhooks/{{webhookId}}', {
    description: 'Every setting.',
    body: json(webhookBody('CRM sync {{runId}} v2')),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.description).to.eql('CRM sync ' + pm.environment.get('runId') + ' v2')")),
  }),
  admin('Rotate a webhook subscription\'s signing secret', 'POST', '/admin/webhooks/{{webhookId}}/secret', {
    description: 'A new secret; the previous one signs alongside for a day.',
    tests: statusAndJson(200, check('the new secret', 'pm.expect(body.secret).to.match(/^whsec_/)')),
  }),
  admin('List a webhook subscription\'s deliveries with their attempts', 'GET', '/admin/webhooks/{{webhookId}}/deliveries', {
    description: 'The `user.created` event above (the example receiver does not exist, so it stays pending with retries). Saves its id as {{deliveryId}}.',
    tests: [...page(check('the user.created delivery', "pm.expect(body.items.map((d) => d.subject)).to.include('user:' + pm.environment.get('hookedUserId'))")),
      save('deliveryId', "body.items.find((d) => d.subject === 'user:' + pm.environment.get('hookedUserId')).id")],
  }),
  admin('Send a delivery again', 'POST', '/admin/webhooks/{{webhookId}}/deliveries/{{deliveryId}}/replay', {
    description: 'A new delivery of the same event, pointing back with `replay_of`.',
    tests: statusAndJson(202, check('replay_of', "pm.expect(body.replay_of).to.eql(pm.environment.get('deliveryId'))")),
  }),
  admin('Delete a webhook subscription', 'DELETE', '/admin/webhooks/{{webhookId}}', {
    description: 'No more deliveries.',
    tests: status(204),
  }),
  admin('Delete a user', 'DELETE', '/admin/users/{{hookedUserId}}', {
    description: 'The account, its sessions, grants and memberships.',
    tests: status(204),
  }),
]);

const providers = folder('External providers', 'Upstream identity providers people can sign in with (OpenID Connect or OAuth 2.0; presets for the common ones).', [
  admin('Add an upstream identity provider', 'POST', '/admin/external-providers', {
    description: 'From a preset (`google`): the endpoints are known, the client id and secret are the ones the provider gave you (dummies here: nothing calls Google).',
    body: json({ name: 'google-{{runId}}', display_name: 'Google', preset: 'google', client_id: '1234567890-abc.apps.googleusercontent.com', client_secret: 'GOCSPX-example-secret', trust_email_verified: true, auto_provision: true }),
    tests: [...created(check('the secret is stored, never shown', 'pm.expect(body.client_secret_set).to.eql(true) && pm.expect(body).to.not.have.property("client_secret")')), save('providerName', 'body.name')],
  }),
  admin('List upstream identity providers', 'GET', '/admin/external-providers', {
    description: 'Paged.',
    query: [['limit', '200']],
    tests: page(check('the provider', "pm.expect(body.items.map((p) => p.name)).to.include(pm.environment.get('providerName'))")),
  }),
  admin('Read an upstream identity provider', 'GET', '/admin/external-providers/{{providerName}}', {
    description: 'Its settings and ETag.',
    tests: statusAndJson(200, check('the issuer of the preset', "pm.expect(body.issuer).to.eql('https://accounts.google.com')")),
  }),
  admin('Replace an upstream identity provider\'s settings', 'PUT', '/admin/external-providers/{{providerName}}', {
    description: 'Every setting; an absent `client_secret` keeps the stored one.',
    body: json({ name: 'google-{{runId}}', display_name: 'Google Workspace', preset: 'google', client_id: '1234567890-abc.apps.googleusercontent.com', trust_email_verified: true, auto_provision: false }),
    tests: statusAndJson(200, check('renamed', "pm.expect(body.display_name).to.eql('Google Workspace')")),
  }),
  admin('Delete an upstream identity provider', 'DELETE', '/admin/external-providers/{{providerName}}', {
    description: 'Its sign-in button goes; linked identities are unlinked.',
    tests: status(204),
  }),
]);

const registrationAdmin = folder('Registration', 'Initial access tokens for dynamic client registration (RFC 7591 §3); folder 10 issues one and registers with it.', [
  admin('List initial access tokens', 'GET', '/admin/registration/initial-access-tokens', {
    description: 'Their state and use counts, never the values. The one of folder 10 was used once.',
    tests: page(check('used once', "pm.expect(body.items.find((t) => t.id === pm.environment.get('initialAccessTokenId')).uses).to.eql(1)")),
  }),
  admin('Revoke an initial access token', 'POST', '/admin/registration/initial-access-tokens/{{initialAccessTokenId}}/revoke', {
    description: 'It can register no more clients.',
    tests: statusAndJson(200, check('inactive', 'pm.expect(body.active).to.eql(false)')),
  }),
]);

const operations = folder('Operations', 'Jobs, the audit log, back-channel logout notifications.', [
  admin('List the scheduled jobs with their last and next runs', 'GET', '/admin/jobs', {
    description: 'The recurring jobs (clean-up, signing-key rotation). Saves the clean-up job\'s name as {{jobName}}.',
    tests: [...page(check('the clean-up job', "pm.expect(body.items.map((j) => j.name)).to.include('revocation-purge')")), save('jobName', "'revocation-purge'")],
  }),
  admin('Run a scheduled job now', 'POST', '/admin/jobs/{{jobName}}/run', {
    description: 'Queues one run (202).',
    tests: status(202),
  }),
  admin('Query the audit log', 'GET', '/admin/audit-events', {
    description: 'Every change, by whom, filtered by `event_type`, `actor`, `subject`, `client_id`, time; paged.',
    query: [['event_type', 'client.created'], ['limit', '50']],
    tests: page(check('client.created events', "body.items.forEach((e) => pm.expect(e.event_type).to.eql('client.created'))")),
  }),
  admin('Export the audit log as NDJSON', 'GET', '/admin/audit-events/export', {
    description: 'One JSON object per line (application/x-ndjson), for a SIEM.',
    query: [['event_type', 'user.created']],
    tests: [...status(200), check('one event per line', "pm.response.text().trim().split('\\n').forEach((line) => pm.expect(JSON.parse(line).event_type).to.eql('user.created'))")],
  }),
  admin('List back-channel logout notifications', 'GET', '/admin/logout-notifications', {
    description: 'OpenID Connect Back-Channel Logout 1.0 §2.5: the logout tokens sent to clients and their delivery state.',
    tests: page(),
  }),
]);

const signingKeys = folder('Signing keys', 'The keys that sign tokens (published in the JWKS). Last in the run: rotating and revoking change the keys.', [
  admin('Rotate the signing key of an algorithm now', 'POST', '/admin/signing-keys/rotate', {
    description: 'A new EdDSA key becomes active; the previous one is retired (still published, so tokens it signed stay verifiable). EdDSA: the demo signs its tokens with ES256, so no token of this run is affected.',
    body: json({ algorithm: 'EdDSA' }),
    tests: [...created(check('active', "pm.expect(body.state).to.eql('active') && pm.expect(body.alg).to.eql('EdDSA')")), save('newKid', 'body.kid')],
  }),
  admin('List the signing keys', 'GET', '/admin/signing-keys', {
    description: 'Filtered by `state`. Saves the retired EdDSA key as {{kid}}.',
    query: [['state', 'retired']],
    tests: [...page(check('a retired EdDSA key', "pm.expect(body.items.some((k) => k.alg === 'EdDSA')).to.eql(true)")),
      save('kid', "body.items.find((k) => k.alg === 'EdDSA').kid")],
  }),
  admin('Read a signing key', 'GET', '/admin/signing-keys/{{kid}}', {
    description: 'Its state, dates and public JWK.',
    tests: statusAndJson(200, check('retired', "pm.expect(body.state).to.eql('retired')"), check('public only', 'pm.expect(body.jwk).to.not.have.property("d")')),
  }),
  admin('Revoke a compromised signing key', 'POST', '/admin/signing-keys/{{kid}}/revoke', {
    description: 'For emergencies: unpublished at once, so every token it signed fails verification.',
    tests: statusAndJson(200, check('revoked', "pm.expect(body.state).to.eql('revoked')")),
  }),
  request('The revoked key is gone from the JWKS', 'GET', '/.well-known/jwks.json', {
    description: 'RFC 7517 §5: resource servers stop accepting its tokens at their next JWKS refresh.',
    auth: noauth,
    tests: statusAndJson(200, check('not published', "pm.expect(body.keys.map((k) => k.kid)).to.not.include(pm.environment.get('kid'))")),
  }),
]);

const adminFolder = folder('11. Admin API', 'Every operation of the admin API (`/admin`, OpenAPI document at /swagger/v1/swagger.json). The folder\'s auth is `Bearer {{adminToken}}`, an access token of admin-cli with the `admin` scope that the collection\'s pre-request script fetches and caches.', [
  clients, resources, users, consents, tenants, webhooks, providers, registrationAdmin, operations, signingKeys,
], { auth: bearer('{{adminToken}}') });

const logout = folder('12. Logout', 'OpenID Connect RP-Initiated Logout 1.0: the app sends the browser to `end_session_endpoint` with its ID token and a registered `post_logout_redirect_uri`. Back-channel logout: docs/guides/logout.md.', [
  request('End session', 'GET', '/connect/endsession', {
    description: 'RP-Initiated Logout 1.0 §2, §3: `id_token_hint` (the ID token of folder 4), `post_logout_redirect_uri` registered for demo-web, `state` echoed back.',
    query: [['id_token_hint', '{{idToken}}'], ['post_logout_redirect_uri', '{{webPostLogoutRedirectUriEncoded}}'], ['state', 'bye']],
    redirects: false,
    tests: [...locationHelper, check('back to the app with state', "pm.expect(pm.response.code).to.be.oneOf([302, 303]) && pm.expect(location).to.eql(pm.variables.get('webPostLogoutRedirectUri') + '?state=bye')")],
  }),
  request('Authorize with prompt=none: login_required', 'GET', '/connect/authorize', {
    description: 'OpenID Connect Core §3.1.2.6: without a session, `prompt=none` redirects with `error=login_required`.',
    query: authorizeQuery([['state', 'after-logout'], ['prompt', 'none'], ['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'], ['code_challenge_method', 'S256']]),
    redirects: false,
    tests: [...locationHelper, check('error=login_required', "pm.expect(parameter('error')).to.eql('login_required') && pm.expect(parameter('state')).to.eql('after-logout')")],
  }),
]);

// ---------------------------------------------------------------------------------------------------------------------

const collection = {
  info: {
    name: 'AuthService',
    description: [
      'Every protocol endpoint of AuthService\'s discovery document and every operation of its admin API, in the order a',
      'run needs (later requests use what earlier ones saved). Import it with AuthService.postman_environment.json, select',
      'that environment, and run the collection against `bash scripts/run.sh --Auth:Registration:Policy=initial_access_token`.',
      'Guide: docs/guides/postman.md. Source: tools/postman/build.mjs (edit that, then `node tools/postman/build.mjs`).',
    ].join(' '),
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  },
  auth: noauth,
  event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: tokenCache } }],
  variable: [
    { key: 'adminToken', value: '', type: 'string' },
    { key: 'adminTokenExpiresAt', value: '0', type: 'string' },
    { key: 'serviceToken', value: '', type: 'string' },
    { key: 'serviceTokenExpiresAt', value: '0', type: 'string' },
  ],
  item: [discovery, clientCredentials, introspection, codeFlow, userInfo, refresh, par, device, tokenExchange, registration, adminFolder, logout],
};

const demo = (key, value) => ({ key, value, type: 'default', enabled: true });
const secret = (key, value) => ({ key, value, type: 'secret', enabled: true });
const runtime = ['runId', 'serviceAccessToken', 'csrfToken', 'pendingRequest', 'nextUrl', 'state', 'nonce', 'webCodeVerifier',
  'webCodeChallenge', 'code', 'accessToken', 'refreshToken', 'usedRefreshToken', 'idToken', 'parCodeVerifier', 'parCodeChallenge', 'requestUri',
  'deviceCode', 'userCode', 'verificationUriComplete', 'pollInterval', 'actorToken', 'initialAccessToken', 'initialAccessTokenId',
  'registeredClientId', 'registrationAccessToken', 'clientId', 'clientSecret', 'clientEtag', 'newSecretId', 'secretId', 'resourceId', 'userId',
  'aliceId', 'identityId', 'sessionId', 'invitedUserId', 'tenantId', 'invitationId', 'tenantWebhookId', 'tenantDeliveryId', 'webhookId',
  'hookedUserId', 'deliveryId', 'providerName', 'jobName', 'newKid', 'kid'];

const environment = {
  name: 'AuthService demo (scripts/run.sh)',
  values: [
    demo('baseUrl', 'http://localhost:5000'),
    // The demo seed's clients and user (src/WebApi/demo-seed.json): never use these secrets outside a laptop.
    demo('adminClientId', 'admin-cli'), secret('adminClientSecret', 'admin-cli-secret-change-me'),
    demo('serviceClientId', 'demo-service'), secret('serviceClientSecret', 'demo-service-secret-change-me'),
    demo('reportingClientId', 'demo-reporting'), secret('reportingClientSecret', 'demo-reporting-secret-change-me'),
    demo('workerClientId', 'demo-worker'), secret('workerClientSecret', 'demo-worker-secret-change-me'),
    demo('webClientId', 'demo-web'), secret('webClientSecret', 'demo-web-secret-change-me'),
    demo('webRedirectUri', 'http://127.0.0.1:8765/callback'), demo('webRedirectUriEncoded', 'http%3A%2F%2F127.0.0.1%3A8765%2Fcallback'),
    demo('webPostLogoutRedirectUri', 'http://127.0.0.1:8765/signed-out'), demo('webPostLogoutRedirectUriEncoded', 'http%3A%2F%2F127.0.0.1%3A8765%2Fsigned-out'),
    demo('tvClientId', 'demo-tv'),
    demo('username', 'alice'), secret('password', 'alice-demo-password'),
    // Filled by the requests' scripts as the collection runs.
    ...runtime.map((key) => demo(key, '')),
  ],
  _postman_variable_scope: 'environment',
};

const files = {
  'AuthService.postman_collection.json': `${JSON.stringify(collection, null, 2)}\n`,
  'AuthService.postman_environment.json': `${JSON.stringify(environment, null, 2)}\n`,
};

if (process.argv.includes('--check')) {
  const stale = Object.entries(files).filter(([name, text]) => {
    try {
      return readFileSync(join(output, name), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  for (const [name] of stale) {
    console.error(`docs/postman/${name} is not what tools/postman/build.mjs writes: run node tools/postman/build.mjs`);
  }
  process.exit(stale.length ? 1 : 0);
}

for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(output, name), text);
}
