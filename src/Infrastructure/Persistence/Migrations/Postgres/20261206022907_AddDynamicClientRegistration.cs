using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddDynamicClientRegistration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_used_at",
                table: "clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "registration_access_token_hash",
                table: "clients",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "registration_source",
                table: "clients",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "initial_access_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    max_uses = table.Column<int>(type: "integer", nullable: true),
                    uses = table.Column<int>(type: "integer", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_initial_access_tokens", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_clients_registration_source_last_used_at",
                table: "clients",
                columns: new[] { "registration_source", "last_used_at" });

            migrationBuilder.CreateIndex(
                name: "ix_initial_access_tokens_token_hash",
                table: "initial_access_tokens",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "initial_access_tokens");

            migrationBuilder.DropIndex(
                name: "ix_clients_registration_source_last_used_at",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "last_used_at",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "registration_access_token_hash",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "registration_source",
                table: "clients");
        }
    }
}
