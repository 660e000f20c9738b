using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddSecondFactors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "amr",
                table: "user_sessions",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "amr",
                table: "refresh_token_families",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "amr",
                table: "device_authorizations",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "amr",
                table: "authorization_codes",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "pending_sign_ins",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    handle_hash = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    security_stamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    client_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pending_sign_ins", x => x.id);
                    table.ForeignKey(
                        name: "fk_pending_sign_ins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "second_factor_enrolments",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protected_totp_secret = table.Column<byte[]>(type: "bytea", nullable: true),
                    key_encryption_key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    totp_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    totp_confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_accepted_time_step = table.Column<long>(type: "bigint", nullable: true),
                    backup_codes_generated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    backup_code_hashes = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_second_factor_enrolments", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_second_factor_enrolments_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pending_sign_ins_expires_at",
                table: "pending_sign_ins",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_pending_sign_ins_handle_hash",
                table: "pending_sign_ins",
                column: "handle_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pending_sign_ins_user_id",
                table: "pending_sign_ins",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_sign_ins");

            migrationBuilder.DropTable(
                name: "second_factor_enrolments");

            migrationBuilder.DropColumn(
                name: "amr",
                table: "user_sessions");

            migrationBuilder.DropColumn(
                name: "amr",
                table: "refresh_token_families");

            migrationBuilder.DropColumn(
                name: "amr",
                table: "device_authorizations");

            migrationBuilder.DropColumn(
                name: "amr",
                table: "authorization_codes");
        }
    }
}
