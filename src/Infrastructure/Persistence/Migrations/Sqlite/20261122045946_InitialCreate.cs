using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    client_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    client_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    token_endpoint_auth_method = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    access_token_lifetime_seconds = table.Column<int>(type: "INTEGER", nullable: false),
                    audience = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    allowed_scopes = table.Column<string>(type: "TEXT", nullable: false),
                    grant_types = table.Column<string>(type: "TEXT", nullable: false),
                    post_logout_redirect_uris = table.Column<string>(type: "TEXT", nullable: false),
                    redirect_uris = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clients", x => x.client_id);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    algorithm = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    public_jwk = table.Column<string>(type: "TEXT", nullable: false),
                    protected_private_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    key_encryption_key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    activates_at = table.Column<long>(type: "INTEGER", nullable: false),
                    activated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    retired_at = table.Column<long>(type: "INTEGER", nullable: true),
                    removable_at = table.Column<long>(type: "INTEGER", nullable: true),
                    removed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signing_keys", x => x.key_id);
                });

            migrationBuilder.CreateTable(
                name: "client_secrets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    secret_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    client_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_secrets", x => x.id);
                    table.ForeignKey(
                        name: "fk_client_secrets_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "client_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_client_secrets_client_id",
                table: "client_secrets",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_signing_keys_state",
                table: "signing_keys",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ux_signing_keys_one_active_per_algorithm",
                table: "signing_keys",
                column: "algorithm",
                unique: true,
                filter: "\"state\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "client_secrets");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "clients");
        }
    }
}
