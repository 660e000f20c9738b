using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OnePendingSigningKeyPerAlgorithm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ux_signing_keys_one_pending_per_algorithm",
                table: "signing_keys",
                column: "algorithm",
                unique: true,
                filter: "\"state\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_signing_keys_one_pending_per_algorithm",
                table: "signing_keys");
        }
    }
}
