using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddExternalSignIns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "external_sign_ins",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    state_hash = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: false),
                    binding_hash = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: false),
                    provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                    nonce = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    code_verifier = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    purpose = table.Column<int>(type: "integer", nullable: false),
                    continuation_kind = table.Column<int>(type: "integer", nullable: true),
                    continuation_request = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: true),
                    continuation_device_code_hash = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: true),
                    link_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    link_session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    candidate_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    proof_subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    proof_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    proof_email_verified = table.Column<bool>(type: "boolean", nullable: false),
                    proof_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    proof_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    proof_attempts = table.Column<int>(type: "integer", nullable: false),
                    proven_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    proof_amr = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_external_sign_ins", x => x.id);
                    table.ForeignKey(
                        name: "fk_external_sign_ins_external_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "external_providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_external_sign_ins_expires_at",
                table: "external_sign_ins",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_external_sign_ins_provider_id",
                table: "external_sign_ins",
                column: "provider_id");

            migrationBuilder.CreateIndex(
                name: "ix_external_sign_ins_state_hash",
                table: "external_sign_ins",
                column: "state_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "external_sign_ins");
        }
    }
}
