#!/usr/bin/env bash
# bench/codeflow.sh - the code flow under load (bench/codeflow.py) against a Release build of the
# server on a throwaway PostgreSQL cluster (scripts/lib/postgres.sh). Everything on 127.0.0.1;
# the server and the cluster are stopped on exit, also when a step fails or on Ctrl-C.
#
#   bash bench/codeflow.sh                       # 8 threads, 20 s per operation
#   BENCH_THREADS=16 BENCH_DURATION=30 bash bench/codeflow.sh
#   BENCH_TENANTS=10000 BENCH_MEMBERSHIPS=100000 bash bench/codeflow.sh    # with tenants at scale (issue 15)
#   BENCH_SCOPE=tenant bash bench/codeflow.sh    # also ask for (and register) the scope "tenant"
#
# Knobs (all optional; bench/README.md):
#   BENCH_THREADS, BENCH_DURATION, BENCH_PORT   client threads (= bench users), seconds per operation, server port
#   BENCH_TENANTS, BENCH_MEMBERSHIPS            tenants and memberships written with SQL (bench/tenants.sql) after the
#                                               server migrated the database; each bench user is a member of three
#   BENCH_TENANT_USERS                          synthetic users holding the other memberships (default 10000)
#   BENCH_PLANS                                 1 (default, with tenants) = EXPLAIN the tenant queries (bench/tenant-plans.sh)
#   BENCH_SCOPE                                 scopes added to the client and to every authorization request
#   BENCH_AUTHORIZE_PARAMS                      NAME=VALUE ... added to every authorization request, {i} = the thread;
#                                               default with the scope "tenant" and tenants: tenant=bench-u{i}-a
#   BENCH_SKIP_BUILD                            1 = use the existing Release build of src/WebApi
#   BENCH_RESULTS                               results folder (default bench/results/codeflow-<UTC stamp>/)
# Results: summary.md, codeflow.json, server.log, tenants-seed.txt, tenant-plans.txt and tenant-plans-summary.md.
# Exit status: 0 ok; 1 setup failed; 2 the load saw an unexpected answer; 3 a tenant query used a Seq Scan.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="${BENCH_THREADS:-8}"
DURATION="${BENCH_DURATION:-20}"
PORT="${BENCH_PORT:-5098}"
EXTRA_SCOPE="${BENCH_SCOPE:-}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="${BENCH_RESULTS:-$ROOT/bench/results/codeflow-$STAMP}"
WORK="$(mktemp -d /tmp/authservice-codeflow.XXXXXX)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[codeflow %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=bench/tenants-lib.sh
source "$ROOT/bench/tenants-lib.sh"
SERVER_PID=""
LOAD_PID=""
cleanup() {
    local rc=$?
    for pid in "$LOAD_PID" "$SERVER_PID"; do
        [[ -n "$pid" ]] || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pg_stop_throwaway >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
die() { log "ERROR: $*"; exit 1; }

for n in "$THREADS" "$DURATION" "$PORT"; do [[ "$n" =~ ^[0-9]+$ ]] || die "numeric knob expected, got '$n'"; done
(( THREADS >= 1 && DURATION >= 1 )) || die "BENCH_THREADS and BENCH_DURATION must be at least 1"
tenants_read_knobs "$THREADS" || die "bad tenant knobs"
PLANS="${BENCH_PLANS:-1}"
[[ "$PLANS" =~ ^[01]$ ]] || die "BENCH_PLANS must be 0 or 1"
# scope-token (RFC 6749 §3.3): printable ASCII without space, '"' and '\'.
[[ -z "$EXTRA_SCOPE" || "$EXTRA_SCOPE" =~ ^[][!#-Z^-~]+(\ [][!#-Z^-~]+)*$ ]] \
    || die "BENCH_SCOPE must be scope tokens separated by single spaces, got '$EXTRA_SCOPE'"
SCOPE="openid offline_access bench.read${EXTRA_SCOPE:+ $EXTRA_SCOPE}"
if [[ -n "${BENCH_AUTHORIZE_PARAMS+set}" ]]; then
    AUTHORIZE_PARAMS="$BENCH_AUTHORIZE_PARAMS"
elif [[ " $EXTRA_SCOPE " == *" tenant "* ]] && (( TENANTS > 0 )); then
    # With three memberships each, the tenant parameter picks the active tenant (docs/adr/0038), not the picker page.
    AUTHORIZE_PARAMS="tenant=bench-u{i}-a"
else
    AUTHORIZE_PARAMS=""
fi
param_args=()
for p in $AUTHORIZE_PARAMS; do param_args+=(--authorize-param "$p"); done
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" 2>/dev/null; then
    die "something already answers on 127.0.0.1:$PORT; stop it or set BENCH_PORT"
fi
mkdir -p "$RESULTS_DIR"

PG_PORT_FIRST=58500 pg_start_throwaway || die "could not start a throwaway PostgreSQL cluster"
_pg_run "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE bench" >/dev/null
psql_bench() { "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench "$@"; }

python3 - "$THREADS" "$SCOPE" >"$WORK/seed.json" <<'PY'
import json, sys
users = [{"username": f"bench-u{i}", "password": "bench-password-0123"} for i in range(int(sys.argv[1]))]
client = {"client_id": "bench-web", "client_secret": "bench-web-secret-0123456789abcdef", "client_name": "Benchmark web app",
          "grant_types": ["authorization_code", "refresh_token"], "redirect_uris": ["http://127.0.0.1:9/cb"],
          "scope": sys.argv[2], "require_consent": False}
print(json.dumps({"clients": [client], "users": users}))
PY

if [[ "${BENCH_SKIP_BUILD:-0}" == "1" && -f "$ROOT/src/WebApi/bin/Release/net10.0/AuthService.WebApi.dll" ]]; then
    log "using the existing Release build (BENCH_SKIP_BUILD=1)"
else
    log "building src/WebApi (Release) ..."
    dotnet build "$ROOT/src/WebApi" -c Release -nologo -v q >"$RESULTS_DIR/build.log" 2>&1 || { tail -40 "$RESULTS_DIR/build.log" >&2; die "build failed"; }
fi
ConnectionStrings__AuthDb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench" \
Auth__SeedFile="$WORK/seed.json" Auth__DataDirectory="$WORK/data" Auth__Issuer="http://127.0.0.1:$PORT" \
Logging__LogLevel__Default=Warning \
    dotnet "$ROOT/src/WebApi/bin/Release/net10.0/AuthService.WebApi.dll" --urls "http://127.0.0.1:$PORT" >"$RESULTS_DIR/server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 120); do  # 120 x 0.5 s
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -40 "$RESULTS_DIR/server.log" >&2
        if [[ -n "$EXTRA_SCOPE" ]] && grep -q 'scope' "$RESULTS_DIR/server.log"; then
            log "the server refused the seeded client's scope '$SCOPE' (BENCH_SCOPE='$EXTRA_SCOPE'), above"
        fi
        die "the server exited during start-up (log: $RESULTS_DIR/server.log)"
    fi
    if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
done
(( ready )) || { tail -40 "$RESULTS_DIR/server.log" >&2; die "the server was not ready after 60 s"; }

# The server has migrated the database and seeded the bench users: now the tenants.
tenants_seed "$RESULTS_DIR" psql_bench || die "seeding the tenants failed"

# A scope the server does not list is granted like any client scope (the seed registers it for bench-web): say so,
# since then the run measures no path of that scope's own.
if [[ -n "$EXTRA_SCOPE" ]]; then
    supported=$(curl -sf "http://127.0.0.1:$PORT/.well-known/openid-configuration" \
        | python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin).get("scopes_supported", [])))') \
        || die "could not read the discovery document"
    for s in $EXTRA_SCOPE; do
        if [[ " $supported " != *" $s "* ]]; then
            log "NOTE: this server does not list the scope '$s' in scopes_supported: it treats it as a plain client scope, so this run measures no path of its own for it"
            echo "scope '$s' not in scopes_supported: granted as a plain client scope" >>"$RESULTS_DIR/scope-notes.txt"
        fi
    done
fi

# CPU time of the server and of PostgreSQL during the load (clock ticks from /proc): on a shared machine the rates follow
# the other load, the CPU spent per operation much less.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
proc_ticks() {  # proc_ticks PID [1 = with its exited children]: utime + stime (+ cutime + cstime)
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }  # the command name may hold spaces
    awk -v c="${2:-0}" '{ print $12 + $13 + (c ? $14 + $15 : 0) }' <<<"$stat"
}
pg_ticks() {  # the postmaster with the children it reaped, plus its live backends
    local pm total child
    pm=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null) || { echo 0; return; }
    total=$(proc_ticks "$pm" 1)
    for child in $(pgrep -P "$pm" || true); do total=$(( total + $(proc_ticks "$child") )); done
    echo "$total"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
server_t0=$(proc_ticks "$SERVER_PID")
pg_t0=$(pg_ticks)
log "code flow: $THREADS threads, ${DURATION} s per operation, scope '$SCOPE'${AUTHORIZE_PARAMS:+, authorize $AUTHORIZE_PARAMS}, $TENANTS tenants, $MEMBERSHIPS memberships, load average $load_before"
rc=0
python3 "$ROOT/bench/codeflow.py" "http://127.0.0.1:$PORT" --threads "$THREADS" --duration "$DURATION" --scope "$SCOPE" \
    "${param_args[@]}" --json "$RESULTS_DIR/codeflow.json" >"$RESULTS_DIR/codeflow.md" 2>"$RESULTS_DIR/codeflow.err" &
LOAD_PID=$!
wait "$LOAD_PID" || rc=$?
LOAD_PID=""
server_t1=$(proc_ticks "$SERVER_PID")
pg_t1=$(pg_ticks)
if (( rc != 0 )); then
    cat "$RESULTS_DIR/codeflow.err" >&2
    if grep -q 'refused the authorization request' "$RESULTS_DIR/codeflow.err" && [[ -n "$EXTRA_SCOPE" ]]; then
        log "the server refused the authorization request with BENCH_SCOPE='$EXTRA_SCOPE' (above): this build does not accept that scope"
    fi
    die "the code flow load failed (exit $rc)"
fi

# CPU per code-flow operation (authorize, redeem and refresh; the few sign-ins are in the total too).
python3 - "$RESULTS_DIR/codeflow.json" "$(( server_t1 - server_t0 ))" "$(( pg_t1 - pg_t0 ))" "$CLK_TCK" <<'PY' >"$RESULTS_DIR/cpu.txt"
import json, sys
path, server, pg, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = json.load(open(path))
ops = sum(data[name]["count"] for name in ("authorize", "redeem", "refresh"))
data["cpu"] = {"server_s": server / hz, "postgres_s": pg / hz, "operations": ops,
               "server_us_per_op": server / hz * 1e6 / max(ops, 1), "postgres_us_per_op": pg / hz * 1e6 / max(ops, 1)}
json.dump(data, open(path, "w"))
c = data["cpu"]
print(f"CPU during the load: server {c['server_s']:.1f} s, PostgreSQL {c['postgres_s']:.1f} s for {ops} operations: "
      f"{c['server_us_per_op']:.0f} µs server + {c['postgres_us_per_op']:.0f} µs PostgreSQL per operation")
PY

plans_rc=0
if (( TENANTS > 0 && PLANS )); then
    PSQL="$PG_BINDIR/psql" PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=bench \
        bash "$ROOT/bench/tenant-plans.sh" "$RESULTS_DIR" >/dev/null || plans_rc=$?
    (( plans_rc == 0 || plans_rc == 3 )) || die "bench/tenant-plans.sh failed (exit $plans_rc)"
fi

{
    echo "### Code flow - $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD)"
    echo
    cat "$RESULTS_DIR/codeflow.md"
    echo
    echo "- $THREADS threads (bench users), ${DURATION} s per operation; scope \`$SCOPE\`${AUTHORIZE_PARAMS:+; authorization parameters \`$AUTHORIZE_PARAMS\`}"
    if (( TENANTS > 0 )); then echo "- Tenants: $(cat "$RESULTS_DIR/tenants-seed.txt")"; else echo "- Tenants: none"; fi
    echo "- $(cat "$RESULTS_DIR/cpu.txt")"
    if [[ -s "$RESULTS_DIR/scope-notes.txt" ]]; then sed 's/^/- /' "$RESULTS_DIR/scope-notes.txt"; fi
    echo "- PostgreSQL $(psql_bench -XAtc 'SHOW server_version' | awk '{ print $1 }') (throwaway, fsync off); $(nproc) cores; load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ -s "$RESULTS_DIR/tenant-plans-summary.md" ]]; then
        echo
        echo "Tenant query plans (bench/tenant-plans.sh; every plan in tenant-plans.txt):"
        echo
        cat "$RESULTS_DIR/tenant-plans-summary.md"
    fi
} >"$RESULTS_DIR/summary.md"
cat "$RESULTS_DIR/summary.md"
log "results in $RESULTS_DIR"
(( plans_rc == 0 )) || { log "a tenant query read a table with a Seq Scan (see $RESULTS_DIR/tenant-plans.txt)"; exit 3; }
