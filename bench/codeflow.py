#!/usr/bin/env python3
"""Load test of the code flow against a running AuthService (stdlib only).

    python3 bench/codeflow.py http://127.0.0.1:5098 --threads 8 --duration 20
    python3 bench/codeflow.py http://127.0.0.1:5098 --scope "openid offline_access bench.read tenant" \
        --authorize-param "tenant=bench-u{i}-a" --json results.json

Each thread is one browser: it signs in once through the sign-in page (user bench-u<i>, password
"bench-password-0123"; client bench-web, which needs no consent), then measures, for --duration seconds
each, three operations on keep-alive connections:
  authorize  GET /connect/authorize with the session cookie -> 303 with a code (one code row written)
  redeem     POST /connect/token grant_type=authorization_code (code consumed, tokens signed, family written)
  refresh    POST /connect/token grant_type=refresh_token, rotating the thread's own chain
and the sign-in itself (one PBKDF2 verification each). Prints rates and latency percentiles as Markdown.
--scope replaces the scope asked for (default "openid offline_access bench.read"); --authorize-param NAME=VALUE
(repeatable) adds a parameter to every authorization request, "{i}" in VALUE standing for the thread's number (so
each bench user can name its own tenant). --json FILE also writes the raw figures for bench/tenant-scale.sh.
Any unexpected status fails the run (exit 2); an authorization request the server answers with an error
(for example invalid_scope for a scope it does not know) says so.
"""
import argparse, base64, hashlib, html, http.client, json, re, secrets, sys, threading, time, urllib.parse

CLIENT, SECRET, REDIRECT = "bench-web", "bench-web-secret-0123456789abcdef", "http://127.0.0.1:9/cb"
PASSWORD = "bench-password-0123"
BASIC = "Basic " + base64.b64encode(f"{CLIENT}:{SECRET}".encode()).decode()


class Browser:
    def __init__(self, base):
        url = urllib.parse.urlparse(base)
        self.host, self.port, self.cookies = url.hostname, url.port, {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.headers, data


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorize_path(challenge, scope, extra):
    query = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "scope": scope, "state": "s", "nonce": "n",
             "code_challenge": challenge, "code_challenge_method": "S256"}
    query.update(extra)
    return "/connect/authorize?" + urllib.parse.urlencode(query)


def refused(status, headers, what):
    """An error answer to an authorization request (RFC 6749 §4.1.2.1: a redirect with error=...): says which."""
    if status in (302, 303) and "Location" in headers:
        params = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)
        if "error" in params:
            description = params.get("error_description", [""])[0]
            raise RuntimeError(f"{what}: the server refused the authorization request: error={params['error'][0]} {description}".rstrip())


def field(page, name):
    return html.unescape(re.search(f'name="{name}" value="([^"]*)"', page).group(1))


def expect(status, wanted, what, data=b""):
    if status != wanted:
        raise RuntimeError(f"{what}: HTTP {status} (expected {wanted}) {data[:200]!r}")


def run_thread(index, base, duration, scope, params, results, errors, barrier):
    try:
        b = Browser(base)
        extra = {name: value.replace("{i}", str(index)) for name, value in params}
        verifier, challenge = pkce()
        status, headers, page = b.request("GET", authorize_path(challenge, scope, extra))
        refused(status, headers, "sign-in page")
        expect(status, 200, "sign-in page", page)
        page = page.decode()
        started = time.perf_counter()
        status, _, data = b.request("POST", "/account/login", {"csrf_token": field(page, "csrf_token"), "request": field(page, "request"),
                                                                "username": f"bench-u{index}", "password": PASSWORD})
        results["sign-in"].append(time.perf_counter() - started)
        expect(status, 303, "sign-in", data)

        def code_and_tokens():
            verifier, challenge = pkce()
            t0 = time.perf_counter()
            status, headers, data = b.request("GET", authorize_path(challenge, scope, extra))
            t1 = time.perf_counter()
            refused(status, headers, "authorize")
            expect(status, 303, "authorize", data)
            code = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)["code"][0]
            status, _, data = b.request("POST", "/connect/token", {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                                                   "redirect_uri": REDIRECT}, {"Authorization": BASIC})
            t2 = time.perf_counter()
            expect(status, 200, "redeem", data)
            return t1 - t0, t2 - t1, json.loads(data)

        _, _, tokens = code_and_tokens()
        refresh_token = tokens["refresh_token"]
        barrier.wait()
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            authorize, redeem, _ = code_and_tokens()
            results["authorize"].append(authorize)
            results["redeem"].append(redeem)
        barrier.wait()
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            status, _, data = b.request("POST", "/connect/token", {"grant_type": "refresh_token", "refresh_token": refresh_token}, {"Authorization": BASIC})
            results["refresh"].append(time.perf_counter() - t0)
            expect(status, 200, "refresh", data)
            refresh_token = json.loads(data)["refresh_token"]
    except Exception as exc:  # reported and turned into exit code 2
        errors.append(f"thread {index}: {exc}")
        try:
            barrier.abort()
        except threading.BrokenBarrierError:
            pass


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--scope", default="openid offline_access bench.read")
    parser.add_argument("--authorize-param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    params = []
    for item in args.authorize_param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            parser.error(f"--authorize-param takes NAME=VALUE, got {item!r}")
        params.append((name, value))
    results = {name: [] for name in ("sign-in", "authorize", "redeem", "refresh")}
    errors = []
    barrier = threading.Barrier(args.threads)
    threads = [threading.Thread(target=run_thread, args=(i, args.base, args.duration, args.scope, params, results, errors, barrier)) for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(2)
    print(f"| Operation | Count | Rate (/s) | p50 (ms) | p99 (ms) |\n|---|---|---|---|---|")
    for name, values in results.items():
        rate = "—" if name == "sign-in" else f"{len(values) / args.duration:.0f}"
        print(f"| {name} | {len(values)} | {rate} | {percentile(values, 50):.1f} | {percentile(values, 99):.1f} |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({name: {"count": len(values), "rate": None if name == "sign-in" else len(values) / args.duration,
                              "p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99)} for name, values in results.items()}, out)


if __name__ == "__main__":
    main()
