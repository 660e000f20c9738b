# shellcheck shell=bash
# bench/tenants-lib.sh - tenants and memberships at scale (issue 15), sourced by bench/codeflow.sh and bench/run.sh.
#
#   tenants_read_knobs BENCH_USERS   reads BENCH_TENANTS, BENCH_MEMBERSHIPS, BENCH_TENANT_USERS into TENANTS,
#                                    MEMBERSHIPS, TENANT_USERS and checks them (BENCH_USERS: the bench users the
#                                    server seeds, bench-u0.., each a member of three tenants); returns 1 with a message
#   tenants_seed OUT_DIR PSQL...     writes them with bench/tenants.sql through the psql command PSQL... (connected to
#                                    the migrated database), checks the counts, logs the time to OUT_DIR/tenants-seed.txt
#
# Both print their messages to stderr. Nothing is written when BENCH_TENANTS is 0 (the default).

TENANTS_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

tenants_read_knobs() {
    local bench_users=$1
    TENANTS="${BENCH_TENANTS:-0}"
    MEMBERSHIPS="${BENCH_MEMBERSHIPS:-0}"
    TENANT_USERS="${BENCH_TENANT_USERS:-10000}"
    local n
    for n in "$TENANTS" "$MEMBERSHIPS" "$TENANT_USERS"; do
        [[ "$n" =~ ^[0-9]+$ ]] || { echo "BENCH_TENANTS, BENCH_MEMBERSHIPS and BENCH_TENANT_USERS are whole numbers, got '$n'" >&2; return 1; }
    done
    (( TENANTS <= 1000000 && MEMBERSHIPS <= 10000000 && TENANT_USERS <= 1000000 )) \
        || { echo "at most 1,000,000 tenants, 10,000,000 memberships and 1,000,000 synthetic users" >&2; return 1; }
    if (( TENANTS == 0 )); then
        (( MEMBERSHIPS == 0 )) || { echo "BENCH_MEMBERSHIPS needs BENCH_TENANTS" >&2; return 1; }
        return 0
    fi
    (( TENANTS >= 3 * bench_users )) \
        || { echo "BENCH_TENANTS must be at least 3 per bench user ($((3 * bench_users))): each is a member of three tenants of its own" >&2; return 1; }
    (( MEMBERSHIPS >= 3 * bench_users )) \
        || { echo "BENCH_MEMBERSHIPS must be at least 3 per bench user ($((3 * bench_users)))" >&2; return 1; }
    (( MEMBERSHIPS == 3 * bench_users || TENANT_USERS >= 1 )) \
        || { echo "BENCH_TENANT_USERS must be at least 1 to hold the memberships beyond the bench users'" >&2; return 1; }
    # One membership per (tenant, user): the synthetic users must have room for the rest.
    (( MEMBERSHIPS - 3 * bench_users <= TENANTS * TENANT_USERS / 2 )) \
        || { echo "BENCH_MEMBERSHIPS is too many for BENCH_TENANTS x BENCH_TENANT_USERS (at most half of the pairs)" >&2; return 1; }
}

tenants_seed() {
    local out=$1
    shift
    (( TENANTS > 0 )) || return 0
    local t0 t1 counts
    t0=$(date +%s.%N)
    # stdin, not -f: the psql command may run as another OS user that cannot read this checkout.
    "$@" -X -q -v ON_ERROR_STOP=1 -v tenants="$TENANTS" -v memberships="$MEMBERSHIPS" -v synthetic_users="$TENANT_USERS" \
        <"$TENANTS_LIB_DIR/tenants.sql" >"$out/tenants-seed.log" 2>&1 \
        || { cat "$out/tenants-seed.log" >&2; echo "seeding the tenants failed (bench/tenants.sql)" >&2; return 1; }
    t1=$(date +%s.%N)
    counts=$("$@" -X -q -At -F ' ' -c "SELECT (SELECT count(*) FROM tenants), (SELECT count(*) FROM tenant_memberships),
                                         (SELECT count(*) FROM tenant_memberships m JOIN users u ON u.id = m.user_id WHERE u.username ~ '^bench-u[0-9]+\$'),
                                         (SELECT count(*) FROM tenant_invitations)") \
        || { echo "counting the seeded tenants failed" >&2; return 1; }
    read -r got_tenants got_memberships got_bench got_invitations <<<"$counts"
    if [[ "$got_tenants" != "$TENANTS" || "$got_memberships" != "$MEMBERSHIPS" ]]; then
        echo "seeding wrote $got_tenants tenants and $got_memberships memberships, not $TENANTS and $MEMBERSHIPS" >&2
        return 1
    fi
    TENANTS_SEED_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    echo "seeded $got_tenants tenants, $got_memberships memberships ($got_bench of them the bench users'), $got_invitations invitations, $TENANT_USERS synthetic users in $TENANTS_SEED_SECONDS s" \
        | tee "$out/tenants-seed.txt" >&2
}
