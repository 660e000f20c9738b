using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// docs/adr/0040 (the denylist in memory): every row inserted into <c>revoked_access_tokens</c> notifies the channel
    /// <c>auth_access_token_denied</c> with "&lt;expiry in unix seconds, rounded up&gt; &lt;jti&gt;", and every change of
    /// <c>users.disabled</c> and every deletion of a user notifies <c>auth_account_changed</c> with the user's id, from triggers,
    /// so every writer (this server's or an operator's SQL) notifies in its own transaction and PostgreSQL delivers it only
    /// after the commit. No model change.
    /// </summary>
    public partial class RevocationNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION auth_notify_access_token_denied() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('auth_access_token_denied', ceil(extract(epoch FROM NEW.expires_at))::bigint::text || ' ' || NEW.jti);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER revoked_access_tokens_notify AFTER INSERT ON revoked_access_tokens
                    FOR EACH ROW EXECUTE FUNCTION auth_notify_access_token_denied();
                CREATE FUNCTION auth_notify_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('auth_account_changed', OLD.id::text);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER users_notify_disabled AFTER UPDATE ON users
                    FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.id IS DISTINCT FROM NEW.id)
                    EXECUTE FUNCTION auth_notify_account_changed();
                CREATE TRIGGER users_notify_deleted AFTER DELETE ON users
                    FOR EACH ROW EXECUTE FUNCTION auth_notify_account_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER users_notify_deleted ON users;
                DROP TRIGGER users_notify_disabled ON users;
                DROP FUNCTION auth_notify_account_changed();
                DROP TRIGGER revoked_access_tokens_notify ON revoked_access_tokens;
                DROP FUNCTION auth_notify_access_token_denied();
                """);
        }
    }
}
