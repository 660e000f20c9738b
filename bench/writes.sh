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
BASE_URL="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[writes %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$DURATION" "$REDEEM_DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$CHAINS" "$SESSIONS" "$PORT"; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "numeric knob expected, got '$n'"
done
[[ "$DB" == "pg" || "$DB" == "sqlite" ]] || die "BENCH_DB must be pg or sqlite, got '$DB'"
[[ "$SQL_LOG" =~ ^[01]$ ]] || die "BENCH_SQL_LOG must be 0 or 1"
(( DURATION >= 1 && REDEEM_DURATION >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS )) || die "bad duration, thread or connection count"
# Each chain is in flight on one connection at a time: fewer chains than connections would leave connections idle.
(( CHAINS >= CONNECTIONS )) || die "BENCH_CHAINS ($CHAINS) must be at least BENCH_CONNECTIONS ($CONNECTIONS)"
# The codes of the authorize run are redeemed right after it; they live 60 s (Auth:SignIn:AuthorizationCodeLifetime).
(( DURATION + REDEEM_DURATION <= 50 )) || die "BENCH_DURATION + BENCH_REDEEM_DURATION must stay under 50 s: the codes live 60 s"

command -v dotnet >/dev/null || die "dotnet not found"
command -v curl >/dev/null || die "curl not found"
command -v python3 >/dev/null || die "python3 not found (the setup, not measured)"
if ! command -v wrk >/dev/null; then
    log "wrk not found; installing the Debian package"
    [[ $(id -u) -eq 0 ]] || die "wrk missing and not root: run 'sudo apt-get install -y wrk'"
    apt-cache policy wrk 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    command -v wrk >/dev/null || die "could not install wrk"
fi

SERVER_PID=""
WRK_PID=""
PG_STARTED=0
cleanup() {
    local rc=$?
    for pid in "$WRK_PID" "$SERVER_PID"; do
        [[ -n "$pid" ]] || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if (( PG_STARTED )); then pg_stop_throwaway >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if curl -s -o /dev/null --max-time 2 "$BASE_URL/" 2>/dev/null; then
    die "something already answers on $BASE_URL; stop it or set BENCH_PORT"
fi
mkdir -p "$RESULTS_DIR"
SERVER_LOG="$RESULTS_DIR/server.log"

# ---------------------------------------------------------------- publish (Release)
if [[ "${BENCH_SKIP_PUBLISH:-0}" == "1" && -f "$PUBLISH_DIR/AuthService.WebApi.dll" ]]; then
    log "reusing $PUBLISH_DIR (BENCH_SKIP_PUBLISH=1)"
else
    log "publishing src/WebApi (Release) to bench/.publish-writes ..."
    rm -rf "$PUBLISH_DIR"
    dotnet publish "$ROOT/src/WebApi/AuthService.WebApi.csproj" -c Release -o "$PUBLISH_DIR" -nologo -v quiet /p:UseAppHost=false \
        >"$RESULTS_DIR/publish.log" 2>&1 || { tail -n 40 "$RESULTS_DIR/publish.log" >&2; die "dotnet publish failed"; }
fi

# ---------------------------------------------------------------- database
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
proc_ticks() {  # proc_ticks PID [1 = with its reaped children]
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    awk -v c="${2:-0}" '{ print $12 + $13 + (c ? $14 + $15 : 0) }' <<<"$stat"
}
pg_ticks() { echo 0; }
psql_bench() { return 1; }
server_env=(ASPNETCORE_ENVIRONMENT=Production "Auth__SeedFile=$WORK/seed.json" "Auth__DataDirectory=$WORK/data"
            "Auth__Issuer=$BASE_URL" Logging__LogLevel__Default=Warning)
if [[ "$DB" == "pg" ]]; then
    # shellcheck source=scripts/lib/postgres.sh
    source "$ROOT/scripts/lib/postgres.sh"
    PG_PORT_FIRST=58700 pg_start_throwaway || die "could not start a throwaway PostgreSQL cluster"
    PG_STARTED=1
    psql_bench() { _pg_run "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
    # pg_stat_statements must be preloaded: set it and restart once (pg_ctl restart keeps the start options).
    psql_bench -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
    _pg_run "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -w -t 60 restart >"$RESULTS_DIR/pg_ctl-restart.log" 2>&1 \
        || { cat "$RESULTS_DIR/pg_ctl-restart.log" >&2; die "restarting the throwaway PostgreSQL cluster failed"; }
    psql_bench -d postgres -c "CREATE DATABASE bench" >/dev/null
    psql_bench -d bench -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    pg_ticks() {  # the postmaster with the children it reaped, plus its live backends
        local pm total child
        pm=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null) || { echo 0; return; }
        total=$(proc_ticks "$pm" 1)
        for child in $(pgrep -P "$pm" || true); do total=$(( total + $(proc_ticks "$child") )); done
        echo "$total"
    }
    server_env+=("ConnectionStrings__AuthDb=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench${BENCH_PG_OPTIONS:+;$BENCH_PG_OPTIONS}")
    STORAGE="PostgreSQL $(psql_bench -d bench -At -c 'SHOW server_version' | awk '{ print $1 }') (throwaway cluster, fsync off, pg_stat_statements)"
else
    STORAGE="SQLite (embedded, a fresh file)"
fi
if (( SQL_LOG )); then
    # EF Core's own command log: one "Executed DbCommand" entry per SQL statement sent.
    server_env+=(Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information)
fi
for kv in ${BENCH_SERVER_ENV:-}; do
    [[ "$kv" == *=* ]] || die "BENCH_SERVER_ENV takes NAME=VALUE pairs, got '$kv'"
    server_env+=("$kv")
done

# ---------------------------------------------------------------- seed, start
python3 - >"$WORK/seed.json" <<'PY'
import json
client = {"client_id": "web", "client_secret": "web-secret-0123456789abcdefghijklmnop", "client_name": "Benchmark web app",
          "token_endpoint_auth_method": "client_secret_basic", "grant_types": ["authorization_code", "refresh_token"],
          "redirect_uris": ["http://127.0.0.1:9/cb"], "scope": "openid offline_access api.read", "require_consent": True}
print(json.dumps({"clients": [client], "users": [{"username": "bench-user", "password": "bench-password-0123"}]}))
PY
env "${server_env[@]}" dotnet "$PUBLISH_DIR/AuthService.WebApi.dll" --urls "$BASE_URL" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server exited during start-up"; }
    if curl -sf "$BASE_URL/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
done
(( ready )) || { tail -n 40 "$SERVER_LOG" >&2; die "the server was not ready after 60 s"; }
# Another process may have taken the port after the check above: then /readyz was its answer, and this server exits.
sleep 1
kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server exited after start-up (port $PORT taken?)"; }

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
# children_ticks: CPU ticks of this shell's reaped children (wrk among them), from the "times" builtin, which must run in
# this shell (in a pipe or $(...) it would report a subshell's children).
children_ticks() {
    times >"$WORK/times.txt"
    tail -n 1 "$WORK/times.txt" | awk -v hz="$CLK_TCK" '{
        n = 0
        for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] }
        printf "%d\n", n * hz }'
}
field() { grep -h -E '^(BENCH_RESULT|BENCH_EXTRA) ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

declare -A ROW
run_op() {  # run_op NAME OP DURATION FILES_DIR PATH
    local name=$1 op=$2 duration=$3 files=$4 path=$5 out="$RESULTS_DIR/$1.txt"
    local load s0 s1 p0 p1 w0 w1 t0 t1 log0
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [[ "$DB" == "pg" ]]; then psql_bench -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null; fi
    log0=$(wc -l <"$SERVER_LOG")
    log "$name: wrk -t$THREADS -c$CONNECTIONS -d${duration}s ($op), load average $load"
    s0=$(proc_ticks "$SERVER_PID"); p0=$(pg_ticks); children_ticks >"$WORK/w0"; w0=$(<"$WORK/w0"); t0=$(date +%s.%N)
    echo "# BENCH_OP=$op wrk -t$THREADS -c$CONNECTIONS -d${duration}s --latency -s writes.lua $BASE_URL$path" >"$out"
    BENCH_OP=$op BENCH_FILES=$files BENCH_WRK_THREADS=$THREADS \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --timeout 5s --latency -s "$BENCH_DIR/writes.lua" "$BASE_URL$path" >>"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { WRK_PID=""; cat "$out" >&2; die "wrk failed ($name)"; }
    WRK_PID=""
    t1=$(date +%s.%N); s1=$(proc_ticks "$SERVER_PID"); p1=$(pg_ticks); children_ticks >"$WORK/w1"; w1=$(<"$WORK/w1")
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server died during $name"; }
    grep -q '^BENCH_RESULT ' "$out" || { cat "$out" >&2; die "no BENCH_RESULT line in $out"; }
    local requests
    requests=$(field "$out" requests)
    ROW[$name]=$(awk -v n="$requests" -v s=$(( s1 - s0 )) -v p=$(( p1 - p0 )) -v w=$(( w1 - w0 )) -v hz="$CLK_TCK" \
        -v t0="$t0" -v t1="$t1" -v load="$load" -v pg="$DB" \
        'BEGIN { n = (n > 0 ? n : 1)
                 printf "%.2f|%s|%.0f%%|%s", s / hz * 1000 / n, (pg == "pg" ? sprintf("%.2f", p / hz * 1000 / n) : "—"),
                        w / hz / (t1 - t0) * 100, load }')
    if [[ "$DB" == "pg" ]]; then
        psql_bench -d bench -c "
            SELECT calls, round(calls::numeric / GREATEST($requests, 1), 2) AS per_op, round(mean_exec_time::numeric * 1000, 1) AS mean_us,
                   left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench') AND calls >= GREATEST($requests / 20, 10)
             ORDER BY calls DESC LIMIT 20" >"$RESULTS_DIR/statements-$name.txt" 2>&1 || true
    fi
    if (( SQL_LOG )); then
        local commands
        commands=$(tail -n +"$(( log0 + 1 ))" "$SERVER_LOG" | grep -c 'Executed DbCommand' || true)
        awk -v c="$commands" -v n="$requests" 'BEGIN { printf "%s: %d SQL commands (EF Core log) for %d requests: %.2f per request\n", ARGV[1], c, n, c / (n > 0 ? n : 1) }' "$name" \
            >>"$RESULTS_DIR/sql-per-op.txt"
    fi
}

log "warm-up: ${WARMUP}s of refresh on separate chains"
if (( WARMUP > 0 )); then run_op warmup refresh "$WARMUP" "$WORK/warmup" /connect/token; fi
run_op refresh refresh "$DURATION" "$WORK/measured" /connect/token
run_op authorize authorize "$DURATION" "$WORK/measured" /connect/authorize
run_op redeem redeem "$REDEEM_DURATION" "$WORK/measured" /connect/token

# ---------------------------------------------------------------- summary
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
[[ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null || true)" ]] || GIT_REV="$GIT_REV (src/ has uncommitted changes)"
row() {  # row NAME LABEL DURATION
    local f="$RESULTS_DIR/$1.txt" server pg wrkcpu load
    IFS='|' read -r server pg wrkcpu load <<<"${ROW[$1]}"
    printf '| %s | %ss | %s | %.0f | %.1f | %.1f | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(field "$f" requests)" "$(field "$f" rps)" \
        "$(field "$f" p50_ms)" "$(field "$f" p99_ms)" "$(field "$f" non200)" "$server" "$pg" "$wrkcpu" "$load"
}
bad=0
for name in refresh authorize redeem; do
    f="$RESULTS_DIR/$name.txt"
    if [[ "$(field "$f" non200)" != "0" || "$(field "$f" socket_errors)" != "0" || "$(field "$f" exhausted)" != "0" ]]; then bad=1; fi
done
{
    echo "### Write paths (bench/writes.sh) - $(date -u '+%Y-%m-%d %H:%M UTC'), commit $GIT_REV"
    echo
    echo "| Operation | Duration | Requests | Rate (/s) | p50 ms | p99 ms | Unexpected status | Server CPU ms/op | PostgreSQL CPU ms/op | wrk CPU (of one core) | Load average before |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    row refresh "refresh rotation (ID token, RS256)" "$DURATION"
    row authorize "silent re-authorization (303 with a code)" "$DURATION"
    row redeem "code redemption (ID token, RS256)" "$REDEEM_DURATION"
    echo
    echo "- $CHAINS refresh-token chains over $CONNECTIONS connections, $THREADS wrk threads, ${WARMUP}s warm-up on other chains;" \
         "client \`web\` (client_secret_basic), scope \`openid offline_access api.read\`, consent given; $SESSIONS sessions for the re-authorization"
    echo "- Code redemption: the codes the re-authorization run produced (one S256 PKCE pair), each redeemed once, in order, right after it"
    echo "- Refresh chains dropped (non-200): $(field "$RESULTS_DIR/refresh.txt" dropped); threads that ran out (chains or codes): refresh $(field "$RESULTS_DIR/refresh.txt" exhausted), redeem $(field "$RESULTS_DIR/redeem.txt" exhausted)"
    echo "- Storage: $STORAGE; $(nproc) cores ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')); .NET $(dotnet --version 2>/dev/null); wrk $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
    echo "- Release publish, ASPNETCORE_ENVIRONMENT=Production, log level Warning${BENCH_SERVER_ENV:+; server environment \`$BENCH_SERVER_ENV\`}${BENCH_PG_OPTIONS:+; connection string + \`$BENCH_PG_OPTIONS\`}; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- wrk, the server and PostgreSQL share the machine: CPU per operation varies less with other load than the rate"
    if (( SQL_LOG )) && [[ -s "$RESULTS_DIR/sql-per-op.txt" ]]; then
        echo
        echo "SQL statements per operation (EF Core command log, BENCH_SQL_LOG=1; the log itself slows the server, so this run's rates are not comparable):"
        echo
        sed 's/^/- /' "$RESULTS_DIR/sql-per-op.txt"
    fi
    if [[ "$DB" == "pg" ]]; then
        for name in refresh authorize redeem; do
            echo
            echo "PostgreSQL statements during $name (pg_stat_statements; per_op = calls per request):"
            echo
            echo '```'
            cat "$RESULTS_DIR/statements-$name.txt"
            echo '```'
        done
    fi
} >"$RESULTS_DIR/summary.md"
cat "$RESULTS_DIR/summary.md"
log "results in $RESULTS_DIR"
if (( bad )); then log "unexpected answers, socket errors or exhausted threads: these figures are not valid (see $RESULTS_DIR/*.txt)"; exit 2; fi
