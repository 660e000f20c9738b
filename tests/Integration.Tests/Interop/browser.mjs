// The browser stand-in of the interop scripts (flow.mjs, openid-client-code-flow.mjs): fetch with
// redirect: 'manual' and a tiny cookie jar (name=value per origin, enough for these flows) that signs in on the
// server's page, allows consent, and stops at the redirect to the client's redirect URI. Nothing protocol-related
// happens here: the client libraries build the authorization URL and check the callback.

const decodeHtml = (s) => s
  .replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
  .replace(/&amp;/g, '&');

function attribute(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'));
  return m ? decodeHtml(m[1]) : undefined;
}

/** The page's one form: its action (absolute) and hidden inputs. */
function readForm(html, pageUrl) {
  const formTag = html.match(/<form\b[^>]*>/i);
  if (!formTag) throw new Error(`no <form> on the page at ${pageUrl}: ${html.slice(0, 500)}`);
  const action = new URL(attribute(formTag[0], 'action') ?? pageUrl, pageUrl).href;
  const fields = new URLSearchParams();
  for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
    if (attribute(input, 'type') === 'hidden') fields.append(attribute(input, 'name'), attribute(input, 'value') ?? '');
  }
  return { action, fields };
}

/**
 * A user with a fresh cookie jar who signs in as <username>/<password> and allows consent.
 * Returns { actAsUser(authorizationUrl, issuerOrigin) } resolving to { callback: URL, pagesSeen: string[] }, or, when
 * <finalPage> (a RegExp) matches a page without a redirect back (the device grant's "return to your device"), to
 * { finalPage: string, pagesSeen }.
 */
export function browserStandIn({ redirectUri, username, password, finalPage, log = () => {} }) {
  const jar = new Map(); // origin -> Map(name -> value)

  function storeCookies(url, response) {
    const origin = new URL(url).origin;
    const cookies = jar.get(origin) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-)/i.test(a))
        || attributes.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=').slice(1).join('=')) < Date.now());
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    jar.set(origin, cookies);
  }

  async function browse(url, init = {}) {
    const origin = new URL(url).origin;
    const cookies = jar.get(origin);
    const headers = new Headers(init.headers);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([n, v]) => `${n}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    storeCookies(url, response);
    log(init.method ?? 'GET', url.split('?')[0], '->', response.status);
    return response;
  }

  /**
   * Plays the user from the authorization URL to the redirect back to the client: follows 303/302s on the
   * issuer's origin, fills in the sign-in page, allows on the consent page, and returns the callback URL.
   */
  async function actAsUser(authorizationUrl, issuerOrigin) {
    let response = await browse(authorizationUrl);
    let url = authorizationUrl;
    const pagesSeen = [];
    for (let step = 0; step < 20; step++) {
      if (response.status >= 300 && response.status < 400) {
        const location = new URL(response.headers.get('location'), url).href;
        if (location.startsWith(redirectUri)) return { callback: new URL(location), pagesSeen };
        if (new URL(location).origin !== issuerOrigin) throw new Error(`redirected off the issuer to ${location}`);
        url = location;
        response = await browse(url);
        continue;
      }

      const html = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status} at ${url}: ${html.slice(0, 800)}`);
      if (finalPage?.test(html)) return { finalPage: html, pagesSeen };
      const { action, fields } = readForm(html, url);
      if (new URL(action).origin !== issuerOrigin) throw new Error(`form posts off the issuer to ${action}`);
      if (/name="password"/.test(html)) {
        pagesSeen.push('sign-in');
        fields.set('username', username);
        fields.set('password', password);
      } else if (/name="decision"/.test(html)) {
        pagesSeen.push('consent');
        fields.set('decision', 'allow');
      } else {
        throw new Error(`unexpected page at ${url}: ${html.slice(0, 800)}`);
      }

      url = action;
      response = await browse(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
    }

    throw new Error('too many steps without reaching the redirect URI');
  }

  return { actAsUser };
}
