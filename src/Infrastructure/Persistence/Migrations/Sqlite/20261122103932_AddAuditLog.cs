using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    actor_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    subject_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    source_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    details = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_actor_id_id",
                table: "audit_entries",
                columns: new[] { "actor_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_client_id_id",
                table: "audit_entries",
                columns: new[] { "client_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_event_type_id",
                table: "audit_entries",
                columns: new[] { "event_type", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_occurred_at",
                table: "audit_entries",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_subject_id_id",
                table: "audit_entries",
                columns: new[] { "subject_id", "id" });

            // Append-only: the store itself refuses to change or delete an entry (docs/adr/0013).
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
