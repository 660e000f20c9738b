#!/usr/bin/env python3
"""Setup for bench/reads.sh (stdlib only; not measured): the tokens to introspect and the sign-in forms to post.

    python3 bench/reads-setup.py http://127.0.0.1:5194 OUT_DIR --users 128 --tokens 2000

For the clients bench/reads.sh seeds ("app" and "short": client credentials with audience "rs", "short" with 30-second
tokens; "web": the code flow, audience "rs", no consent) and the users bench-u0 ... (password "bench-password-<i>"):
  1. --tokens client-credentials access tokens of "app" -> OUT_DIR/introspect-cc.txt, one "<token> 1" a line;
  2. one code flow per user through the sign-in page, each code redeemed -> OUT_DIR/introspect-user.txt, the users'
     access tokens (sub = the user), "<token> 1";
  3. a third of --tokens more tokens of "app", each revoked at /connect/revoke (RFC 7009), a third of "short", which
     expire 30 s after the setup, and a third of valid ones, interleaved -> OUT_DIR/introspect-mix.txt ("<token> 0|1":
     whether the answer must be active); OUT_DIR/short-issued-at holds when the short ones were issued;
  4. for each user a fresh browser's sign-in page (GET /connect/authorize): its anti-forgery cookie and the form's
     fields with that user's name and password -> OUT_DIR/signin.txt, one "<Cookie header>\\t<form body>" a line, the
     post a browser sends to /account/login.
Any unexpected answer stops it with exit status 1 and says what came back.
"""
import argparse, base64, hashlib, importlib.util, json, os, secrets, sys, time, urllib.parse

_spec = importlib.util.spec_from_file_location("writes_setup", os.path.join(os.path.dirname(os.path.abspath(__file__)), "writes-setup.py"))
_writes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_writes)
Browser, fail, form_of = _writes.Browser, _writes.fail, _writes.form_of

SECRET = "bench-secret-0123456789abcdefghijklmnop"
REDIRECT = "http://127.0.0.1:9/cb"


def basic(client):
    return "Basic " + base64.b64encode(f"{client}:{SECRET}".encode()).decode()


def client_token(browser, client):
    status, _, data = browser.request("POST", "/connect/token", {"grant_type": "client_credentials", "scope": "api.read"},
                                      {"Authorization": basic(client)})
    if status != 200:
        fail(f"a client-credentials token for {client}", status, data)
    return json.loads(data)["access_token"]


def authorize_path(challenge):
    return "/connect/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": "web", "redirect_uri": REDIRECT, "scope": "openid api.read", "state": "s",
        "nonce": "n", "code_challenge": challenge, "code_challenge_method": "S256"})


def signin_form(browser, challenge, user, password):
    """A fresh browser's sign-in page: the form's action and the body it posts with this user's credentials."""
    status, _, data = browser.request("GET", authorize_path(challenge))
    page = data.decode()
    action, fields = form_of(page) if status == 200 else (None, {})
    if action is None or 'name="password"' not in page:
        fail("the sign-in page", status, data)
    fields.update(username=user, password=password)
    return action, fields


def user_token(base, challenge, verifier, user, password):
    browser = Browser(base)
    action, fields = signin_form(browser, challenge, user, password)
    status, headers, data = browser.request("POST", action, fields)
    if status != 303:
        fail(f"signing in {user}", status, data)
    after = urllib.parse.urlparse(headers["Location"])
    status, headers, data = browser.request("GET", f"{after.path}?{after.query}")
    location = headers.get("Location", "")
    if status != 303 or not location.startswith(REDIRECT):
        fail(f"the authorization after {user}'s sign-in", status, data)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    status, _, data = browser.request("POST", "/connect/token", {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                                                 "redirect_uri": REDIRECT}, {"Authorization": basic("web")})
    if status != 200:
        fail(f"redeeming {user}'s code", status, data)
    return json.loads(data)["access_token"]


def write(path, lines):
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--users", type=int, default=128)
    parser.add_argument("--tokens", type=int, default=2000)
    args = parser.parse_args()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    api = Browser(args.base)
    third = max(1, args.tokens // 3)

    # The short-lived ones first, so that they have expired by the time the mixed run starts.
    issued = time.time()
    expired = [client_token(api, "short") for _ in range(third)]
    with open(f"{args.out}/short-issued-at", "w") as out:
        out.write(f"{issued:.0f}\n")

    write(f"{args.out}/introspect-cc.txt", [client_token(api, "app") + " 1" for _ in range(args.tokens)])

    revoked = []
    for _ in range(third):
        token = client_token(api, "app")
        status, _, data = api.request("POST", "/connect/revoke", {"token": token, "token_type_hint": "access_token"}, {"Authorization": basic("app")})
        if status != 200:
            fail("revoking a token", status, data)
        revoked.append(token)
    valid = [client_token(api, "app") for _ in range(third)]
    write(f"{args.out}/introspect-mix.txt", [line for trio in zip(valid, revoked, expired) for line in (trio[0] + " 1", trio[1] + " 0", trio[2] + " 0")])

    users = [(f"bench-u{i}", f"bench-password-{i}") for i in range(args.users)]
    write(f"{args.out}/introspect-user.txt", [user_token(args.base, challenge, verifier, u, p) + " 1" for u, p in users])

    lines = []
    for user, password in users:
        browser = Browser(args.base)
        action, fields = signin_form(browser, challenge, user, password)
        if action != "/account/login":
            sys.exit(f"reads-setup: the sign-in form posts to {action}, not /account/login")
        lines.append(browser.cookie_header() + "\t" + urllib.parse.urlencode(fields))
    write(f"{args.out}/signin.txt", lines)
    print(f"{args.tokens} + {3 * third} tokens, {len(users)} user tokens and sign-in forms", file=sys.stderr)


if __name__ == "__main__":
    main()
