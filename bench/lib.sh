# shellcheck shell=bash
# bench/lib.sh - what bench/writes.sh and bench/reads.sh share: tools, publish, a throwaway PostgreSQL cluster with
# pg_stat_statements (or SQLite), the server's start and stop, and one wrk run measured for CPU per operation (server,
# PostgreSQL, wrk itself) and summarised as one Markdown table row. Source it after setting:
#
#   ROOT, BENCH_DIR, RESULTS_DIR, WORK (a temp folder the script owns), PORT, DB (pg|sqlite), THREADS, CONNECTIONS,
#   BENCH_TAG (the log prefix)
#
# and call bench_init (tools, traps, port check), then bench_publish DIR, bench_database, bench_start_server, bench_run.
# Everything targets 127.0.0.1; what was started here (wrk, the server, the cluster) is stopped on exit, also on failure.

BASE_URL="http://127.0.0.1:$PORT"
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
SERVER_PID=""
WRK_PID=""
PG_STARTED=0
declare -A ROW
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[%s %s] %s\n' "$BENCH_TAG" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

bench_numeric() {  # bench_numeric VALUE...: every value a whole number, else stop
    local n
    for n in "$@"; do [[ "$n" =~ ^[0-9]+$ ]] || die "numeric knob expected, got '$n'"; done
}

bench_cleanup() {
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

bench_init() {  # tools, the exit traps, a free port, the results folder
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
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if curl -s -o /dev/null --max-time 2 "$BASE_URL/" 2>/dev/null; then
        die "something already answers on $BASE_URL; stop it or set BENCH_PORT"
    fi
    mkdir -p "$RESULTS_DIR"
    SERVER_LOG="$RESULTS_DIR/server.log"
}

bench_publish() {  # bench_publish DIR: a Release publish of src/WebApi (BENCH_SKIP_PUBLISH=1 reuses DIR)
    local dir=$1
    if [[ "${BENCH_SKIP_PUBLISH:-0}" == "1" && -f "$dir/AuthService.WebApi.dll" ]]; then
        log "reusing $dir (BENCH_SKIP_PUBLISH=1)"
        return
    fi
    log "publishing src/WebApi (Release) to ${dir#"$ROOT"/} ..."
    rm -rf "$dir"
    dotnet publish "$ROOT/src/WebApi/AuthService.WebApi.csproj" -c Release -o "$dir" -nologo -v quiet /p:UseAppHost=false \
        >"$RESULTS_DIR/publish.log" 2>&1 || { tail -n 40 "$RESULTS_DIR/publish.log" >&2; die "dotnet publish failed"; }
}

proc_ticks() {  # proc_ticks PID [1 = with its reaped children]
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    awk -v c="${2:-0}" '{ print $12 + $13 + (c ? $14 + $15 : 0) }' <<<"$stat"
}
pg_ticks() { echo 0; }
psql_bench() { return 1; }

# bench_database: with DB=pg a throwaway cluster (scripts/lib/postgres.sh: fsync off) with pg_stat_statements and a
# database "bench"; sets STORAGE and server_env (the base environment of the server, to which the caller adds).
bench_database() {
    server_env=(ASPNETCORE_ENVIRONMENT=Production "Auth__SeedFile=$WORK/seed.json" "Auth__DataDirectory=$WORK/data"
                "Auth__Issuer=$BASE_URL" Logging__LogLevel__Default=Warning)
    if [[ "$DB" != "pg" ]]; then
        STORAGE="SQLite (embedded, a fresh file)"
        return
    fi
    # shellcheck source=scripts/lib/postgres.sh
    source "$ROOT/scripts/lib/postgres.sh"
    PG_PORT_FIRST="${PG_PORT_FIRST:-58700}" pg_start_throwaway || die "could not start a throwaway PostgreSQL cluster"
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
}

# bench_start_server PUBLISH_DIR: starts the server with server_env (plus BENCH_SERVER_ENV, and EF Core's command log with
# BENCH_SQL_LOG=1) and waits up to 60 s for /readyz.
bench_start_server() {
    local kv
    if [[ "${BENCH_SQL_LOG:-0}" == "1" ]]; then
        # EF Core's own command log: one "Executed DbCommand" entry per SQL statement sent.
        server_env+=(Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information)
    fi
    for kv in ${BENCH_SERVER_ENV:-}; do
        [[ "$kv" == *=* ]] || die "BENCH_SERVER_ENV takes NAME=VALUE pairs, got '$kv'"
        server_env+=("$kv")
    done
    env "${server_env[@]}" dotnet "$1/AuthService.WebApi.dll" --urls "$BASE_URL" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local ready=0
    for _ in $(seq 1 120); do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server exited during start-up"; }
        if curl -sf "$BASE_URL/readyz" >/dev/null 2>&1; then ready=1; break; fi
        sleep 0.5
    done
    (( ready )) || { tail -n 40 "$SERVER_LOG" >&2; die "the server was not ready after 60 s"; }
    # Another process may have taken the port after the check: then /readyz was its answer, and this server exits.
    sleep 1
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server exited after start-up (port $PORT taken?)"; }
}

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

# bench_run NAME DURATION PATH LUA [NAME=VALUE ...]: one wrk run against BASE_URL/PATH with the Lua script and the given
# environment; raw output in RESULTS_DIR/NAME.txt; ROW[NAME] = "server ms/op|PostgreSQL ms/op|wrk % of one core|load";
# with PostgreSQL the run's statements (pg_stat_statements) in statements-NAME.txt, with BENCH_SQL_LOG=1 EF Core's count.
bench_run() {
    local name=$1 duration=$2 path=$3 script=$4 out="$RESULTS_DIR/$1.txt"
    shift 4
    local load s0 s1 p0 p1 w0 w1 t0 t1 log0 requests
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [[ "$DB" == "pg" ]]; then psql_bench -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null; fi
    log0=$(wc -l <"$SERVER_LOG")
    log "$name: wrk -t$THREADS -c$CONNECTIONS -d${duration}s ($(basename "$script") $*), load average $load"
    s0=$(proc_ticks "$SERVER_PID"); p0=$(pg_ticks); children_ticks >"$WORK/w0"; w0=$(<"$WORK/w0"); t0=$(date +%s.%N)
    echo "# $* wrk -t$THREADS -c$CONNECTIONS -d${duration}s --latency -s $(basename "$script") $BASE_URL$path" >"$out"
    env "$@" BENCH_WRK_THREADS="$THREADS" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --timeout 5s --latency -s "$script" "$BASE_URL$path" >>"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { WRK_PID=""; cat "$out" >&2; die "wrk failed ($name)"; }
    WRK_PID=""
    t1=$(date +%s.%N); s1=$(proc_ticks "$SERVER_PID"); p1=$(pg_ticks); children_ticks >"$WORK/w1"; w1=$(<"$WORK/w1")
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG" >&2; die "the server died during $name"; }
    grep -q '^BENCH_RESULT ' "$out" || { cat "$out" >&2; die "no BENCH_RESULT line in $out"; }
    requests=$(field "$out" requests)
    ROW[$name]=$(awk -v n="$requests" -v s=$(( s1 - s0 )) -v p=$(( p1 - p0 )) -v w=$(( w1 - w0 )) -v hz="$CLK_TCK" \
        -v t0="$t0" -v t1="$t1" -v load="$load" -v pg="$DB" \
        'BEGIN { n = (n > 0 ? n : 1)
                 printf "%.3f|%s|%.0f%%|%s", s / hz * 1000 / n, (pg == "pg" ? sprintf("%.3f", p / hz * 1000 / n) : "—"),
                        w / hz / (t1 - t0) * 100, load }')
    if [[ "$DB" == "pg" ]]; then
        psql_bench -d bench -c "
            SELECT calls, round(calls::numeric / GREATEST($requests, 1), 2) AS per_op, round(mean_exec_time::numeric * 1000, 1) AS mean_us,
                   left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench') AND calls >= GREATEST($requests / 20, 10)
             ORDER BY calls DESC LIMIT 20" >"$RESULTS_DIR/statements-$name.txt" 2>&1 || true
    fi
    if [[ "${BENCH_SQL_LOG:-0}" == "1" ]]; then
        local commands
        commands=$(tail -n +"$(( log0 + 1 ))" "$SERVER_LOG" | grep -c 'Executed DbCommand' || true)
        awk -v c="$commands" -v n="$requests" 'BEGIN { printf "%s: %d SQL commands (EF Core log) for %d requests: %.2f per request\n", ARGV[1], c, n, c / (n > 0 ? n : 1) }' "$name" \
            >>"$RESULTS_DIR/sql-per-op.txt"
    fi
}

# bench_row NAME LABEL DURATION: the run's Markdown table row (the header is bench_table_header's).
bench_table_header() {
    echo "| Operation | Duration | Requests | Rate (/s) | p50 ms | p99 ms | Unexpected status | Server CPU ms/op | PostgreSQL CPU ms/op | wrk CPU (of one core) | Load average before |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
}
bench_row() {
    local f="$RESULTS_DIR/$1.txt" server pg wrkcpu load
    IFS='|' read -r server pg wrkcpu load <<<"${ROW[$1]}"
    printf '| %s | %ss | %s | %.0f | %.1f | %.1f | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(field "$f" requests)" "$(field "$f" rps)" \
        "$(field "$f" p50_ms)" "$(field "$f" p99_ms)" "$(field "$f" non200)" "$server" "$pg" "$wrkcpu" "$load"
}
bench_valid() {  # bench_valid NAME: no unexpected status, socket error or exhausted thread
    local f="$RESULTS_DIR/$1.txt"
    [[ "$(field "$f" non200)" == "0" && "$(field "$f" socket_errors)" == "0" && "$(field "$f" exhausted)" == "0" ]]
}

bench_machine() {  # one line of machine facts for the summary
    echo "$(nproc) cores ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')); .NET $(dotnet --version 2>/dev/null); wrk $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
}

bench_statements() {  # bench_statements NAME...: the PostgreSQL statements of each run, for the summary
    [[ "$DB" == "pg" ]] || return 0
    local name
    for name in "$@"; do
        echo
        echo "PostgreSQL statements during $name (pg_stat_statements; per_op = calls per request):"
        echo
        echo '```'
        cat "$RESULTS_DIR/statements-$name.txt"
        echo '```'
    done
}

bench_sql_log() {  # the EF Core command counts, for the summary
    if [[ "${BENCH_SQL_LOG:-0}" == "1" && -s "$RESULTS_DIR/sql-per-op.txt" ]]; then
        echo
        echo "SQL statements per operation (EF Core command log, BENCH_SQL_LOG=1; the log itself slows the server, so this run's rates are not comparable):"
        echo
        sed 's/^/- /' "$RESULTS_DIR/sql-per-op.txt"
    fi
}

bench_commit() {  # the commit, marked when src/ has uncommitted changes
    local rev
    rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
    [[ -z "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null || true)" ]] || rev="$rev (src/ has uncommitted changes)"
    echo "$rev"
}
