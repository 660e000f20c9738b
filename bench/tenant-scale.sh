#!/usr/bin/env bash
# bench/tenant-scale.sh - sign-in and token issuance with empty tenant tables (A) and with tenants at scale (B),
# interleaved A, B, A, B, ... (issue 15), then client credentials once each way.
#
#   bash bench/tenant-scale.sh
#   BENCH_ROUNDS=3 BENCH_TENANTS=10000 BENCH_MEMBERSHIPS=100000 BENCH_DURATION=20 bash bench/tenant-scale.sh
#   bash bench/tenant-scale.sh --summary bench/results/tenant-scale-<stamp>    # the tables of an earlier run again
#
# Each code-flow run is one bench/codeflow.sh (fresh server, fresh throwaway PostgreSQL; B seeds the tenants after the
# migration and EXPLAINs the tenant queries); the client-credentials runs are bench/run.sh with BENCH_PG=throwaway.
# Knobs: BENCH_ROUNDS (2), BENCH_TENANTS (10000), BENCH_MEMBERSHIPS (100000), BENCH_DURATION (20, code flow),
# BENCH_ORDER (AB; BA runs B first in each round), BENCH_CC_DURATION (20, client credentials; 0 = skip them),
# BENCH_CC_THREADS (wrk threads, 2), BENCH_THREADS (8,
# the code flow's), BENCH_SCOPE (passed on), and the
# other knobs of both scripts. Prints Markdown: every run, then per configuration the median and the range.
# The folders of the runs are bench/results/tenant-scale-<stamp>/; exit status 2 if any run failed.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
ROUNDS="${BENCH_ROUNDS:-2}"
B_TENANTS="${BENCH_TENANTS:-10000}"
B_MEMBERSHIPS="${BENCH_MEMBERSHIPS:-100000}"
CC_DURATION="${BENCH_CC_DURATION:-20}"
ORDER="${BENCH_ORDER:-AB}"  # BA = B first in every round (to see whether the order matters)
[[ "$ORDER" == "AB" || "$ORDER" == "BA" ]] || { echo "BENCH_ORDER is AB or BA" >&2; exit 1; }
export BENCH_DURATION="${BENCH_DURATION:-20}" BENCH_THREADS="${BENCH_THREADS:-8}"

log() { printf '[tenant-scale %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for n in "$ROUNDS" "$B_TENANTS" "$B_MEMBERSHIPS" "$CC_DURATION"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { log "numeric knob expected, got '$n'"; exit 1; }
done
(( ROUNDS >= 1 && B_TENANTS >= 1 )) || { log "BENCH_ROUNDS and BENCH_TENANTS must be at least 1"; exit 1; }

# summarize DIR TENANTS MEMBERSHIPS: the Markdown tables of the runs in DIR.
summarize() {
  python3 - "$@" <<'PY'
import glob, json, os, re, statistics, sys
out, tenants, memberships = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
label = {"A": "A: no tenants", "B": f"B: {tenants:,} tenants, {memberships:,} memberships"}
runs = []
for path in sorted(glob.glob(os.path.join(out, "codeflow-*-*/codeflow.json")), key=lambda p: (int(p.split("-")[-1].split("/")[0]), p)):
    config, rnd = re.search(r"codeflow-([AB])-(\d+)/", path).groups()
    summary = open(os.path.join(os.path.dirname(path), "summary.md")).read()
    load = re.search(r"load average before ([0-9.]+)", summary).group(1)
    runs.append((int(rnd), config, json.load(open(path)), load))
ops = ["sign-in", "authorize", "redeem", "refresh"]
print("| Round | Configuration | Load avg before | sign-in p50 / p99 ms | authorize /s | p50 / p99 ms | redeem /s | p50 / p99 ms | refresh /s | p50 / p99 ms | CPU µs per operation: server + PostgreSQL |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for rnd, config, r, load in runs:
    cells = [f"{r['sign-in']['p50_ms']:.0f} / {r['sign-in']['p99_ms']:.0f}"]
    for op in ops[1:]:
        cells += [f"{r[op]['rate']:.0f}", f"{r[op]['p50_ms']:.1f} / {r[op]['p99_ms']:.1f}"]
    cells.append(f"{r['cpu']['server_us_per_op']:.0f} + {r['cpu']['postgres_us_per_op']:.0f}" if "cpu" in r else "—")
    print(f"| {rnd} | {config} | {load} | " + " | ".join(cells) + " |")
print()
print("Median (range) over the rounds:")
print()
print("| Configuration | Runs | sign-in p50 ms | authorize /s | authorize p99 ms | redeem /s | redeem p99 ms | refresh /s | refresh p99 ms | server CPU µs/op | PostgreSQL CPU µs/op |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def cell(values, fmt):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"
for config in "AB":
    mine = [r for _, c, r, _ in runs if c == config]
    if not mine:
        continue
    cells = [cell([r["sign-in"]["p50_ms"] for r in mine], "{:.0f}")]
    for op in ops[1:]:
        cells += [cell([r[op]["rate"] for r in mine], "{:.0f}"), cell([r[op]["p99_ms"] for r in mine], "{:.1f}")]
    for key in ("server_us_per_op", "postgres_us_per_op"):
        values = [r["cpu"][key] for r in mine if "cpu" in r]
        cells.append(cell(values, "{:.0f}") if values else "—")
    print(f"| {label[config]} | {len(mine)} | " + " | ".join(cells) + " |")
cc = []
for config in "AB":
    token = os.path.join(out, f"cc-{config}", "token.txt")
    if os.path.exists(token):
        text = open(token).read()
        f = dict(re.findall(r"(\w+)=([0-9.]+)", " ".join(l for l in text.splitlines() if l.startswith(("BENCH_RESULT", "SERVER_CPU")))))
        cc.append((config, f))
if cc:
    print()
    print("Client credentials (bench/run.sh, BENCH_PG=throwaway):")
    print()
    print("| Configuration | Tokens/s | p50 ms | p99 ms | Server CPU (of one core) | CPU µs per token | Non-200 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for config, f in cc:
        rps, cpu = float(f["rps"]), float(f["percent_of_one_core"])
        print(f"| {label[config]} | {rps:,.0f} | {f['p50_ms']} | {f['p99_ms']} | {cpu:.0f} % | {cpu * 10000 / rps:.0f} | {f['non200']} |")
print()
print(f"- Machine: {os.cpu_count()} cores; results in {os.path.relpath(out)}")
PY
}
if [[ "${1:-}" == "--summary" ]]; then
  [[ -d "${2:-}" ]] || { echo "usage: bench/tenant-scale.sh --summary DIR" >&2; exit 1; }
  summarize "$2" "$B_TENANTS" "$B_MEMBERSHIPS"
  exit 0
fi
OUT="$BENCH_DIR/results/tenant-scale-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

# The Release build once; every run after it reuses it.
log "building src/WebApi (Release) ..."
dotnet build "$ROOT/src/WebApi" -c Release -nologo -v q >"$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" >&2; exit 1; }

failed=0
run_codeflow() {  # run_codeflow LABEL ROUND TENANTS MEMBERSHIPS
  local dir="$OUT/codeflow-$1-$2" rc=0
  log "code flow, round $2, configuration $1 ($3 tenants, $4 memberships), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  BENCH_SKIP_BUILD=1 BENCH_RESULTS="$dir" BENCH_TENANTS="$3" BENCH_MEMBERSHIPS="$4" \
    bash "$BENCH_DIR/codeflow.sh" >/dev/null 2>"$OUT/codeflow-$1-$2.log" || rc=$?
  if (( rc != 0 )); then
    log "run failed (exit $rc; $OUT/codeflow-$1-$2.log)"
    failed=1
  fi
}
run_cc() {  # run_cc LABEL TENANTS MEMBERSHIPS
  local rc=0
  log "client credentials, configuration $1, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # BENCH_THREADS is the code flow's client threads; wrk keeps its own default (2).
  BENCH_THREADS="${BENCH_CC_THREADS:-2}" BENCH_PG=throwaway BENCH_TENANTS="$2" BENCH_MEMBERSHIPS="$3" BENCH_DURATION="$CC_DURATION" BENCH_WARMUP=5 BENCH_JWKS=0 \
    BENCH_SKIP_PUBLISH="$publish" bash "$BENCH_DIR/run.sh" >/dev/null 2>"$OUT/cc-$1.log" || rc=$?
  publish=1
  if (( rc != 0 )); then
    log "run failed (exit $rc; $OUT/cc-$1.log)"
    failed=1
  fi
  ln -sfn "$BENCH_DIR/results/$(readlink "$BENCH_DIR/results/latest")" "$OUT/cc-$1"
}

for round in $(seq 1 "$ROUNDS"); do
  for config in $(fold -w1 <<<"$ORDER"); do
    if [[ "$config" == "A" ]]; then run_codeflow A "$round" 0 0; else run_codeflow B "$round" "$B_TENANTS" "$B_MEMBERSHIPS"; fi
  done
done
publish=0
if (( CC_DURATION > 0 )); then
  run_cc A 0 0
  run_cc B "$B_TENANTS" "$B_MEMBERSHIPS"
fi

summarize "$OUT" "$B_TENANTS" "$B_MEMBERSHIPS" | tee "$OUT/summary.md"
(( failed == 0 )) || exit 2
