#!/usr/bin/env bash
# bench/coldstart.sh - how fast a freshly started server answers (issue 16: "a freshly started server reaches 80 % of
# its steady client-credentials rate within 5 seconds, with p99 under 50 ms in its first 10 seconds").
#
#   bash bench/coldstart.sh                      # 3 starts, the plain Release publish
#   BENCH_R2R=1 bash bench/coldstart.sh          # the publish the Dockerfile makes (ReadyToRun)
#
# It publishes src/WebApi, starts it once to create the database, seed and keys (SQLite in bench/.work-coldstart, or
# BENCH_PG), stops it, and then BENCH_STARTS times: starts the server (a replica restarting: the database exists),
# polls /readyz every 20 ms, and the moment it is ready runs wrk on client credentials for 10 s (the cold window), then
# 20 s more (steady). Per start it prints the time to ready, the responses of each second of the cold window, the
# cold window's p99, the steady rate and p99, which second first reached 80 % of the steady rate, and the server's CPU
# time (to ready, and per token in the cold window and the steady run, from /proc/<pid>/stat).
# Knobs: BENCH_STARTS (3), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_R2R (0), BENCH_PG (a connection string),
# BENCH_PORT (5097), BENCH_SKIP_PUBLISH (0), BENCH_SERVER_ENV (NAME=VALUE ... for the server). Results: bench/results/coldstart-<stamp>/ (summary.md, wrk and server logs).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
STARTS="${BENCH_STARTS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
R2R="${BENCH_R2R:-0}"
PORT="${BENCH_PORT:-5097}"
BASE_URL="http://127.0.0.1:$PORT"
STAMP="coldstart-$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="$BENCH_DIR/results/$STAMP"
WORK_DIR="$BENCH_DIR/.work-coldstart"
PUBLISH_DIR="$BENCH_DIR/.publish-coldstart-r2r$R2R"
CLIENT_SECRET="bench-secret-0123456789abcdefghijklmnopqrstuvwxyz"

log() { printf '[coldstart %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for n in "$STARTS" "$CONNECTIONS" "$THREADS" "$PORT"; do [[ "$n" =~ ^[0-9]+$ ]] || die "numeric knob expected, got '$n'"; done
[[ "$R2R" =~ ^[01]$ ]] || die "BENCH_R2R is 0 or 1"
(( STARTS >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS )) || die "need BENCH_STARTS >= 1 and BENCH_CONNECTIONS >= BENCH_THREADS >= 1"
command -v dotnet >/dev/null || die "dotnet not found"
if ! command -v wrk >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "wrk missing and not root: run 'sudo apt-get install -y wrk'"
  log "wrk not found; installing the Debian package"
  apt-cache policy wrk 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
mkdir -p "$RESULTS_DIR" "$WORK_DIR"

SERVER_PID=""
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap 'rc=$?; stop_server; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_SKIP_PUBLISH:-0}" != "1" || ! -f "$PUBLISH_DIR/AuthService.WebApi.dll" ]]; then
  rm -rf "$PUBLISH_DIR"
  publish_args=(-c Release -o "$PUBLISH_DIR" -nologo -v quiet /p:UseAppHost=false)
  # The Dockerfile's publish: ReadyToRun code for linux-x64, framework-dependent.
  (( R2R )) && publish_args+=(-r linux-x64 --self-contained false /p:PublishReadyToRun=true)
  log "publishing src/WebApi (Release$( (( R2R )) && echo ", ReadyToRun"))"
  dotnet publish "$ROOT/src/WebApi/AuthService.WebApi.csproj" "${publish_args[@]}" >"$RESULTS_DIR/publish.log" 2>&1 \
    || { tail -n 30 "$RESULTS_DIR/publish.log" >&2; die "dotnet publish failed"; }
fi

rm -rf "$WORK_DIR/data"; mkdir -p "$WORK_DIR/data"
cat >"$WORK_DIR/seed.json" <<JSON
{"clients":[{"client_id":"bench-client","client_secret":"$CLIENT_SECRET","grant_types":["client_credentials"],
 "scope":"bench.read bench.write","token_endpoint_auth_method":"client_secret_basic","client_name":"Benchmark client"}],"users":[]}
JSON
server_env=(ASPNETCORE_ENVIRONMENT=Production "Auth__SeedFile=$WORK_DIR/seed.json" "Auth__DataDirectory=$WORK_DIR/data"
            Logging__LogLevel__Default=Warning
            # The warm-up's one line (how long it held readiness back, docs/adr/0044) goes to server-<i>.log.
            Logging__LogLevel__AuthService.Infrastructure.Hosting.ServerWarmUp=Information
            # One client far above the default per-client token budget (docs/adr/0043), as in bench/run.sh.
            Auth__RateLimits__Token__PermitsPerSecond=1000000)
[[ -n "${BENCH_PG:-}" ]] && server_env+=("ConnectionStrings__AuthDb=$BENCH_PG")
# BENCH_SERVER_ENV: NAME=VALUE ... added to the server's environment (e.g. DOTNET_TieredPGO=0), as in bench/writes.sh.
for kv in ${BENCH_SERVER_ENV:-}; do
  [[ "$kv" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || die "BENCH_SERVER_ENV takes NAME=VALUE words, got '$kv'"
  server_env+=("$kv")
done

# start_server LOG: starts the server; READY_MS = the milliseconds from the start to the first 200 of /readyz.
READY_MS=0
start_server() {
  local t0 now
  ! curl -s -o /dev/null --max-time 1 "$BASE_URL/" 2>/dev/null || die "something already listens on $BASE_URL (BENCH_PORT)"
  t0=$(date +%s%N)
  ( cd "$PUBLISH_DIR" && exec env "${server_env[@]}" dotnet AuthService.WebApi.dll --urls "$BASE_URL" ) >"$1" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 3000); do  # 3000 x 20 ms = 60 s
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$1" >&2; die "the server exited during start-up"; }
    if curl -fsS -o /dev/null --max-time 1 "$BASE_URL/readyz" 2>/dev/null; then
      now=$(date +%s%N); READY_MS=$(( (now - t0) / 1000000 )); return 0
    fi
    sleep 0.02
  done
  tail -n 40 "$1" >&2; die "the server was not ready within 60 s"
}

# The server's CPU time so far (user + system, clock ticks, /proc/<pid>/stat fields 14 and 15).
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
CLK_TCK=$(getconf CLK_TCK)

log "first start: database, seed and signing keys"
start_server "$RESULTS_DIR/server-0.log"
stop_server

export BENCH_CLIENT_ID=bench-client BENCH_CLIENT_SECRET="$CLIENT_SECRET" BENCH_SCOPE=bench.read
for i in $(seq 1 "$STARTS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start_server "$RESULTS_DIR/server-$i.log"
  ready_ms=$READY_MS
  ready_epoch=$(date +%s)
  cpu_ready=$(server_cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s --latency -s "$BENCH_DIR/coldstart.lua" "$BASE_URL/connect/token" \
    >"$RESULTS_DIR/cold-$i.txt" 2>&1 || die "wrk failed (cold window), see $RESULTS_DIR/cold-$i.txt"
  cpu_cold=$(server_cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d20s --latency -s "$BENCH_DIR/token.lua" "$BASE_URL/connect/token" \
    >"$RESULTS_DIR/steady-$i.txt" 2>&1 || die "wrk failed (steady), see $RESULTS_DIR/steady-$i.txt"
  cpu_steady=$(server_cpu_ticks)
  stop_server
  echo "$i $ready_ms $ready_epoch $load $cpu_ready $cpu_cold $cpu_steady" >>"$RESULTS_DIR/starts.txt"
  log "start $i: ready after $ready_ms ms (load average $load)"
  grep -ho 'Warm-up [^;]*' "$RESULTS_DIR/server-$i.log" | head -n 1 >&2 || true
done

python3 - "$RESULTS_DIR" "$R2R" "$CLK_TCK" >"$RESULTS_DIR/summary.md" <<'PY'
import re, statistics, sys, os
out, r2r, tck = sys.argv[1], sys.argv[2], float(sys.argv[3])
def result(path):
    text = open(path).read()
    m = re.search(r"BENCH_RESULT (.*)", text)
    kv = dict(p.split("=") for p in m.group(1).split())
    secs = [(int(a), int(b), int(c)) for a, b, c in re.findall(r"BENCH_SECOND epoch=(\d+) responses=(\d+) non200=(\d+)", text)]
    return kv, secs
print(f"Cold start, client credentials, {'ReadyToRun' if r2r == '1' else 'plain JIT'} publish\n")
print("| Start | Load avg | Ready after ms | Server CPU s to ready | Responses per second in the cold window (s1 … s10) | Cold p99 ms | Server CPU µs/token cold / steady | Steady /s | Steady p99 ms | First second at ≥ 80 % of steady | Non-200 |")
print("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
for line in open(os.path.join(out, "starts.txt")):
    i, ready_ms, ready_epoch, load, cpu_ready, cpu_cold, cpu_steady = line.split()
    cold, secs = result(os.path.join(out, f"cold-{i}.txt"))
    steady, _ = result(os.path.join(out, f"steady-{i}.txt"))
    rate = float(steady["rps"])
    # The first and last wall-clock seconds are partial; list the whole ones.
    whole = secs[1:-1] if len(secs) > 2 else secs
    first = next((k + 1 for k, (_, n, _) in enumerate(whole) if n >= 0.8 * rate), None)
    per_token = lambda ticks, n: f"{int(ticks) / tck * 1e6 / max(int(n), 1):.0f}"
    cpu = f"{per_token(int(cpu_cold) - int(cpu_ready), cold['requests'])} / {per_token(int(cpu_steady) - int(cpu_cold), steady['requests'])}"
    print(f"| {i} | {load} | {ready_ms} | {int(cpu_ready) / tck:.1f} | {' '.join(str(n) for _, n, _ in whole)} | {float(cold['p99_ms']):.1f} | {cpu} | {rate:,.0f} | "
          f"{float(steady['p99_ms']):.1f} | {first if first else '—'} | {int(cold['non200']) + int(steady['non200'])} |")
print("\nSeconds are counted from the first response (the first partial second is left out, so s1 is the first whole"
      " second after the server turned ready); 'first second at ≥ 80 %' counts the same way.")
PY
cat "$RESULTS_DIR/summary.md"
log "results in $RESULTS_DIR"
if grep -q 'non200=[1-9]' "$RESULTS_DIR"/cold-*.txt "$RESULTS_DIR"/steady-*.txt; then
  log "some answers were not 200 (see the Non-200 column): these figures are not valid"
  exit 2
fi
