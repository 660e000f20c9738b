using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddEmailRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "revoked_at",
                table: "email_tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_emails_created_at",
                table: "outgoing_emails",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_logout_notifications_created_at",
                table: "logout_notifications",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outgoing_emails_created_at",
                table: "outgoing_emails");

            migrationBuilder.DropIndex(
                name: "ix_logout_notifications_created_at",
                table: "logout_notifications");

            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "email_tokens");
        }
    }
}
