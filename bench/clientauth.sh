#!/usr/bin/env bash
# bench/clientauth.sh — client credentials with each client authentication method, with and without
# DPoP, on the embedded SQLite database and on a throwaway PostgreSQL cluster, side by side (issue 10).
#
#   bash bench/clientauth.sh
#   BENCH_ROUNDS=3 BENCH_STORES="sqlite" BENCH_DURATION=15 bash bench/clientauth.sh
#
# Each cell is one bench/run.sh (fresh server, fresh database, fresh keys); the variants alternate
# within a round and the rounds repeat, so load from other processes spreads over all of them.
# Knobs: BENCH_ROUNDS (2), BENCH_STORES ("sqlite pg"), BENCH_VARIANTS (see below), BENCH_DURATION (20),
# BENCH_WARMUP (5) and every knob of bench/run.sh. Prints a Markdown table; the full summaries stay in
# bench/results/<stamp>/ (listed in the last column). Exit status 2 if any run was refused.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROUNDS="${BENCH_ROUNDS:-2}"
STORES="${BENCH_STORES:-sqlite pg}"
# auth:dpop pairs
VARIANTS="${BENCH_VARIANTS:-secret:0 secret:1 client_secret_jwt:0 private_key_jwt:0 private_key_jwt:1}"
export BENCH_DURATION="${BENCH_DURATION:-20}" BENCH_WARMUP="${BENCH_WARMUP:-5}"

log() { printf '[clientauth %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
field() { grep -h -E '^(BENCH_RESULT|SERVER_CPU) ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

rows=()
failed=0
publish=0
for round in $(seq 1 "$ROUNDS"); do
  for store in $STORES; do
    for variant in $VARIANTS; do
      auth=${variant%%:*}
      dpop=${variant#*:}
      pg=""
      [[ "$store" == "pg" ]] && pg="throwaway"
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      log "round $round, $store, $auth, DPoP=$dpop (load average $load)"
      rc=0
      BENCH_AUTH="$auth" BENCH_DPOP="$dpop" BENCH_PG="$pg" BENCH_JWKS=0 BENCH_SKIP_PUBLISH="$publish" \
        bash "$BENCH_DIR/run.sh" >/dev/null || rc=$?
      publish=1
      dir="$BENCH_DIR/results/$(readlink "$BENCH_DIR/results/latest")"
      f="$dir/token.txt"
      if [[ ! -f "$f" ]] || (( rc == 1 )); then
        log "run failed (exit $rc); see $dir"
        failed=1
        continue
      fi
      (( rc == 0 )) || failed=1
      label="$auth"
      [[ "$auth" == "secret" ]] && label="client_secret_basic"
      [[ "$dpop" == "1" ]] && label="$label + DPoP"
      rows+=("| $round | $label | $([[ $store == pg ]] && echo PostgreSQL || echo SQLite) | $(printf '%.0f' "$(field "$f" rps)") | $(field "$f" p50_ms) | $(field "$f" p99_ms) | $(field "$f" percent_of_one_core)% | $(awk -v c="$(field "$f" percent_of_one_core)" -v r="$(field "$f" rps)" 'BEGIN { printf "%.0f", (r > 0 ? c * 10000 / r : 0) }') | $(field "$f" non200) | $load | $(basename "$dir") |")
    done
  done
done

echo
echo "| Round | Method | Store | Tokens/s | p50 ms | p99 ms | Server CPU (of one core) | Server CPU µs per token | Non-200 | Load avg before (1/5/15 min) | Results |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "- Machine: $(nproc) cores ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), Linux $(uname -r); ${BENCH_DURATION} s measured after ${BENCH_WARMUP} s warm-up per run; commit $(git -C "$BENCH_DIR/.." rev-parse --short HEAD)"
(( failed == 0 )) || exit 2
