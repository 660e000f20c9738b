using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddSignInFlows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "id_token_signed_response_alg",
                table: "clients",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "RS256");

            migrationBuilder.AddColumn<bool>(
                name: "require_consent",
                table: "clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "authorization_codes",
                columns: table => new
                {
                    code_hash = table.Column<string>(type: "TEXT", maxLength: 43, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    redirect_uri = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    redirect_uri_was_sent = table.Column<bool>(type: "INTEGER", nullable: false),
                    code_challenge = table.Column<string>(type: "TEXT", maxLength: 43, nullable: false),
                    nonce = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    auth_time = table.Column<long>(type: "INTEGER", nullable: false),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    redeemed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    access_token_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    access_token_expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    refresh_token_family_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    replay_detected_at = table.Column<long>(type: "INTEGER", nullable: true),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_authorization_codes", x => x.code_hash);
                });

            migrationBuilder.CreateTable(
                name: "consents",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    granted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consents", x => new { x.user_id, x.client_id });
                });

            migrationBuilder.CreateTable(
                name: "refresh_token_families",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    auth_time = table.Column<long>(type: "INTEGER", nullable: false),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_used_at = table.Column<long>(type: "INTEGER", nullable: false),
                    absolute_expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    idle_lifetime_seconds = table.Column<long>(type: "INTEGER", nullable: false),
                    idle_expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revocation_reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    access_tokens = table.Column<string>(type: "TEXT", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refresh_token_families", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    handle_hash = table.Column<string>(type: "TEXT", maxLength: 43, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    authenticated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    idle_timeout_seconds = table.Column<long>(type: "INTEGER", nullable: false),
                    idle_expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 43, nullable: false),
                    family_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refresh_tokens", x => x.token_hash);
                    table.ForeignKey(
                        name: "fk_refresh_tokens_refresh_token_families_family_id",
                        column: x => x.family_id,
                        principalTable: "refresh_token_families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_authorization_codes_expires_at",
                table: "authorization_codes",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_authorization_codes_session_id",
                table: "authorization_codes",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_token_families_absolute_expires_at",
                table: "refresh_token_families",
                column: "absolute_expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_token_families_idle_expires_at",
                table: "refresh_token_families",
                column: "idle_expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_token_families_user_id_client_id",
                table: "refresh_token_families",
                columns: new[] { "user_id", "client_id" });

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_family_id_generation",
                table: "refresh_tokens",
                columns: new[] { "family_id", "generation" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_expires_at",
                table: "user_sessions",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_handle_hash",
                table: "user_sessions",
                column: "handle_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_idle_expires_at",
                table: "user_sessions",
                column: "idle_expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_user_id",
                table: "user_sessions",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "authorization_codes");

            migrationBuilder.DropTable(
                name: "consents");

            migrationBuilder.DropTable(
                name: "refresh_tokens");

            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.DropTable(
                name: "refresh_token_families");

            migrationBuilder.DropColumn(
                name: "id_token_signed_response_alg",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "require_consent",
                table: "clients");
        }
    }
}
