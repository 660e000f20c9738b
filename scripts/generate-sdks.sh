#!/usr/bin/env bash
#
# scripts/generate-sdks.sh - regenerates the admin API's OpenAPI document and both SDKs generated from it.
#
#   bash scripts/generate-sdks.sh
#
# What it does (docs/adr/0046):
#   1. Builds the server (Release) and starts it on a free loopback port with the embedded SQLite database in a temp
#      folder, Swagger on, and the fixed issuer https://auth.example.com (the issuer appears in the security scheme's
#      token URL, so a fixed one keeps the document reproducible); saves /swagger/v1/swagger.json, pretty-printed in the
#      key order served, as sdk/openapi.json; stops the server.
#   2. TypeScript: sdk/typescript/src/schema.d.ts from openapi-typescript (installed with `npm ci` from the lock file).
#   3. .NET: sdk/dotnet/Generated/ from Kiota (the version pinned in .config/dotnet-tools.json, `dotnet tool restore`).
#   4. Writes sdk/GENERATED.sha256 (`sha256sum` format): the SHA-256 of sdk/openapi.json and of every generated file.
#      tests/Integration.Tests/Sdk/SdkFreshnessTests checks the document against a running server and these sums
#      against the files, so a changed admin API or a hand-edited generated file fails the test command.
#
# Idempotent: running it twice changes nothing. Needs dotnet, node/npm, curl and python3.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The server's settings for the document; SdkFreshnessTests starts its server with the same ones.
ISSUER="https://auth.example.com"

WORK_DIR="$(mktemp -d -t authservice-sdk-XXXXXX)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
# 1. The OpenAPI document, as the server serves it
# ---------------------------------------------------------------------------------------
echo "[sdk] building the server (Release) ..." >&2
dotnet build src/WebApi/AuthService.WebApi.csproj -c Release -nologo -v q >"$WORK_DIR/build.log" 2>&1 || {
    cat "$WORK_DIR/build.log" >&2
    exit 1
}

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
echo "[sdk] starting the server on $BASE (issuer $ISSUER, SQLite in $WORK_DIR/data) ..." >&2
(
    # Only the settings below: nothing from the caller's environment configures this server.
    while IFS= read -r name; do unset "$name"; done < <(env | grep -oE '^(ASPNETCORE_[A-Za-z0-9_]*|Auth__[A-Za-z0-9_]*|ConnectionStrings__[A-Za-z0-9_]*|Logging__[A-Za-z0-9_]*|DOTNET_ENVIRONMENT)=' | tr -d '=')
    export ASPNETCORE_ENVIRONMENT=Production
    export Auth__Issuer="$ISSUER"
    export Auth__SwaggerEnabled=true
    export Auth__DataDirectory="$WORK_DIR/data"
    export Auth__WarmUp__Enabled=false
    exec dotnet src/WebApi/bin/Release/net10.0/AuthService.WebApi.dll --urls "$BASE"
) >"$WORK_DIR/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 180); do
    if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "[sdk] the server exited before it was ready:" >&2
        cat "$WORK_DIR/server.log" >&2
        exit 1
    fi
    sleep 0.5
done
curl -fsS "$BASE/swagger/v1/swagger.json" -o "$WORK_DIR/swagger.json" || {
    echo "[sdk] could not fetch $BASE/swagger/v1/swagger.json:" >&2
    cat "$WORK_DIR/server.log" >&2
    exit 1
}
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# Pretty-printed, keys in the order served, UTF-8, one newline at the end.
python3 - "$WORK_DIR/swagger.json" sdk/openapi.json <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as source:
    document = json.load(source)
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as target:
    json.dump(document, target, indent=2, ensure_ascii=False)
    target.write("\n")
PY
echo "[sdk] wrote sdk/openapi.json" >&2

# ---------------------------------------------------------------------------------------
# 2. TypeScript: openapi-typescript -> sdk/typescript/src/schema.d.ts
# ---------------------------------------------------------------------------------------
TS_DIR="$REPO_ROOT/sdk/typescript"
LOCK_SUM="$(sha256sum "$TS_DIR/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$TS_DIR/node_modules/.authservice-lock-sha256" 2>/dev/null)" != "$LOCK_SUM" ]]; then
    echo "[sdk] npm ci in sdk/typescript ..." >&2
    (cd "$TS_DIR" && npm ci --no-audit --no-fund >"$WORK_DIR/npm.log" 2>&1) || {
        cat "$WORK_DIR/npm.log" >&2
        exit 1
    }
    echo "$LOCK_SUM" >"$TS_DIR/node_modules/.authservice-lock-sha256"
fi
(cd "$TS_DIR" && node_modules/.bin/openapi-typescript ../openapi.json --output src/schema.d.ts >"$WORK_DIR/openapi-typescript.log" 2>&1) || {
    cat "$WORK_DIR/openapi-typescript.log" >&2
    exit 1
}
echo "[sdk] wrote sdk/typescript/src/schema.d.ts" >&2

# ---------------------------------------------------------------------------------------
# 3. .NET: Kiota -> sdk/dotnet/Generated
# ---------------------------------------------------------------------------------------
dotnet tool restore >"$WORK_DIR/tool-restore.log" 2>&1 || {
    cat "$WORK_DIR/tool-restore.log" >&2
    exit 1
}
dotnet tool run kiota generate \
    --language CSharp \
    --openapi sdk/openapi.json \
    --output sdk/dotnet/Generated \
    --class-name AdminApiClient \
    --namespace-name AuthService.AdminClient \
    --exclude-backward-compatible \
    --clean-output \
    --log-level Warning >"$WORK_DIR/kiota.log" 2>&1 || {
    cat "$WORK_DIR/kiota.log" >&2
    exit 1
}
rm -f sdk/dotnet/Generated/.kiota.log # Kiota's own log (warnings such as "no servers entry": the base URL is set by AdminApi.Create)
echo "[sdk] wrote sdk/dotnet/Generated" >&2

# ---------------------------------------------------------------------------------------
# 4. The stamp: what was generated from which document
# ---------------------------------------------------------------------------------------
(
    cd sdk
    {
        echo openapi.json
        echo typescript/src/schema.d.ts
        find dotnet/Generated -type f | LC_ALL=C sort
    } | while IFS= read -r file; do sha256sum "$file"; done >GENERATED.sha256
)
echo "[sdk] wrote sdk/GENERATED.sha256" >&2
