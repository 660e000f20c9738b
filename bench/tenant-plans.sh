#!/usr/bin/env bash
# bench/tenant-plans.sh - EXPLAIN (ANALYZE, BUFFERS) of every tenant query the server runs, on a populated PostgreSQL
# database (bench/tenants.sql; bench/codeflow.sh runs this after seeding when BENCH_TENANTS > 0), issue 15.
#
#   PGHOST=127.0.0.1 PGPORT=58500 PGUSER=postgres PGDATABASE=bench bash bench/tenant-plans.sh OUT_DIR
#
# The SQL is what EF Core sends for Infrastructure/Persistence/Repositories/TenantRepositories.cs (taken from the
# server's log with Microsoft.EntityFrameworkCore.Database.Command at Information), one PREPAREd statement per query
# with its parameters, executed once: Npgsql does not prepare EF's commands (no Max Auto Prepare), so PostgreSQL plans
# each with its actual parameter values, which is what the first EXECUTE of a prepared statement does too.
# The parameters are taken from the data: the largest tenant, a median one, a bench user, the synthetic user with the
# most memberships.
#
# Writes OUT_DIR/tenant-plans.txt (every plan) and OUT_DIR/tenant-plans-summary.md (query -> access path, rows,
# time) and prints the summary. Exit status: 0 every query is an index scan (but for a Seq Scan marked bounded, such as
# an EXISTS that stops at its first row); 3 a query read tenants, tenant_memberships
# or tenant_invitations with a Seq Scan (the plan is in the file); 1 psql failed.
set -euo pipefail
OUT="${1:?usage: bench/tenant-plans.sh OUT_DIR (connection: PGHOST, PGPORT, PGUSER, PGDATABASE)}"
PSQL="${PSQL:-psql}"
mkdir -p "$OUT"
PLANS="$OUT/tenant-plans.txt"
SUMMARY="$OUT/tenant-plans-summary.md"

q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# Parameter values from the data.
big_tenant=$(q "SELECT tenant_id FROM tenant_memberships GROUP BY tenant_id ORDER BY count(*) DESC, tenant_id LIMIT 1")
[[ -n "$big_tenant" ]] || { echo "tenant-plans: no memberships in the database; seed it first (bench/tenants.sql)" >&2; exit 1; }
median_tenant=$(q "SELECT tenant_id FROM (SELECT tenant_id, count(*) AS c FROM tenant_memberships GROUP BY tenant_id) x
                   ORDER BY c, tenant_id OFFSET (SELECT count(DISTINCT tenant_id) / 2 FROM tenant_memberships) LIMIT 1")
big_count=$(q "SELECT count(*) FROM tenant_memberships WHERE tenant_id = '$big_tenant'")
median_count=$(q "SELECT count(*) FROM tenant_memberships WHERE tenant_id = '$median_tenant'")
big_owner=$(q "SELECT coalesce((SELECT user_id FROM tenant_memberships WHERE tenant_id = '$big_tenant' AND is_owner ORDER BY user_id LIMIT 1), gen_random_uuid())")
big_member=$(q "SELECT user_id FROM tenant_memberships WHERE tenant_id = '$big_tenant' ORDER BY user_id OFFSET least(100, $big_count / 2) LIMIT 1")
big_after=$(q "SELECT user_id FROM tenant_memberships WHERE tenant_id = '$big_tenant' ORDER BY user_id OFFSET least(50, $big_count / 2) LIMIT 1")
bench_user=$(q "SELECT id FROM users WHERE username = 'bench-u0'")
busy_user=$(q "SELECT user_id FROM tenant_memberships GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1")
busy_count=$(q "SELECT count(*) FROM tenant_memberships WHERE user_id = '$busy_user'")
bench_user_tenants=$(q "SELECT string_agg(tenant_id::text, ',' ORDER BY tenant_id) FROM tenant_memberships WHERE user_id = '$bench_user'")
big_slug=$(q "SELECT slug FROM tenants WHERE id = '$big_tenant'")
middle_slug=$(q "SELECT slug FROM tenants ORDER BY slug OFFSET (SELECT count(*) / 2 FROM tenants) LIMIT 1")
token_hash=$(q "SELECT token_hash FROM tenant_invitations ORDER BY id LIMIT 1")
tenants=$(q "SELECT count(*) FROM tenants")
memberships=$(q "SELECT count(*) FROM tenant_memberships")
invitations=$(q "SELECT count(*) FROM tenant_invitations")

TENANT_COLUMNS="t.id, t.created_at, t.display_name, t.owners_changed_at, t.slug, t.status, t.updated_at, t.version, t.allowed_email_domains, t.allowed_sign_in_methods, t.require_mfa"
MEMBERSHIP_COLUMNS="t.id, t.created_at, t.is_owner, t.tenant_id, t.updated_at, t.user_id, t.version, t.roles"
INVITATION_COLUMNS="t.id, t.accepted_at, t.accepted_by, t.created_at, t.email, t.expires_at, t.normalized_email, t.tenant_id, t.token_hash, t.version, t.withdrawn_at, t.roles"

# NAME|WHERE IT RUNS|PARAMETER TYPES|SQL ($1..)|ARGUMENTS[|WHY A SEQ SCAN IS BOUNDED HERE]
queries=(
  "membership by (tenant, user), big tenant|TenantMembershipRepository.FindAsync: tenant admin check, member roles/removal (and the tenant claims)|uuid, uuid|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.tenant_id = \$1 AND t.user_id = \$2 LIMIT 2|'$big_tenant', '$big_member'"
  "memberships of a user (bench user, 3)|ListByUserAsync: a person's tenants (token claims, picker), user deletion|uuid|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.user_id = \$1|'$bench_user'"
  "memberships of a user (busiest, $busy_count)|ListByUserAsync, the synthetic user with the most memberships|uuid|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.user_id = \$1|'$busy_user'"
  "tenants by ids (a user's tenants)|TenantRepository.FindManyAsync (with ListByUserAsync)|uuid[]|SELECT $TENANT_COLUMNS FROM tenants AS t WHERE t.id = ANY (\$1)|'{$bench_user_tenants}'"
  "tenant by id|TenantRepository.FindAsync: every /admin/tenants/{id} route|uuid|SELECT $TENANT_COLUMNS FROM tenants AS t WHERE t.id = \$1 LIMIT 2|'$big_tenant'"
  "tenant by slug|TenantRepository.FindBySlugAsync: creation (slug taken), the tenant parameter|text|SELECT $TENANT_COLUMNS FROM tenants AS t WHERE t.slug = \$1 LIMIT 2|'$big_slug'"
  "members page 1, big tenant ($big_count members)|ListByTenantAsync, first page (limit 50 + 1)|uuid, integer|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.tenant_id = \$1 ORDER BY t.user_id LIMIT \$2|'$big_tenant', 51"
  "members page 2, big tenant|ListByTenantAsync, next page (keyset on user_id)|uuid, uuid, integer|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.tenant_id = \$1 AND t.user_id > \$2 ORDER BY t.user_id LIMIT \$3|'$big_tenant', '$big_after', 51"
  "members page 1, median tenant ($median_count members)|ListByTenantAsync, a typical tenant|uuid, integer|SELECT $MEMBERSHIP_COLUMNS FROM tenant_memberships AS t WHERE t.tenant_id = \$1 ORDER BY t.user_id LIMIT \$2|'$median_tenant', 51"
  "owner count, big tenant|CountOtherOwnersAsync: role change, member removal|uuid, uuid|SELECT count(*)::int FROM tenant_memberships AS t WHERE t.tenant_id = \$1 AND t.is_owner AND t.user_id <> \$2|'$big_tenant', '$big_owner'"
  "any member, tenant without members|AnyForTenantAsync: DELETE /admin/tenants/{id} (deleted only when empty)|uuid|SELECT EXISTS (SELECT 1 FROM tenant_memberships AS t WHERE t.tenant_id = \$1)|'$(q "SELECT gen_random_uuid()")'"
  "any member, median tenant|AnyForTenantAsync (refused: it has members)|uuid|SELECT EXISTS (SELECT 1 FROM tenant_memberships AS t WHERE t.tenant_id = \$1)|'$median_tenant'"
  "any member, big tenant|AnyForTenantAsync (refused: it has members)|uuid|SELECT EXISTS (SELECT 1 FROM tenant_memberships AS t WHERE t.tenant_id = \$1)|'$big_tenant'|EXISTS stops at the first matching row"
  "tenant list, first page|TenantRepository.ListAsync: GET /admin/tenants|integer|SELECT $TENANT_COLUMNS FROM tenants AS t ORDER BY t.slug LIMIT \$1|51"
  "tenant list, keyset page in the middle|ListAsync with a cursor (after a slug)|text, integer|SELECT $TENANT_COLUMNS FROM tenants AS t WHERE t.slug > \$1 ORDER BY t.slug LIMIT \$2|'$middle_slug', 51"
  "tenant list, slug_prefix and status|ListAsync with slug_prefix=tenant-01 and status=suspended (StartsWith: LIKE with the escaped prefix and %)|text, integer, integer|SELECT $TENANT_COLUMNS FROM tenants AS t WHERE t.slug LIKE \$1 AND t.status = \$2 ORDER BY t.slug LIMIT \$3|'tenant-01%', 2, 51"
  "invitation by token hash|TenantInvitationRepository.FindByTokenHashAsync: the invitation page|text|SELECT $INVITATION_COLUMNS FROM tenant_invitations AS t WHERE t.token_hash = \$1 LIMIT 2|'$token_hash'"
  "invitations page of a tenant|TenantInvitationRepository.ListByTenantAsync|uuid, integer|SELECT $INVITATION_COLUMNS FROM tenant_invitations AS t WHERE t.tenant_id = \$1 ORDER BY t.id LIMIT \$2|'$big_tenant', 51"
)

{
  echo "# EXPLAIN (ANALYZE, BUFFERS) of the tenant queries, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# PostgreSQL $(q 'SHOW server_version'), collation $(q "SELECT datcollate FROM pg_database WHERE datname = current_database()")"
  echo "# $tenants tenants, $memberships memberships, $invitations invitations"
} >"$PLANS"
{
  echo "$tenants tenants, $memberships memberships, $invitations invitations; PostgreSQL $(q 'SHOW server_version' | awk '{ print $1 }')."
  echo
  echo "| Query | Where the server runs it | Access path | Rows | Buffers | Time (ms) |"
  echo "|---|---|---|---:|---:|---:|"
} >"$SUMMARY"

seq_scans=0
i=0
for entry in "${queries[@]}"; do
  seq_ok=""
  IFS='|' read -r name where types sql args seq_ok <<<"$entry"
  i=$((i + 1))
  plan=$("$PSQL" -X -q -At -v ON_ERROR_STOP=1 <<SQL
PREPARE q$i($types) AS $sql;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q$i($args);
SQL
  ) || { echo "tenant-plans: psql failed on: $name" >&2; exit 1; }
  {
    echo
    echo "## $i. $name ($where)"
    echo "$sql"
    echo "-- parameters: $args"
    echo "$plan"
  } >>"$PLANS"
  # The access path: every scan node with its relation and index, in plan order.
  # "Index Scan using IX on T" -> "Index Scan using IX"; "Bitmap Index Scan on IX" stays; "Seq Scan on T" stays.
  path=$(grep -oE '(Index Only Scan|Index Scan Backward|Index Scan|Bitmap Index Scan|Seq Scan)( using [a-z0-9_]+)?( on [a-z0-9_]+)?' <<<"$plan" \
           | sed -E 's/( using [a-z0-9_]+) on [a-z0-9_]+$/\1/' | paste -sd ';' | sed 's/;/; /g')
  rows=$(grep -m1 -oE 'actual time=[0-9.]+\.\.[0-9.]+ rows=[0-9]+' <<<"$plan" | sed -E 's/.*rows=//')
  buffers=$(grep -m1 -oE 'Buffers: shared [a-z=0-9 ]+' <<<"$plan" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
  time_ms=$(grep -oE 'Execution Time: [0-9.]+' <<<"$plan" | awk '{ print $3 }')
  if grep -qE 'Seq Scan on (tenants|tenant_memberships|tenant_invitations)' <<<"$plan"; then
    if [[ -n "$seq_ok" ]]; then
      path="$path (bounded: $seq_ok)"
    else
      seq_scans=$((seq_scans + 1))
      path="**$path**"
      echo "tenant-plans: Seq Scan in: $name" >&2
    fi
  fi
  echo "| $name | $where | $path | $rows | $buffers | $time_ms |" >>"$SUMMARY"
done

if (( seq_scans > 0 )); then
  printf '\n%s of %s queries read a tenant table with a Seq Scan: see %s.\n' "$seq_scans" "$i" "$PLANS" >>"$SUMMARY"
else
  printf '\nNo Seq Scan on tenants, tenant_memberships or tenant_invitations in %s queries, but for those marked bounded.\n' "$i" >>"$SUMMARY"
fi
cat "$SUMMARY"
(( seq_scans == 0 )) || exit 3
