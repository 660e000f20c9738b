#!/usr/bin/env bash
# bench/reads.sh - token introspection and the password sign-in under load (issue 16), with wrk + bench/reads.lua, against
# a Release build of the server on a throwaway PostgreSQL cluster (or SQLite), and the cost of the password hash itself
# (bench/PasswordHash, the server's own hasher) to compare a sign-in with. Everything on 127.0.0.1; what the script started
# is stopped on exit, also on failure.
#
#   bash bench/reads.sh                            # PostgreSQL
#   BENCH_DB=sqlite bash bench/reads.sh
#   BENCH_OPS="introspect" BENCH_SQL_LOG=1 bash bench/reads.sh
#
# Knobs (bench/README.md): BENCH_DB (pg|sqlite), BENCH_OPS ("introspect introspect-user introspect-mix signin"),
# BENCH_DURATION (15, each introspection run), BENCH_SIGNIN_DURATION (20), BENCH_WARMUP (5), BENCH_CONNECTIONS (32),
# BENCH_SIGNIN_CONNECTIONS (8), BENCH_THREADS (2), BENCH_USERS (128), BENCH_TOKENS (3000), BENCH_HASHES (40),
# BENCH_PORT (5096), BENCH_SKIP_PUBLISH (0), BENCH_SQL_LOG (0), BENCH_SERVER_ENV, BENCH_PG_OPTIONS,
# BENCH_RESULTS (bench/results/reads-<UTC stamp>).
# Exit status: 0 ok; 1 setup failed; 2 the load saw unexpected answers (the figures are then not valid).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$ROOT/bench"
DB="${BENCH_DB:-pg}"
OPS="${BENCH_OPS:-introspect introspect-user introspect-mix signin}"
DURATION="${BENCH_DURATION:-15}"
SIGNIN_DURATION="${BENCH_SIGNIN_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-5}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
SIGNIN_CONNECTIONS="${BENCH_SIGNIN_CONNECTIONS:-8}"
THREADS="${BENCH_THREADS:-2}"
USERS="${BENCH_USERS:-128}"
TOKENS="${BENCH_TOKENS:-3000}"
HASHES="${BENCH_HASHES:-40}"
PORT="${BENCH_PORT:-5096}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="${BENCH_RESULTS:-$BENCH_DIR/results/reads-$STAMP}"
PUBLISH_DIR="$BENCH_DIR/.publish-reads"
WORK="$(mktemp -d /tmp/authservice-reads.XXXXXX)"
BENCH_TAG=reads
PG_PORT_FIRST="${PG_PORT_FIRST:-58800}"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

bench_numeric "$DURATION" "$SIGNIN_DURATION" "$WARMUP" "$CONNECTIONS" "$SIGNIN_CONNECTIONS" "$THREADS" "$USERS" "$TOKENS" "$HASHES" "$PORT"
[[ "$DB" == "pg" || "$DB" == "sqlite" ]] || die "BENCH_DB must be pg or sqlite, got '$DB'"
for op in $OPS; do
    [[ "$op" =~ ^(introspect|introspect-user|introspect-mix|signin)$ ]] || die "BENCH_OPS: unknown run '$op'"
done
(( DURATION >= 1 && SIGNIN_DURATION >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS && SIGNIN_CONNECTIONS >= THREADS )) \
    || die "bad duration, thread or connection count"
# Each wrk thread signs in its own users, one connection at a time each: a user never signs in twice at once.
(( USERS >= 2 * SIGNIN_CONNECTIONS && TOKENS >= 3 * THREADS )) || die "BENCH_USERS must be at least twice BENCH_SIGNIN_CONNECTIONS, BENCH_TOKENS at least 3 per thread"

bench_init
bench_publish "$PUBLISH_DIR"
if [[ " $OPS " == *" signin "* ]]; then
    log "building bench/PasswordHash (Release)"
    dotnet build "$BENCH_DIR/PasswordHash/PasswordHash.csproj" -c Release -nologo -v quiet -o "$WORK/hash" >"$RESULTS_DIR/hash-build.log" 2>&1 \
        || { tail -n 40 "$RESULTS_DIR/hash-build.log" >&2; die "building bench/PasswordHash failed"; }
fi
bench_database
# The sign-in form's per-address limit (docs/adr/0043) out of the way, as bench/run.sh does the token budget: every request
# comes from 127.0.0.1. The limiter is still consulted on every post. The lockout and the failure throttle count failures
# only, and every sign-in here succeeds.
server_env+=(Auth__RateLimits__SignIn__PermitsPerMinute=100000000 Auth__RateLimits__Token__PermitsPerSecond=1000000)

# ---------------------------------------------------------------- seed, start
python3 - "$USERS" >"$WORK/seed.json" <<'PY'
import json, sys
secret = "bench-secret-0123456789abcdefghijklmnop"
def machine(client_id, **extra):
    return {"client_id": client_id, "client_secret": secret, "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["client_credentials"], "scope": "api.read", **extra}
clients = [
    machine("rs", client_name="Benchmark resource server (introspects)"),
    machine("app", client_name="Benchmark app (tokens for rs)", audience="rs"),
    machine("short", client_name="Benchmark app (30-second tokens for rs)", audience="rs", access_token_lifetime=30),
    {"client_id": "web", "client_secret": secret, "client_name": "Benchmark web app", "token_endpoint_auth_method": "client_secret_basic",
     "grant_types": ["authorization_code"], "redirect_uris": ["http://127.0.0.1:9/cb"], "scope": "openid api.read",
     "audience": "rs", "require_consent": False},
]
users = [{"username": f"bench-u{i}", "password": f"bench-password-{i}"} for i in range(int(sys.argv[1]))]
print(json.dumps({"clients": clients, "users": users}))
PY
log "starting the server ($STORAGE); seeding $USERS users hashes each password once"
bench_start_server "$PUBLISH_DIR"

# ---------------------------------------------------------------- setup (not measured)
log "setup: $TOKENS client-credentials tokens, $(( TOKENS / 3 )) revoked, $(( TOKENS / 3 )) short-lived, $USERS code flows and sign-in forms"
python3 "$BENCH_DIR/reads-setup.py" "$BASE_URL" "$WORK" --users "$USERS" --tokens "$TOKENS" || die "the setup failed (bench/reads-setup.py)"

# Sanity: one valid token is active with the RFC 7662 members, one revoked is exactly {"active":false}, and the wrong secret is a 401.
introspect_once() {  # introspect_once TOKEN [SECRET] -> "<status> <body>"
    curl -sS -w ' %{http_code}' --max-time 10 -u "rs:${2:-bench-secret-0123456789abcdefghijklmnop}" --data-urlencode "token=$1" \
        "$BASE_URL/connect/introspect" | awk '{ status = $NF; $NF = ""; sub(/ $/, ""); print status " " $0 }'
}
answer=$(introspect_once "$(head -n 1 "$WORK/introspect-user.txt" | cut -d' ' -f1)")
[[ "$answer" == 200\ *'"active":true'*'"sub":'*'"aud":["rs"]'* ]] || die "a user's token is not active for rs: $answer"
answer=$(introspect_once "$(sed -n 2p "$WORK/introspect-mix.txt" | cut -d' ' -f1)")
[[ "$answer" == '200 {"active":false}' ]] || die "a revoked token is not inactive: $answer"
answer=$(introspect_once "$(head -n 1 "$WORK/introspect-cc.txt" | cut -d' ' -f1)" wrong-secret)
[[ "$answer" == 401\ * ]] || die "a wrong secret was not refused with 401: $answer"
log "sanity: active for rs, revoked inactive, wrong secret 401"

# ---------------------------------------------------------------- the runs
runs=()
if (( WARMUP > 0 )); then
    bench_run warmup "$WARMUP" /connect/introspect "$BENCH_DIR/reads.lua" BENCH_OP=introspect BENCH_LINES="$WORK/introspect-cc.txt" BENCH_CONNECTIONS="$CONNECTIONS"
fi
for op in $OPS; do
    case "$op" in
        introspect)
            bench_run "$op" "$DURATION" /connect/introspect "$BENCH_DIR/reads.lua" BENCH_OP=introspect BENCH_LINES="$WORK/introspect-cc.txt" BENCH_CONNECTIONS="$CONNECTIONS" ;;
        introspect-user)
            bench_run "$op" "$DURATION" /connect/introspect "$BENCH_DIR/reads.lua" BENCH_OP=introspect BENCH_LINES="$WORK/introspect-user.txt" BENCH_CONNECTIONS="$CONNECTIONS" ;;
        introspect-mix)
            # The short-lived tokens must have expired (30 s after issue; the validator allows no clock skew).
            wait_s=$(( $(<"$WORK/short-issued-at") + 32 - $(date +%s) ))
            if (( wait_s > 0 )); then log "waiting ${wait_s}s for the short-lived tokens to expire"; sleep "$wait_s"; fi
            bench_run "$op" "$DURATION" /connect/introspect "$BENCH_DIR/reads.lua" BENCH_OP=introspect BENCH_LINES="$WORK/introspect-mix.txt" BENCH_CONNECTIONS="$CONNECTIONS" ;;
        signin)
            log "the hash: $HASHES verifications with the server's hasher (bench/PasswordHash), one at a time"
            dotnet "$WORK/hash/PasswordHash.dll" "$HASHES" | tee "$RESULTS_DIR/hash.txt" >&2 || die "bench/PasswordHash failed"
            # The server's own background work (job polling, timers) over 5 idle seconds: at a few dozen sign-ins a second it
            # is a visible part of the CPU per sign-in, which the summary shows.
            i0=$(proc_ticks "$SERVER_PID"); t0=$(date +%s.%N); sleep 5; i1=$(proc_ticks "$SERVER_PID"); t1=$(date +%s.%N)
            IDLE_MS_PER_S=$(awk -v t=$(( i1 - i0 )) -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", t / hz * 1000 / (t1 - t0) }')
            saved=$CONNECTIONS
            CONNECTIONS=$SIGNIN_CONNECTIONS
            bench_run signin "$SIGNIN_DURATION" /account/login "$BENCH_DIR/reads.lua" BENCH_OP=signin BENCH_LINES="$WORK/signin.txt" BENCH_CONNECTIONS="$CONNECTIONS"
            CONNECTIONS=$saved ;;
    esac
    runs+=("$op")
done

# ---------------------------------------------------------------- summary
bad=0
for name in "${runs[@]}"; do
    bench_valid "$name" || bad=1
    if [[ "$name" == introspect-mix && "$(field "$RESULTS_DIR/$name.txt" active_mismatch)" != "0" ]]; then bad=1; fi
done
label() {
    case "$1" in
        introspect) echo "introspection, client-credentials tokens of \`app\` (aud rs)" ;;
        introspect-user) echo "introspection, users' tokens (code flow, aud rs)" ;;
        introspect-mix) echo "introspection, 1/3 valid, 1/3 revoked, 1/3 expired" ;;
        signin) echo "password sign-in (POST /account/login, 303)" ;;
    esac
}
{
    echo "### Introspection and sign-in (bench/reads.sh) - $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(bench_commit)"
    echo
    bench_table_header
    for name in "${runs[@]}"; do
        bench_row "$name" "$(label "$name")" "$([[ "$name" == signin ]] && echo "$SIGNIN_DURATION" || echo "$DURATION")"
    done
    echo
    echo "- Introspection: POST /connect/introspect as the resource server \`rs\` (client_secret_basic), $CONNECTIONS connections, $THREADS wrk threads," \
         "${WARMUP}s warm-up; $TOKENS tokens of \`app\` and $USERS users' tokens (ES256 access tokens, aud \`rs\`), each sent round robin"
    if [[ -f "$RESULTS_DIR/introspect-mix.txt" ]]; then
        echo "- Mixed run: active answers $(field "$RESULTS_DIR/introspect-mix.txt" active) for $(field "$RESULTS_DIR/introspect-mix.txt" must_be_active) valid tokens sent (beyond the requests in flight at the end: $(field "$RESULTS_DIR/introspect-mix.txt" active_mismatch))"
    fi
    if [[ -f "$RESULTS_DIR/signin.txt" ]]; then
        hash_cpu=$(sed -n 's/^HASH_RESULT .*cpu_ms=\([0-9.]*\).*/\1/p' "$RESULTS_DIR/hash.txt")
        IFS='|' read -r s_cpu p_cpu _ _ <<<"${ROW[signin]}"
        echo "- Sign-in: $USERS users (bench-u0 ...), each a fresh browser's sign-in page (anti-forgery cookie and fields), $SIGNIN_CONNECTIONS connections;" \
             "\`Auth:RateLimits:SignIn:PermitsPerMinute\` raised out of the way (every post comes from 127.0.0.1)"
        echo "- **The hash itself** (bench/PasswordHash, the server's Argon2idPasswordHasher, one at a time, before the run): $(head -n 1 "$RESULTS_DIR/hash.txt")"
        awk -v s="$s_cpu" -v p="$p_cpu" -v h="$hash_cpu" 'BEGIN {
            if (h <= 0) exit
            printf "- **Sign-in CPU against the hash**: server %.1f ms per sign-in = %.2f x the hash", s, s / h
            if (p != "—") printf "; server + PostgreSQL %.1f ms = %.2f x", s + p, (s + p) / h
            printf " (target: at most 1.10)\n" }'
        awk -v idle="$IDLE_MS_PER_S" -v rate="$(field "$RESULTS_DIR/signin.txt" rps)" 'BEGIN { if (rate > 0)
            printf "- The idle server: its own CPU (5 s before the run, no requests): %.1f ms per second, %.1f ms per sign-in at the measured rate\n", idle, idle / rate }'
    fi
    echo "- Storage: $STORAGE; $(bench_machine)"
    echo "- Release publish, ASPNETCORE_ENVIRONMENT=Production, log level Warning${BENCH_SERVER_ENV:+; server environment \`$BENCH_SERVER_ENV\`}${BENCH_PG_OPTIONS:+; connection string + \`$BENCH_PG_OPTIONS\`}; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- wrk, the server and PostgreSQL share the machine: CPU per operation varies less with other load than the rate"
    bench_sql_log
    bench_statements "${runs[@]}"
} >"$RESULTS_DIR/summary.md"
cat "$RESULTS_DIR/summary.md"
log "results in $RESULTS_DIR"
if (( bad )); then log "unexpected answers or socket errors: these figures are not valid (see $RESULTS_DIR/*.txt)"; exit 2; fi
