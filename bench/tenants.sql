-- bench/tenants.sql - tenants and memberships at scale for bench/codeflow.sh (issue 15), written straight into a
-- database the server has migrated (tables and columns of the AddTenants migration). Run with psql:
--
--   psql -v ON_ERROR_STOP=1 -v tenants=10000 -v memberships=100000 -v synthetic_users=10000 -f bench/tenants.sql
--
-- What it writes, in one transaction, reproducibly (setseed):
--   * :synthetic_users users "synthetic-u00000".. (no password: they never sign in, they only hold memberships);
--   * :tenants tenants: slug "tenant-00000".., except three per bench user ("bench-u<i>-a", "-b", "-c", spread over
--     the tenant numbers), 2 % suspended, some with a policy (require_mfa, allowed_sign_in_methods,
--     allowed_email_domains); the bench users' tenants are active with the default policy, so that a run with the
--     tenant in tokens signs in as today;
--   * :memberships memberships: each bench user ("bench-u<i>", seeded by the server) a member of its three tenants;
--     then one owner per tenant (a synthetic user); the rest drawn at random over the synthetic users with a long
--     tail (tenant n is chosen with probability ~ n^(-2/3): a few tenants with thousands of members, most with a handful),
--     one per (tenant, user), 5 % of them admins;
--   * one open invitation for every second tenant (token_hash as the server stores it: base64url SHA-256, 43 chars).
-- Roles and is_owner are stored as TenantMembership stores them: a JSON array of roles in the order owner, admin,
-- member, and is_owner true exactly when "owner" is among them. The caller checks the counts afterwards.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.15) \gset

CREATE TEMP TABLE bench_users ON COMMIT DROP AS
    SELECT id, substring(username FROM 8)::int AS i FROM users WHERE username ~ '^bench-u[0-9]+$';

-- A stride coprime to the tenant count spreads the bench users' tenants over the numbers (small numbers are the big tenants).
SELECT min(p) AS stride FROM generate_series(greatest((:tenants * 0.618)::int, 1), 2 * :tenants + 1) p WHERE gcd(p, :tenants) = 1 \gset

CREATE TEMP TABLE bench_tenants ON COMMIT DROP AS
    SELECT b.id AS user_id, ((b.i * 3 + k)::bigint * :stride) % :tenants AS n, 'bench-u' || b.i || '-' || chr(97 + k) AS slug
      FROM bench_users b CROSS JOIN generate_series(0, 2) k;

CREATE TEMP TABLE tenant_ids ON COMMIT DROP AS
    SELECT n, gen_random_uuid() AS id, coalesce(bt.slug, 'tenant-' || lpad(n::text, 5, '0')) AS slug, bt.slug IS NOT NULL AS bench
      FROM generate_series(0, :tenants - 1) n LEFT JOIN bench_tenants bt USING (n);
CREATE UNIQUE INDEX ON tenant_ids (n);

CREATE TEMP TABLE synthetic_ids ON COMMIT DROP AS
    SELECT u, gen_random_uuid() AS id FROM generate_series(0, :synthetic_users - 1) u;
CREATE UNIQUE INDEX ON synthetic_ids (u);

INSERT INTO users (id, username, normalized_username, email, normalized_email, email_verified, name, password_hash,
                   security_stamp, disabled, failed_login_count, lockout_ends_at, last_login_at, created_at, updated_at, version)
SELECT id, 'synthetic-u' || lpad(u::text, 5, '0'), upper('synthetic-u' || lpad(u::text, 5, '0')),
       'synthetic-u' || lpad(u::text, 5, '0') || '@example.test', upper('synthetic-u' || lpad(u::text, 5, '0') || '@example.test'),
       true, 'Synthetic user ' || u, NULL, md5(random()::text), false, 0, NULL, NULL, now(), now(), 1
  FROM synthetic_ids;

INSERT INTO tenants (id, slug, display_name, status, created_at, updated_at, owners_changed_at, allowed_email_domains,
                     allowed_sign_in_methods, require_mfa, version)
SELECT id, slug, 'Tenant ' || n,
       CASE WHEN NOT bench AND n % 50 = 49 THEN 2 ELSE 1 END,                                  -- TenantStatus: 1 active, 2 suspended
       now() - n * interval '1 minute', now(), now(),
       CASE WHEN NOT bench AND n % 10 = 3 THEN '["example.com"]' ELSE '[]' END,
       CASE WHEN NOT bench AND n % 25 = 4 THEN '["passkey"]' ELSE '[]' END,
       NOT bench AND n % 20 = 7,
       1
  FROM tenant_ids;

-- Candidates: the bench users' own (priority 0), one owner per tenant (1), then twice as many random draws as are needed (2);
-- one row per (tenant, user), the lowest priority kept; then exactly :memberships rows, bench and owners first.
CREATE TEMP TABLE membership_rows ON COMMIT DROP AS
WITH candidates AS (
    SELECT bt.n, bt.user_id, 0 AS priority, '["member"]' AS roles FROM bench_tenants bt
    UNION ALL
    SELECT n, s.id, 1, '["owner"]' FROM generate_series(0, :tenants - 1) n
      JOIN synthetic_ids s ON s.u = (n::bigint * 7919) % :synthetic_users
    UNION ALL
    SELECT least(floor(:tenants * power(random(), 3))::int, :tenants - 1), s.id, 2,
           CASE WHEN random() < 0.05 THEN '["admin"]' ELSE '["member"]' END
      FROM (SELECT floor(random() * :synthetic_users)::int AS u FROM generate_series(1, 2 * :memberships)) draw
      JOIN synthetic_ids s USING (u)
), distinct_pairs AS (
    SELECT DISTINCT ON (n, user_id) n, user_id, priority, roles FROM candidates ORDER BY n, user_id, priority
)
SELECT n, user_id, roles FROM distinct_pairs ORDER BY priority, random() LIMIT :memberships;

INSERT INTO tenant_memberships (id, tenant_id, user_id, created_at, updated_at, is_owner, roles, version)
SELECT gen_random_uuid(), t.id, m.user_id, now(), now(), m.roles = '["owner"]', m.roles, 1
  FROM membership_rows m JOIN tenant_ids t USING (n);

INSERT INTO tenant_invitations (id, tenant_id, email, normalized_email, token_hash, created_at, expires_at, accepted_at,
                                accepted_by, withdrawn_at, roles, version)
SELECT gen_random_uuid(), id, 'invitee-' || n || '@example.test', upper('invitee-' || n || '@example.test'),
       rtrim(translate(encode(sha256(('bench-invitation-' || n)::bytea), 'base64'), '+/', '-_'), '='),
       now(), now() + interval '7 days', NULL, NULL, NULL, '["member"]', 1
  FROM tenant_ids WHERE n % 2 = 0;

COMMIT;
-- The tables as a running database has them settled: planner statistics, the visibility map (index-only scans), and the
-- new pages written out; otherwise autovacuum and the checkpointer would do this work during the measured load, and
-- their CPU would be counted against the run with tenants.
VACUUM (ANALYZE) users, tenants, tenant_memberships, tenant_invitations;
CHECKPOINT;
