using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddProtectedResources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "resources",
                table: "refresh_token_families",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "resources",
                table: "authorization_codes",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "protected_resources",
                columns: table => new
                {
                    resource = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    access_token_lifetime_seconds = table.Column<int>(type: "INTEGER", nullable: true),
                    access_token_signing_alg = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    allowed_clients = table.Column<string>(type: "TEXT", nullable: false),
                    introspection_clients = table.Column<string>(type: "TEXT", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_protected_resources", x => x.resource);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "protected_resources");

            migrationBuilder.DropColumn(
                name: "resources",
                table: "refresh_token_families");

            migrationBuilder.DropColumn(
                name: "resources",
                table: "authorization_codes");
        }
    }
}
