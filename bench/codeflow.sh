#!/usr/bin/env bash
# bench/codeflow.sh - the code flow under load (bench/codeflow.py) against a Release build of the
# server on a throwaway PostgreSQL cluster (scripts/lib/postgres.sh). Everything on 127.0.0.1;
# the server and the cluster are stopped on exit.
#
#   bash bench/codeflow.sh                       # 8 threads, 20 s per operation
#   BENCH_THREADS=16 BENCH_DURATION=30 bash bench/codeflow.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="${BENCH_THREADS:-8}"
DURATION="${BENCH_DURATION:-20}"
PORT="${BENCH_PORT:-5098}"
WORK="$(mktemp -d /tmp/authservice-codeflow.XXXXXX)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    pg_stop_throwaway >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

PG_PORT_FIRST=58500 pg_start_throwaway
_pg_run "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE bench" >/dev/null

python3 - "$THREADS" >"$WORK/seed.json" <<'PY'
import json, sys
users = [{"username": f"bench-u{i}", "password": "bench-password-0123"} for i in range(int(sys.argv[1]))]
client = {"client_id": "bench-web", "client_secret": "bench-web-secret-0123456789abcdef", "client_name": "Benchmark web app",
          "grant_types": ["authorization_code", "refresh_token"], "redirect_uris": ["http://127.0.0.1:9/cb"],
          "scope": "openid offline_access bench.read", "require_consent": False}
print(json.dumps({"clients": [client], "users": users}))
PY

echo "Building src/WebApi (Release) ..." >&2
dotnet build "$ROOT/src/WebApi" -c Release -nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
ConnectionStrings__AuthDb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench" \
Auth__SeedFile="$WORK/seed.json" Auth__DataDirectory="$WORK/data" Auth__Issuer="http://127.0.0.1:$PORT" \
Logging__LogLevel__Default=Warning \
    dotnet "$ROOT/src/WebApi/bin/Release/net10.0/AuthService.WebApi.dll" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 1
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { tail -40 "$WORK/server.log" >&2; exit 1; }

echo "Code flow: $THREADS threads, ${DURATION} s per operation, PostgreSQL $PG_PORT, $(nproc) cores" >&2
python3 "$ROOT/bench/codeflow.py" "http://127.0.0.1:$PORT" --threads "$THREADS" --duration "$DURATION"
