using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddTenantIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_tenants_slug_pattern",
                table: "tenants",
                column: "slug")
                .Annotation("Npgsql:IndexOperators", new[] { "varchar_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_tenant_memberships_owners",
                table: "tenant_memberships",
                columns: new[] { "tenant_id", "user_id" },
                filter: "\"is_owner\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tenants_slug_pattern",
                table: "tenants");

            migrationBuilder.DropIndex(
                name: "ix_tenant_memberships_owners",
                table: "tenant_memberships");
        }
    }
}
