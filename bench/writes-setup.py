#!/usr/bin/env python3
"""Setup for bench/writes.sh (stdlib only; not measured): the refresh-token chains and the browser sessions.

    python3 bench/writes-setup.py http://127.0.0.1:5097 OUT_DIR --chains 64 --sessions 8

For the seeded confidential client "web" (client_secret_basic, redirect http://127.0.0.1:9/cb, consent required) and
the user "bench-user":
  1. signs in once through the sign-in page and gives consent once on the consent page,
  2. runs --chains code flows with PKCE on that one session (each authorize answers 303 with a code at once, the consent
     being given) and redeems each code: OUT_DIR/refresh-tokens.txt gets one refresh token per line,
  3. signs in --sessions - 1 more times (a browser each): OUT_DIR/sessions.txt gets one Cookie header per line, the
     first session included,
  4. writes OUT_DIR/pkce.txt: "<code_verifier> <code_challenge>", the S256 pair (RFC 7636 §4.2) every authorization
     request of the load uses, so that the redemption run can send the verifier of any code.
Any unexpected answer stops it with exit status 1 and says what came back.
"""
import argparse, base64, hashlib, html, http.client, json, re, secrets, sys, urllib.parse

CLIENT, SECRET, REDIRECT = "web", "web-secret-0123456789abcdefghijklmnop", "http://127.0.0.1:9/cb"
USER, PASSWORD = "bench-user", "bench-password-0123"
SCOPE = "openid offline_access api.read"
BASIC = "Basic " + base64.b64encode(f"{CLIENT}:{SECRET}".encode()).decode()


class Browser:
    def __init__(self, base):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.headers, data

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def fail(what, status, data=b""):
    """Stops with what came back; of an HTML page, its text without the markup."""
    text = data.decode(errors="replace")
    if "<body" in text:
        text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text[text.index("<body"):]))).strip()
    sys.exit(f"writes-setup: {what}: HTTP {status} {text[:300]}")


def form_of(page):
    """The page's first form: its action and its hidden fields."""
    action = re.search(r'<form method="post" action="([^"]*)"', page)
    if action is None:
        return None, {}
    fields = {html.unescape(n): html.unescape(v) for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)}
    return html.unescape(action.group(1)), fields


def authorize_path(challenge):
    return "/connect/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "scope": SCOPE, "state": "s", "nonce": "n",
        "code_challenge": challenge, "code_challenge_method": "S256"})


def code_from(headers):
    location = headers.get("Location", "")
    if not location.startswith(REDIRECT):
        return None
    params = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    if "error" in params:
        sys.exit(f"writes-setup: the authorization request was refused: {params['error'][0]} {params.get('error_description', [''])[0]}")
    return params["code"][0]


def interactive_code(browser, challenge):
    """Authorize through whatever pages come (sign-in, consent) until the redirect carries a code."""
    status, headers, data = browser.request("GET", authorize_path(challenge))
    for _ in range(6):
        if status in (302, 303):
            code = code_from(headers)
            if code:
                return code
            status, headers, data = browser.request("GET", headers["Location"])
            continue
        if status != 200:
            fail("authorization page", status, data)
        page = data.decode()
        action, fields = form_of(page)
        if action is None:
            fail("a page without a form", status, data)
        if 'name="password"' in page:
            fields.update(username=USER, password=PASSWORD)
        elif 'name="decision"' in page:
            fields["decision"] = "allow"
        else:
            fail("an unexpected page", status, data)
        status, headers, data = browser.request("POST", action, fields)
    sys.exit("writes-setup: no code after six pages")


def redeem(browser, code, verifier):
    status, _, data = browser.request("POST", "/connect/token", {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                                                 "redirect_uri": REDIRECT}, {"Authorization": BASIC})
    if status != 200:
        fail("redeeming a code", status, data)
    tokens = json.loads(data)
    if "refresh_token" not in tokens or "id_token" not in tokens:
        sys.exit(f"writes-setup: the token response lacks a refresh or ID token: {sorted(tokens)}")
    return tokens["refresh_token"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--chains", type=int, default=64)
    parser.add_argument("--sessions", type=int, default=8)
    args = parser.parse_args()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")

    first = Browser(args.base)
    refresh_tokens = [redeem(first, interactive_code(first, challenge), verifier)]
    while len(refresh_tokens) < args.chains:
        status, headers, data = first.request("GET", authorize_path(challenge))
        code = code_from(headers) if status == 303 else None
        if code is None:
            fail("a silent re-authorization (consent given)", status, data)
        refresh_tokens.append(redeem(first, code, verifier))

    sessions = [first.cookie_header()]
    while len(sessions) < args.sessions:
        browser = Browser(args.base)
        interactive_code(browser, challenge)
        sessions.append(browser.cookie_header())

    with open(f"{args.out}/refresh-tokens.txt", "w") as out:
        out.write("\n".join(refresh_tokens) + "\n")
    with open(f"{args.out}/sessions.txt", "w") as out:
        out.write("\n".join(sessions) + "\n")
    with open(f"{args.out}/pkce.txt", "w") as out:
        out.write(f"{verifier} {challenge}\n")
    print(f"{len(refresh_tokens)} refresh-token chains, {len(sessions)} sessions", file=sys.stderr)


if __name__ == "__main__":
    main()
