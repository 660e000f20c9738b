using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddTokenExchangePolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "token_exchange_audiences",
                table: "clients",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "token_exchange_impersonation",
                table: "clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "token_exchange_subject_clients",
                table: "clients",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "token_exchange_subject_issuers",
                table: "clients",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "token_exchange_audiences",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "token_exchange_impersonation",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "token_exchange_subject_clients",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "token_exchange_subject_issuers",
                table: "clients");
        }
    }
}
