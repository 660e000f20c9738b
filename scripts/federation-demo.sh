#!/usr/bin/env bash
# scripts/federation-demo.sh - upstream sign-in end to end with two real server processes (docs/adr/0037).
#
# A second AuthService on http://localhost:5100 plays the company's OpenID provider ("Corp SSO": users carol and
# alice-at-corp, seeded from scripts/demo/upstream-seed.json, its own data in a temporary folder). This script registers
# it with the AuthService you are running (bash scripts/run.sh, the demo seed, http://localhost:5000) through the admin
# API, then drives Chromium through the demo web client (scripts/federation-demo.mjs; needs `npm ci` once in
# tests/Integration.Tests/Interop). The upstream is stopped at the end; the provider stays registered.
#   bash scripts/federation-demo.sh [base URL, default http://localhost:5000]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${1:-http://localhost:5000}"
UPSTREAM=http://localhost:5100
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

DATA="$(mktemp -d)"
dotnet run --project "$REPO/src/WebApi" -c Release --no-build -- --urls "$UPSTREAM" \
  --Auth:SeedFile="$REPO/scripts/demo/upstream-seed.json" --Auth:DataDirectory="$DATA" >"$DATA/upstream.log" 2>&1 &
UPSTREAM_PID=$!
trap 'kill $UPSTREAM_PID 2>/dev/null || true; wait $UPSTREAM_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do
  curl -sf "$UPSTREAM/.well-known/openid-configuration" >/dev/null && break
  sleep 1
done
echo "upstream: $(curl -s "$UPSTREAM/.well-known/openid-configuration" | grep -o '"issuer":"[^"]*"')"

TOKEN=$(curl -s -u admin-cli:admin-cli-secret-change-me -d grant_type=client_credentials -d scope=admin "$BASE/connect/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -s -o /dev/null -w "register corp: HTTP %{http_code}\n" -X POST "$BASE/admin/external-providers" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{
    \"name\": \"corp\", \"display_name\": \"Corp SSO\", \"issuer\": \"$UPSTREAM\",
    \"client_id\": \"authservice-downstream\", \"client_secret\": \"downstream-secret-change-me\",
    \"scopes\": [\"openid\", \"profile\", \"email\"], \"trust_email_verified\": true, \"auto_provision\": true }"

node "$REPO/scripts/federation-demo.mjs" "$BASE"
