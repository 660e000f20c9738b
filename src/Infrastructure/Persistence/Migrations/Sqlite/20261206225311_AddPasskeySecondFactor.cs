using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPasskeySecondFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "pending_sign_in_id",
                table: "passkey_ceremonies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_passkey_ceremonies_pending_sign_in_id",
                table: "passkey_ceremonies",
                column: "pending_sign_in_id");

            migrationBuilder.AddForeignKey(
                name: "fk_passkey_ceremonies_pending_sign_ins_pending_sign_in_id",
                table: "passkey_ceremonies",
                column: "pending_sign_in_id",
                principalTable: "pending_sign_ins",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_passkey_ceremonies_pending_sign_ins_pending_sign_in_id",
                table: "passkey_ceremonies");

            migrationBuilder.DropIndex(
                name: "ix_passkey_ceremonies_pending_sign_in_id",
                table: "passkey_ceremonies");

            migrationBuilder.DropColumn(
                name: "pending_sign_in_id",
                table: "passkey_ceremonies");
        }
    }
}
