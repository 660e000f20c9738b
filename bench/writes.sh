#!/usr/bin/env bash
# bench/writes.sh - the write paths under load (issue 16): refresh-token rotation, silent re-authorization and
# authorization code redemption, with wrk + bench/writes.lua, against a Release build of the server on a throwaway
# PostgreSQL cluster (or SQLite). Everything on 127.0.0.1; what the script started is stopped on exit, also on failure.
#
#   bash bench/writes.sh                          # PostgreSQL, 20 s per operation
#   BENCH_DB=sqlite bash bench/writes.sh
#   BENCH_SQL_LOG=1 bash bench/writes.sh          # with EF Core's command log: SQL statements per operation
#
# Knobs (bench/README.md): BENCH_DB (pg|sqlite), BENCH_DURATION (20), BENCH_REDEEM_DURATION (half of it),
# BENCH_WARMUP (5), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_CHAINS (64), BENCH_SESSIONS (8), BENCH_PORT (5097),
# BENCH_SKIP_PUBLISH (0), BENCH_SQL_LOG (0), BENCH_SERVER_ENV ("NAME=VALUE ..." added to the server's environment),
# BENCH_PG_OPTIONS ("Keyword=value;..." appended to the connection string, e.g. "No Reset On Close=false"),
# BENCH_RESULTS (bench/results/writes-<UTC stamp>).
# Exit status: 0 ok; 1 setup failed; 2 the load saw unexpected answers, dropped chains or ran out of codes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$ROOT/bench"
DB="${BENCH_DB:-pg}"
DURATION="${BENCH_DURATION:-20}"
REDEEM_DURATION="${BENCH_REDEEM_DURATION:-$(( (DURATION + 1) / 2 ))}"
WARMUP="${BENCH_WARMUP:-5}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
CHAINS="${BENCH_CHAINS:-64}"
SESSIONS="${BENCH_SESSIONS:-8}"
PORT="${BENCH_PORT:-5097}"
SQL_LOG="${BENCH_SQL_LOG:-0}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="${BENCH_RESULTS:-$BENCH_DIR/results/writes-$STAMP}"
PUBLISH_DIR="$BENCH_DIR/.publish-writes"
WORK="$(mktemp -d /tmp/authservice-writes.XXXXXX)"
BENCH_TAG=writes
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

bench_numeric "$DURATION" "$REDEEM_DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$CHAINS" "$SESSIONS" "$PORT"
[[ "$DB" == "pg" || "$DB" == "sqlite" ]] || die "BENCH_DB must be pg or sqlite, got '$DB'"
[[ "$SQL_LOG" =~ ^[01]$ ]] || die "BENCH_SQL_LOG must be 0 or 1"
(( DURATION >= 1 && REDEEM_DURATION >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS )) || die "bad duration, thread or connection count"
# Each chain is in flight on one connection at a time: fewer chains than connections would leave connections idle.
(( CHAINS >= CONNECTIONS )) || die "BENCH_CHAINS ($CHAINS) must be at least BENCH_CONNECTIONS ($CONNECTIONS)"
# The codes of the authorize run are redeemed right after it; they live 60 s (Auth:SignIn:AuthorizationCodeLifetime).
(( DURATION + REDEEM_DURATION <= 50 )) || die "BENCH_DURATION + BENCH_REDEEM_DURATION must stay under 50 s: the codes live 60 s"

bench_init
bench_publish "$PUBLISH_DIR"
bench_database

# ---------------------------------------------------------------- seed, start
python3 - >"$WORK/seed.json" <<'PY'
import json
client = {"client_id": "web", "client_secret": "web-secret-0123456789abcdefghijklmnop", "client_name": "Benchmark web app",
          "token_endpoint_auth_method": "client_secret_basic", "grant_types": ["authorization_code", "refresh_token"],
          "redirect_uris": ["http://127.0.0.1:9/cb"], "scope": "openid offline_access api.read", "require_consent": True}
print(json.dumps({"clients": [client], "users": [{"username": "bench-user", "password": "bench-password-0123"}]}))
PY
bench_start_server "$PUBLISH_DIR"

# ---------------------------------------------------------------- setup (not measured)
log "setup: one sign-in, $(( 2 * CHAINS )) code flows (half for the warm-up), $SESSIONS sessions"
python3 "$BENCH_DIR/writes-setup.py" "$BASE_URL" "$WORK" --chains $(( 2 * CHAINS )) --sessions "$SESSIONS" \
    || die "the setup failed (bench/writes-setup.py)"
head -n "$CHAINS" "$WORK/refresh-tokens.txt" >"$WORK/measured-tokens.txt"
tail -n +"$(( CHAINS + 1 ))" "$WORK/refresh-tokens.txt" >"$WORK/warmup-tokens.txt"
mkdir -p "$WORK/measured" "$WORK/warmup"
cp "$WORK/measured-tokens.txt" "$WORK/measured/refresh-tokens.txt"
cp "$WORK/warmup-tokens.txt" "$WORK/warmup/refresh-tokens.txt"
for d in measured warmup; do cp "$WORK/sessions.txt" "$WORK/pkce.txt" "$WORK/$d/"; done

# ---------------------------------------------------------------- the runs
run_op() {  # run_op NAME OP DURATION FILES_DIR PATH
    bench_run "$1" "$3" "$5" "$BENCH_DIR/writes.lua" BENCH_OP="$2" BENCH_FILES="$4"
}

log "warm-up: ${WARMUP}s of refresh on separate chains"
if (( WARMUP > 0 )); then run_op warmup refresh "$WARMUP" "$WORK/warmup" /connect/token; fi
run_op refresh refresh "$DURATION" "$WORK/measured" /connect/token
run_op authorize authorize "$DURATION" "$WORK/measured" /connect/authorize
run_op redeem redeem "$REDEEM_DURATION" "$WORK/measured" /connect/token

# ---------------------------------------------------------------- summary
bad=0
for name in refresh authorize redeem; do bench_valid "$name" || bad=1; done
{
    echo "### Write paths (bench/writes.sh) - $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(bench_commit)"
    echo
    bench_table_header
    bench_row refresh "refresh rotation (ID token, RS256)" "$DURATION"
    bench_row authorize "silent re-authorization (303 with a code)" "$DURATION"
    bench_row redeem "code redemption (ID token, RS256)" "$REDEEM_DURATION"
    echo
    echo "- $CHAINS refresh-token chains over $CONNECTIONS connections, $THREADS wrk threads, ${WARMUP}s warm-up on other chains;" \
         "client \`web\` (client_secret_basic), scope \`openid offline_access api.read\`, consent given; $SESSIONS sessions for the re-authorization"
    echo "- Code redemption: the codes the re-authorization run produced (one S256 PKCE pair), each redeemed once, in order, right after it"
    echo "- Refresh chains dropped (non-200): $(field "$RESULTS_DIR/refresh.txt" dropped); threads that ran out (chains or codes): refresh $(field "$RESULTS_DIR/refresh.txt" exhausted), redeem $(field "$RESULTS_DIR/redeem.txt" exhausted)"
    echo "- Storage: $STORAGE; $(bench_machine)"
    echo "- Release publish, ASPNETCORE_ENVIRONMENT=Production, log level Warning${BENCH_SERVER_ENV:+; server environment \`$BENCH_SERVER_ENV\`}${BENCH_PG_OPTIONS:+; connection string + \`$BENCH_PG_OPTIONS\`}; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- wrk, the server and PostgreSQL share the machine: CPU per operation varies less with other load than the rate"
    bench_sql_log
    bench_statements refresh authorize redeem
} >"$RESULTS_DIR/summary.md"
cat "$RESULTS_DIR/summary.md"
log "results in $RESULTS_DIR"
if (( bad )); then log "unexpected answers, socket errors or exhausted threads: these figures are not valid (see $RESULTS_DIR/*.txt)"; exit 2; fi
