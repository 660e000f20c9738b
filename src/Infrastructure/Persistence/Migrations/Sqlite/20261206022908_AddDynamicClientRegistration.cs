using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddDynamicClientRegistration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_used_at",
                table: "clients",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "registration_access_token_hash",
                table: "clients",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "registration_source",
                table: "clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "initial_access_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 43, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    max_uses = table.Column<int>(type: "INTEGER", nullable: true),
                    uses = table.Column<int>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
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
