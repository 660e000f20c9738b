using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// The <c>qrtz_*</c> tables of the previous scheduler (ADR 0011; created by that scheduler itself, never
    /// part of the model): the jobs run on Hangfire now, in schema <c>hangfire</c> (docs/adr/0015). No model change, so
    /// no target model; a database that never had them is unaffected.
    /// </summary>
    [DbContext(typeof(PostgresAuthDbContext))]
    [Migration("20261205120000_DropQrtzTables")]
    public partial class DropQrtzTables : Migration
    {
        private static readonly string[] Tables =
        [
            "qrtz_fired_triggers", "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_locks",
            "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_cron_triggers", "qrtz_blob_triggers",
            "qrtz_triggers", "qrtz_job_details", "qrtz_calendars",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"DROP TABLE IF EXISTS public.{table} CASCADE;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The previous scheduler created these tables itself on a fresh database; a release that runs it again does so.
        }
    }
}
