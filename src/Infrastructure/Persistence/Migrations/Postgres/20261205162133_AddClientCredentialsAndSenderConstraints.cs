using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddClientCredentialsAndSenderConstraints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "bound_certificate_thumbprint",
                table: "refresh_token_families",
                type: "character varying(43)",
                maxLength: 43,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bound_jkt",
                table: "refresh_token_families",
                type: "character varying(43)",
                maxLength: 43,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "dpop_bound_access_tokens",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "jwks",
                table: "clients",
                type: "character varying(32768)",
                maxLength: 32768,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "jwks_uri",
                table: "clients",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "profile",
                table: "clients",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_object_signing_alg",
                table: "clients",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "require_pushed_authorization_requests",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "tls_client_auth_san_dns",
                table: "clients",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tls_client_auth_subject_dn",
                table: "clients",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "token_endpoint_auth_signing_alg",
                table: "clients",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "protected_value",
                table: "client_secrets",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dpop_jkt",
                table: "authorization_codes",
                type: "character varying(43)",
                maxLength: 43,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "used_identifiers",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_used_identifiers", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_used_identifiers_expires_at",
                table: "used_identifiers",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "used_identifiers");

            migrationBuilder.DropColumn(
                name: "bound_certificate_thumbprint",
                table: "refresh_token_families");

            migrationBuilder.DropColumn(
                name: "bound_jkt",
                table: "refresh_token_families");

            migrationBuilder.DropColumn(
                name: "dpop_bound_access_tokens",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "jwks",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "jwks_uri",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "profile",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "request_object_signing_alg",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "require_pushed_authorization_requests",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "tls_client_auth_san_dns",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "tls_client_auth_subject_dn",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "token_endpoint_auth_signing_alg",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "protected_value",
                table: "client_secrets");

            migrationBuilder.DropColumn(
                name: "dpop_jkt",
                table: "authorization_codes");
        }
    }
}
