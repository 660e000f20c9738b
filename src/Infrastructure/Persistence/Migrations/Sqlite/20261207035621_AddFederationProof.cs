using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddFederationProof : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "external_sign_in_id",
                table: "passkey_ceremonies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "proves_sign_in_id",
                table: "external_sign_ins",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_passkey_ceremonies_external_sign_in_id",
                table: "passkey_ceremonies",
                column: "external_sign_in_id");

            migrationBuilder.CreateIndex(
                name: "ix_external_sign_ins_proves_sign_in_id",
                table: "external_sign_ins",
                column: "proves_sign_in_id");

            migrationBuilder.AddForeignKey(
                name: "fk_external_sign_ins_external_sign_ins_proves_sign_in_id",
                table: "external_sign_ins",
                column: "proves_sign_in_id",
                principalTable: "external_sign_ins",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_passkey_ceremonies_external_sign_ins_external_sign_in_id",
                table: "passkey_ceremonies",
                column: "external_sign_in_id",
                principalTable: "external_sign_ins",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_external_sign_ins_external_sign_ins_proves_sign_in_id",
                table: "external_sign_ins");

            migrationBuilder.DropForeignKey(
                name: "fk_passkey_ceremonies_external_sign_ins_external_sign_in_id",
                table: "passkey_ceremonies");

            migrationBuilder.DropIndex(
                name: "ix_passkey_ceremonies_external_sign_in_id",
                table: "passkey_ceremonies");

            migrationBuilder.DropIndex(
                name: "ix_external_sign_ins_proves_sign_in_id",
                table: "external_sign_ins");

            migrationBuilder.DropColumn(
                name: "external_sign_in_id",
                table: "passkey_ceremonies");

            migrationBuilder.DropColumn(
                name: "proves_sign_in_id",
                table: "external_sign_ins");
        }
    }
}
