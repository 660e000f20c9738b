using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddFederation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "external_providers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    display_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    protocol = table.Column<int>(type: "integer", nullable: false),
                    preset = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    client_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    protected_secret = table.Column<byte[]>(type: "bytea", nullable: true),
                    issuer = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    authorization_endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    token_endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    user_info_endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    claim_subject = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    claim_email = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    claim_email_verified = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    claim_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    trust_email_verified = table.Column<bool>(type: "boolean", nullable: false),
                    auto_provision = table.Column<bool>(type: "boolean", nullable: false),
                    apple_team_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    apple_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    allowed_email_domains = table.Column<string>(type: "text", nullable: false),
                    scopes = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_external_providers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "external_identities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    linked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_sign_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_external_identities", x => x.id);
                    table.ForeignKey(
                        name: "fk_external_identities_external_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "external_providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_external_identities_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_external_identities_provider_id_subject",
                table: "external_identities",
                columns: new[] { "provider_id", "subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_external_identities_user_id",
                table: "external_identities",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_external_providers_name",
                table: "external_providers",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "external_identities");

            migrationBuilder.DropTable(
                name: "external_providers");
        }
    }
}
