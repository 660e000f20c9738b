using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddSignInLinkContinuation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "first_factor_amr",
                table: "pending_sign_ins",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "continuation_device_code_hash",
                table: "email_tokens",
                type: "character varying(43)",
                maxLength: 43,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "continuation_kind",
                table: "email_tokens",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "continuation_request",
                table: "email_tokens",
                type: "character varying(16384)",
                maxLength: 16384,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_factor_amr",
                table: "pending_sign_ins");

            migrationBuilder.DropColumn(
                name: "continuation_device_code_hash",
                table: "email_tokens");

            migrationBuilder.DropColumn(
                name: "continuation_kind",
                table: "email_tokens");

            migrationBuilder.DropColumn(
                name: "continuation_request",
                table: "email_tokens");
        }
    }
}
