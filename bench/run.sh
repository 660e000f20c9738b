#!/usr/bin/env bash
# bench/run.sh — load test of the AuthService token endpoint (client_credentials) and the
# JWKS endpoint, with wrk, against a Release build started locally on 127.0.0.1.
#
#   bash bench/run.sh
#
# Knobs (environment variables, all optional):
#   BENCH_CONNECTIONS   open connections                      (default 32)
#   BENCH_THREADS       wrk threads                           (default 2)
#   BENCH_DURATION      measured seconds for BOTH endpoints   (default: token 30, jwks 20)
#   BENCH_WARMUP        warm-up seconds on the token endpoint (default 10; jwks gets 3)
#   BENCH_TIMEOUT       wrk per-request timeout               (default 5s)
#   BENCH_PORT          port on 127.0.0.1 for the server      (default 5099)
#   BENCH_PG            PostgreSQL connection string; passed as ConnectionStrings__AuthDb
#                       (default: unset, the server's embedded SQLite database)
#   BENCH_SKIP_PUBLISH  1 = reuse bench/.publish from a previous run
#   BENCH_ALG           access-token signing algorithm: ES256 (default), RS256 or EdDSA;
#                       passed as Auth__AccessTokenSigningAlgorithm
#   BENCH_AUTH          client authentication on the token endpoint (issue 10):
#                       secret (client_secret_basic, default), private_key_jwt (ES256 key made
#                       per run) or client_secret_jwt (HS256)
#   BENCH_DPOP          1 = every token request carries a fresh DPoP proof (RFC 9449)
#   BENCH_JWKS          1 = also measure the JWKS endpoint (default: 1 for plain secret, else 0)
#   BENCH_PG=throwaway  start a throwaway PostgreSQL cluster (scripts/lib/postgres.sh) with
#                       pg_stat_statements, report the SQL statements per token, stop it at the end
#   BENCH_SERVER_ENV    NAME=VALUE ... added to the server's environment
#   BENCH_FORWARDED_FOR an X-Forwarded-For value sent with every token request (bench/token.lua)
#   BENCH_TENANTS, BENCH_MEMBERSHIPS, BENCH_TENANT_USERS
#                       with BENCH_PG=throwaway: tenants and memberships written with SQL once the server has
#                       migrated the database (bench/tenants.sql, bench/tenants-lib.sh; issue 15)
#
# The JWT variants need a fresh client assertion and/or DPoP proof per request (unique jti): they
# are signed by bench/jwtgen.mjs (Node.js built-ins) just before each wrk run, one file per wrk
# thread, and bench/token.lua sends each line once. DPoP proofs are accepted for 60 s after their
# iat (Auth:DPoP:ProofMaxAge), so with BENCH_DPOP=1 a run lasts at most 30 s.
#
# Output: raw wrk outputs, the server log and summary.md in bench/results/<UTC timestamp>/
# (bench/results/latest points at the newest run); the summary is printed at the end.
# Exit status: 0 = ok; 1 = setup failed (publish, start, sanity check); 2 = the measured
# runs saw non-200 responses or socket errors (results are written but suspect).
#
# Everything targets 127.0.0.1 only, every wrk run has a fixed duration, and the server
# started here is always stopped on exit.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
TOKEN_DURATION="${BENCH_DURATION:-30}"
JWKS_DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-10}"
JWKS_WARMUP=3
TIMEOUT="${BENCH_TIMEOUT:-5s}"
PORT="${BENCH_PORT:-5099}"
SKIP_PUBLISH="${BENCH_SKIP_PUBLISH:-0}"
ALG="${BENCH_ALG:-ES256}"
AUTH="${BENCH_AUTH:-secret}"
DPOP="${BENCH_DPOP:-0}"
PRESIGNED=0  # 1 = the requests carry pre-signed JWTs (bench/jwtgen.mjs)
if [[ "$AUTH" != "secret" || "$DPOP" != "0" ]]; then PRESIGNED=1; fi
JWKS="${BENCH_JWKS:-$(( PRESIGNED ? 0 : 1 ))}"
if (( PRESIGNED )); then
  TOKEN_DURATION="${BENCH_DURATION:-20}"
  WARMUP="${BENCH_WARMUP:-5}"
fi

HOST="127.0.0.1"
BASE_URL="http://$HOST:$PORT"

case "$AUTH" in
  private_key_jwt) CLIENT_ID="bench-pkjwt"; AUTH_LABEL="private_key_jwt (ES256)" ;;
  client_secret_jwt) CLIENT_ID="bench-csjwt"; AUTH_LABEL="client_secret_jwt (HS256)" ;;
  *) CLIENT_ID="bench-client"; AUTH_LABEL="client_secret_basic" ;;
esac
if [[ "$DPOP" == "1" ]]; then AUTH_LABEL="$AUTH_LABEL + DPoP"; fi
CLIENT_SECRET="bench-secret-0123456789abcdefghijklmnopqrstuvwxyz"
SCOPE="bench.read"
export BENCH_CLIENT_ID="$CLIENT_ID" BENCH_CLIENT_SECRET="$CLIENT_SECRET" BENCH_SCOPE="$SCOPE" BENCH_AUTH="$AUTH"

PUBLISH_DIR="$BENCH_DIR/.publish"
WORK_DIR="$BENCH_DIR/.work"
DATA_DIR="$WORK_DIR/data"
SEED_FILE="$WORK_DIR/seed.json"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="$BENCH_DIR/results/$STAMP"
SERVER_LOG="$RESULTS_DIR/server.log"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$CONNECTIONS" "$THREADS" "$TOKEN_DURATION" "$JWKS_DURATION" "$WARMUP" "$PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "numeric knob expected, got '$n'"
done
(( THREADS >= 1 && CONNECTIONS >= THREADS )) || die "need BENCH_CONNECTIONS >= BENCH_THREADS >= 1"
(( TOKEN_DURATION >= 1 && JWKS_DURATION >= 1 )) || die "BENCH_DURATION must be >= 1"
[[ "$ALG" =~ ^(ES256|RS256|EdDSA)$ ]] || die "BENCH_ALG must be ES256, RS256 or EdDSA, got '$ALG'"
[[ "$AUTH" =~ ^(secret|private_key_jwt|client_secret_jwt)$ ]] \
  || die "BENCH_AUTH must be secret, private_key_jwt or client_secret_jwt, got '$AUTH'"
[[ "$DPOP" =~ ^[01]$ && "$JWKS" =~ ^[01]$ ]] || die "BENCH_DPOP and BENCH_JWKS must be 0 or 1"
# The server accepts a DPoP proof for 60 s after its iat (Auth:DPoP:ProofMaxAge) and a client assertion
# whose exp is at most 5 min ahead (ClientAssertionValidator.MaxLifetime); signing takes seconds, too.
if [[ "$DPOP" == "1" ]] && (( TOKEN_DURATION > 30 || WARMUP > 30 )); then
  die "with BENCH_DPOP=1 a run lasts at most 30 s (a proof is accepted for 60 s after it is signed)"
fi
if (( PRESIGNED && (TOKEN_DURATION > 180 || WARMUP > 180) )); then
  die "with pre-signed assertions a run lasts at most 180 s (they expire 240 s after signing)"
fi
# shellcheck source=bench/tenants-lib.sh
source "$BENCH_DIR/tenants-lib.sh"
tenants_read_knobs 0 || die "bad tenant knobs"
if (( TENANTS > 0 )) && [[ "${BENCH_PG:-}" != "throwaway" ]]; then
  die "BENCH_TENANTS needs BENCH_PG=throwaway (the rows are written with psql into the throwaway cluster)"
fi

# ---------------------------------------------------------------- tools
command -v dotnet >/dev/null || die "dotnet not found"
command -v curl >/dev/null || die "curl not found"
command -v node >/dev/null || die "node (Node.js 18 or later) not found: bench/jwtgen.mjs signs the JWT variants' requests"
if ! command -v wrk >/dev/null; then
  log "wrk not found; installing the Debian package"
  if [[ $(id -u) -ne 0 ]]; then die "wrk missing and not root: run 'sudo apt-get install -y wrk'"; fi
  if ! apt-cache policy wrk 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  command -v wrk >/dev/null || die "could not install wrk"
fi

mkdir -p "$RESULTS_DIR" "$WORK_DIR"
ln -sfn "$STAMP" "$BENCH_DIR/results/latest"

# ---------------------------------------------------------------- server lifecycle
SERVER_PID=""
WRK_PID=""
PG_THROWAWAY=0
cleanup() {
  local rc=$?
  if [[ -n "$WRK_PID" ]] && kill -0 "$WRK_PID" 2>/dev/null; then
    kill -TERM "$WRK_PID" 2>/dev/null || true
    wait "$WRK_PID" 2>/dev/null || true
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server did not stop in 10 s; killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if (( PG_THROWAWAY )); then
    log "stopping the throwaway PostgreSQL cluster"
    pg_stop_throwaway
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_server_log() {
  if [[ -s "$SERVER_LOG" ]]; then
    log "last 60 lines of the server log ($SERVER_LOG):"
    tail -n 60 "$SERVER_LOG" >&2
  else
    log "server log is empty ($SERVER_LOG)"
  fi
}

if curl -s -o /dev/null --max-time 2 "$BASE_URL/" 2>/dev/null; then
  die "something already answers on $BASE_URL; stop it or set BENCH_PORT"
fi

# ---------------------------------------------------------------- 1. publish
if [[ "$SKIP_PUBLISH" == "1" && -f "$PUBLISH_DIR/AuthService.WebApi.dll" ]]; then
  log "reusing $PUBLISH_DIR (BENCH_SKIP_PUBLISH=1)"
else
  log "publishing src/WebApi (Release) to bench/.publish"
  rm -rf "$PUBLISH_DIR"
  if ! dotnet publish "$ROOT/src/WebApi/AuthService.WebApi.csproj" -c Release -o "$PUBLISH_DIR" \
        -nologo -v quiet /p:UseAppHost=false >"$RESULTS_DIR/publish.log" 2>&1; then
    tail -n 40 "$RESULTS_DIR/publish.log" >&2
    die "dotnet publish failed (full log: $RESULTS_DIR/publish.log)"
  fi
fi
[[ -f "$PUBLISH_DIR/AuthService.WebApi.dll" ]] || die "no AuthService.WebApi.dll in $PUBLISH_DIR"

# ---------------------------------------------------------------- 2. seed + fresh data dir
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
# One client per authentication method; the private_key_jwt client gets a fresh ES256 key on every run.
rm -f "$WORK_DIR"/pkjwt-* "$WORK_DIR"/requests.*
node "$BENCH_DIR/jwtgen.mjs" keygen "$WORK_DIR" || die "bench/jwtgen.mjs keygen failed"
common='"grant_types":["client_credentials"],"scope":"bench.read bench.write"'
cat >"$SEED_FILE" <<EOF
{"clients":[
 {"client_id":"bench-client","client_secret":"$CLIENT_SECRET",$common,"token_endpoint_auth_method":"client_secret_basic","client_name":"Benchmark client"},
 {"client_id":"bench-csjwt","client_secret":"$CLIENT_SECRET",$common,"token_endpoint_auth_method":"client_secret_jwt","token_endpoint_auth_signing_alg":"HS256","client_name":"Benchmark client (client_secret_jwt)"},
 {"client_id":"bench-pkjwt",$common,"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_signing_alg":"ES256","jwks":$(cat "$WORK_DIR/pkjwt-jwks.json"),"client_name":"Benchmark client (private_key_jwt)"}
],"users":[]}
EOF

# ---------------------------------------------------------------- 2b. throwaway PostgreSQL (BENCH_PG=throwaway)
if [[ "${BENCH_PG:-}" == "throwaway" ]]; then
  # shellcheck source=scripts/lib/postgres.sh
  source "$ROOT/scripts/lib/postgres.sh"
  PG_THROWAWAY=1
  PG_PORT_FIRST="${PG_PORT_FIRST:-58600}" pg_start_throwaway || die "could not start a throwaway PostgreSQL cluster"
  psql_bench() { _pg_run "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
  # pg_stat_statements must be preloaded: set it and restart once (pg_ctl restart keeps the start options).
  psql_bench -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  _pg_run "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -w -t 60 restart >"$PG_DIR/pg_ctl-restart.log" 2>&1 \
    || { cat "$PG_DIR/pg_ctl-restart.log" >&2; die "restarting the throwaway PostgreSQL cluster failed"; }
  psql_bench -d postgres -c "CREATE DATABASE bench" >/dev/null
  psql_bench -d bench -c "CREATE EXTENSION pg_stat_statements" >/dev/null
  PG_SERVER_VERSION=$(psql_bench -d bench -At -c "SHOW server_version" | awk '{ print $1 }')
  BENCH_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench"
fi

# ---------------------------------------------------------------- 3. start the server
STORAGE="SQLite (embedded, $DATA_DIR)"
server_env=(
  ASPNETCORE_ENVIRONMENT=Production
  "Auth__SeedFile=$SEED_FILE"
  "Auth__DataDirectory=$DATA_DIR"
  "Auth__AccessTokenSigningAlgorithm=$ALG"
  Logging__LogLevel__Default=Warning
  # One client far above the per-client default (docs/adr/0043): the limiter is consulted on every request but never refuses.
  Auth__RateLimits__Token__PermitsPerSecond=1000000
)
# BENCH_SERVER_ENV: NAME=VALUE ... added to the server's environment, as in bench/writes.sh and bench/coldstart.sh.
for kv in ${BENCH_SERVER_ENV:-}; do
  [[ "$kv" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || die "BENCH_SERVER_ENV takes NAME=VALUE words, got '$kv'"
  server_env+=("$kv")
done
if [[ -n "${BENCH_PG:-}" ]]; then
  server_env+=("ConnectionStrings__AuthDb=$BENCH_PG")
  STORAGE="PostgreSQL (BENCH_PG)"
  if (( PG_THROWAWAY )); then STORAGE="PostgreSQL $PG_SERVER_VERSION (throwaway cluster, fsync off, pg_stat_statements)"; fi
fi

log "starting server on $BASE_URL (storage: $STORAGE)"
# exec: $! is the dotnet process itself, so the trap can stop exactly that process.
( cd "$PUBLISH_DIR" && exec env "${server_env[@]}" dotnet AuthService.WebApi.dll --urls "$BASE_URL" ) \
  >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 120); do  # 120 x 0.5 s = 60 s
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    show_server_log
    die "server exited during start-up"
  fi
  if curl -fsS -o /dev/null --max-time 2 "$BASE_URL/readyz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.5
done
if (( ready == 0 )); then
  show_server_log
  die "server not ready on $BASE_URL/readyz after 60 s"
fi
log "server ready (pid $SERVER_PID)"
# The server has migrated the database: now the tenants, if asked for (they are on no client-credentials path).
tenants_seed "$RESULTS_DIR" psql_bench -d bench || die "seeding the tenants failed"

# ---------------------------------------------------------------- 5. sanity checks
TOKEN_URL="$BASE_URL/connect/token"
JWKS_URL="$BASE_URL/.well-known/jwks.json"

# gen_requests NAME COUNT [THREADS]: sign COUNT fresh requests for this variant into
# $WORK_DIR/requests.NAME.1 … .THREADS (bench/jwtgen.mjs; the issuer is the server's first URL).
gen_requests() {
  local name=$1 count=$2 threads=${3:-$THREADS} t0
  rm -f "$WORK_DIR/requests.$name".*
  t0=$(date +%s.%N)
  BENCH_GEN_AUTH="$AUTH" BENCH_GEN_DPOP="$DPOP" BENCH_GEN_CLIENT="$CLIENT_ID" BENCH_GEN_AUD="$BASE_URL" \
  BENCH_GEN_HTU="$TOKEN_URL" BENCH_GEN_KEY="$WORK_DIR/pkjwt-key.pem" BENCH_GEN_SECRET="$CLIENT_SECRET" \
    node "$BENCH_DIR/jwtgen.mjs" requests "$WORK_DIR/requests.$name" "$threads" "$count" || die "bench/jwtgen.mjs failed"
  log "signed $count requests for $name in $(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }') s"
}

# sanity_token OUT [LINE]: one token request with curl (LINE: "<assertion>\t<proof>" for the JWT variants); prints the status.
sanity_token() {
  local out=$1 line=${2:-} assertion proof
  local args=(-sS -o "$out" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/x-www-form-urlencoded'
              --data "grant_type=client_credentials&scope=$SCOPE")
  assertion=${line%%$'\t'*}
  proof=${line#*$'\t'}
  if [[ -n "$assertion" ]]; then
    args+=(--data "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=$assertion")
  else
    args+=(-u "$CLIENT_ID:$CLIENT_SECRET")
  fi
  if [[ -n "$proof" ]]; then args+=(-H "DPoP: $proof"); fi
  curl "${args[@]}" "$TOKEN_URL" || echo "000"
}

sanity_line=""
if (( PRESIGNED )); then
  gen_requests sanity 1 1
  sanity_line=$(head -n 1 "$WORK_DIR/requests.sanity.1")
fi
status=$(sanity_token "$RESULTS_DIR/sanity-token.json" "$sanity_line")
expected_type="Bearer"
if [[ "$DPOP" == "1" ]]; then expected_type="DPoP"; fi
if [[ "$status" != "200" ]] || ! grep -q '"access_token"' "$RESULTS_DIR/sanity-token.json" \
   || ! grep -q "\"token_type\":\"$expected_type\"" "$RESULTS_DIR/sanity-token.json"; then
  log "token sanity check failed ($AUTH_LABEL): HTTP $status, body:"
  head -c 2000 "$RESULTS_DIR/sanity-token.json" >&2 || true
  echo >&2
  show_server_log
  die "POST /connect/token did not return 200 with a $expected_type access_token"
fi
if (( PRESIGNED )); then
  # The same assertion / proof again must be refused: the replay cache is what the benchmark measures.
  status=$(sanity_token "$RESULTS_DIR/sanity-replay.json" "$sanity_line")
  [[ "$status" == "400" || "$status" == "401" ]] \
    || die "a replayed request was answered HTTP $status, not 400/401 ($RESULTS_DIR/sanity-replay.json)"
  log "sanity: a replayed request is refused (HTTP $status, $(head -c 200 "$RESULTS_DIR/sanity-replay.json"))"
fi
status=$(curl -sS -o "$RESULTS_DIR/sanity-jwks.json" -w '%{http_code}' --max-time 10 \
  "$BASE_URL/.well-known/jwks.json" || echo "000")
if [[ "$status" != "200" ]] || ! grep -q '"keys"' "$RESULTS_DIR/sanity-jwks.json"; then
  log "JWKS sanity check failed: HTTP $status, body:"
  head -c 2000 "$RESULTS_DIR/sanity-jwks.json" >&2 || true
  echo >&2
  show_server_log
  die "GET /.well-known/jwks.json did not return 200 with keys"
fi
log "sanity checks passed (token 200 with a $expected_type access_token, JWKS 200 with keys)"

# ---------------------------------------------------------------- 4. load
# Server CPU time (user+system, in clock ticks) from /proc, to report how much of the
# 2 cores the server used while wrk ran on the same machine.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
server_cpu_ticks() {
  # fields 14 (utime) and 15 (stime); strip "pid (comm) " first since comm may hold spaces
  local stat
  stat=$(cat "/proc/$SERVER_PID/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  awk '{ print $12 + $13 }' <<<"$stat"
}

# run_wrk NAME DURATION URL [LUA]  -> raw output in $RESULTS_DIR/NAME.txt
run_wrk() {
  local name=$1 duration=$2 url=$3 script=${4:-$BENCH_DIR/stats.lua}
  local out="$RESULTS_DIR/$name.txt" t0 t1 c0 c1
  log "wrk $name: -t$THREADS -c$CONNECTIONS -d${duration}s $url"
  c0=$(server_cpu_ticks); t0=$(date +%s.%N)
  echo "# wrk -t$THREADS -c$CONNECTIONS -d${duration}s --timeout $TIMEOUT --latency -s $(basename "$script") $url" >"$out"
  # In the background + wait, so that a TERM/INT to this script runs the trap at once
  # (bash defers traps while a foreground child runs); the trap stops wrk too.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --timeout "$TIMEOUT" --latency -s "$script" "$url" >>"$out" 2>&1 &
  WRK_PID=$!
  if ! wait "$WRK_PID"; then
    WRK_PID=""
    cat "$out" >&2
    die "wrk failed ($name)"
  fi
  WRK_PID=""
  t1=$(date +%s.%N); c1=$(server_cpu_ticks)
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" \
    'BEGIN { printf "SERVER_CPU percent_of_one_core=%.0f\n", ((c1 - c0) / hz) / (t1 - t0) * 100 }' >>"$out"
  kill -0 "$SERVER_PID" 2>/dev/null || { show_server_log; die "server died during $name"; }
  grep -q '^BENCH_RESULT ' "$out" || { cat "$out" >&2; die "no BENCH_RESULT line in $out"; }
}

field() {  # field FILE KEY
  grep -h -E '^(BENCH_RESULT|SERVER_CPU) ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# The JWT variants: every request is signed just before the run that sends it. The warm-up gets
# BENCH_GEN_RATE requests per second (it may run out: it only warms up); the measured run gets
# twice the rate the warm-up reached, so it never runs out (it stops and is refused if it does).
GEN_RATE="${BENCH_GEN_RATE:-12000}"
[[ "$GEN_RATE" =~ ^[0-9]+$ ]] || die "BENCH_GEN_RATE must be a number"
if (( PRESIGNED )); then export BENCH_REQUESTS=""; fi

if (( WARMUP > 0 )); then
  if (( PRESIGNED )); then
    gen_requests warmup $(( GEN_RATE * WARMUP * 3 / 2 ))
    BENCH_REQUESTS="$WORK_DIR/requests.warmup"
  fi
  run_wrk warmup-token "$WARMUP" "$TOKEN_URL" "$BENCH_DIR/token.lua"
  if (( JWKS )); then run_wrk warmup-jwks "$JWKS_WARMUP" "$JWKS_URL"; fi
fi
if (( PRESIGNED )); then
  rate=$(field "$RESULTS_DIR/warmup-token.txt" rps 2>/dev/null || echo "")
  rate=${rate%%.*}
  if [[ -z "$rate" ]] || [[ "$(field "$RESULTS_DIR/warmup-token.txt" exhausted 2>/dev/null)" != "0" ]]; then
    rate=$GEN_RATE
  fi
  (( rate >= 500 )) || rate=500
  gen_requests token $(( rate * TOKEN_DURATION * 2 ))
  BENCH_REQUESTS="$WORK_DIR/requests.token"
  rm -f "$WORK_DIR"/requests.warmup.*
fi
if (( PG_THROWAWAY )); then psql_bench -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null; fi
run_wrk token "$TOKEN_DURATION" "$TOKEN_URL" "$BENCH_DIR/token.lua"
if (( PG_THROWAWAY )); then
  # The SQL of the measured run: statements, calls per token request, and time inside PostgreSQL.
  requests=$(field "$RESULTS_DIR/token.txt" requests)
  psql_bench -d bench -c "
    SELECT calls, round(calls::numeric / GREATEST($requests, 1), 3) AS per_request,
           round(mean_exec_time::numeric * 1000, 1) AS mean_us, round(total_exec_time::numeric) AS total_ms,
           left(regexp_replace(query, '\s+', ' ', 'g'), 140) AS query
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench') AND calls >= 100
     ORDER BY calls DESC LIMIT 12" >"$RESULTS_DIR/pg-statements.txt" 2>&1 || true
fi
rm -f "$WORK_DIR"/requests.*
if (( JWKS )); then run_wrk jwks "$JWKS_DURATION" "$JWKS_URL"; fi

SERVER_PEAK_RSS=$(awk '/^VmHWM:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "n/a")

# ---------------------------------------------------------------- 7. summary
first_line() { "$@" 2>&1 | head -n 1 || true; }
CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
MEM_GIB=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?")
DOTNET_VERSION=$(cd "$ROOT" && dotnet --version 2>/dev/null || echo "?")
WRK_VERSION=$(first_line wrk -v | awk '{ print $2 }')
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ -n "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null || true)" ]]; then GIT_REV="$GIT_REV (src/ has uncommitted changes)"; fi

row() {  # row LABEL FILE DURATION
  local f=$2
  printf '| %s | %ss | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' \
    "$1" "$3" "$(field "$f" requests)" "$(field "$f" rps)" \
    "$(field "$f" p50_ms)" "$(field "$f" p90_ms)" "$(field "$f" p99_ms)" "$(field "$f" p999_ms)" \
    "$(field "$f" max_ms)" "$(field "$f" non200)" "$(field "$f" socket_errors)" \
    "$(field "$f" percent_of_one_core)"
}

SUMMARY="$RESULTS_DIR/summary.md"
{
  echo "### AuthService load test — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "| Endpoint | Duration | Requests | Req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | Max ms | Non-200 | Socket errors | Server CPU (of one core) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  row "POST /connect/token (client_credentials, $AUTH_LABEL, $ALG)" "$RESULTS_DIR/token.txt" "$TOKEN_DURATION"
  if (( JWKS )); then row "GET /.well-known/jwks.json" "$RESULTS_DIR/jwks.txt" "$JWKS_DURATION"; fi
  echo
  echo "- Machine: $(nproc) cores ($CPU_MODEL), ${MEM_GIB} GiB RAM, Linux $(uname -r)"
  echo "- .NET SDK $DOTNET_VERSION; Release build (\`dotnet publish -c Release\`), ASPNETCORE_ENVIRONMENT=Production, log level Warning"
  echo "- Storage: $STORAGE; commit $GIT_REV"
  echo "- Load: wrk $WRK_VERSION, $THREADS threads, $CONNECTIONS connections, ${WARMUP}s warm-up, keep-alive, HTTP/1.1 over loopback (127.0.0.1)"
  echo "- Server peak RSS: $SERVER_PEAK_RSS"
  if (( TENANTS > 0 )); then echo "- Tenants: $(cat "$RESULTS_DIR/tenants-seed.txt")"; fi
  echo "- Caution: wrk and the server share the same $(nproc) cores, so these numbers are a floor, not the capacity of a dedicated host."
  if (( PRESIGNED )); then
    echo "- Every request carried its own pre-signed JWTs (bench/jwtgen.mjs: unique jti; assertions exp 240 s, DPoP proofs iat at signing), each sent once"
  fi
  echo "- Raw outputs: bench/results/$STAMP/"
  if [[ -s "$RESULTS_DIR/pg-statements.txt" ]]; then
    echo
    echo "SQL statements during the measured token run (pg_stat_statements, calls >= 100):"
    echo
    echo '```'
    cat "$RESULTS_DIR/pg-statements.txt"
    echo '```'
  fi
} >"$SUMMARY"

echo
cat "$SUMMARY"
echo

bad=0
for f in "$RESULTS_DIR/token.txt" "$RESULTS_DIR/jwks.txt"; do
  [[ -f "$f" ]] || continue
  if [[ "$(field "$f" non200)" != "0" || "$(field "$f" socket_errors)" != "0" || "$(field "$f" exhausted)" != "0" ]]; then
    log "WARNING: $(basename "$f" .txt) run had non-200 responses, socket errors or ran out of pre-signed requests; see $f"
    bad=1
  fi
done
(( bad == 0 )) || exit 2
log "done; results in $RESULTS_DIR"
