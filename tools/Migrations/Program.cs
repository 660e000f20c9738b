// Scaffolds one EF Core migration for each provider into src/Infrastructure/Persistence/Migrations/{Postgres,Sqlite}.
// Usage: dotnet run --project tools/Migrations -- <MigrationName>
using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 1 || string.IsNullOrWhiteSpace(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run --project tools/Migrations -- <MigrationName>");
    return 2;
}

var repoRoot = FindRepoRoot(AppContext.BaseDirectory);
var projectDir = Path.Combine(repoRoot, "src", "Infrastructure");

Scaffold(
    new PostgresAuthDbContext(new DbContextOptionsBuilder<PostgresAuthDbContext>().UseNpgsql("Host=design-time-only").Options),
    new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices(),
    "Postgres");
Scaffold(
    new SqliteAuthDbContext(new DbContextOptionsBuilder<SqliteAuthDbContext>().UseSqlite("Data Source=:memory:").Options),
    new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices(),
    "Sqlite");
return 0;

void Scaffold(DbContext context, IDesignTimeServices providerServices, string provider)
{
    var services = new ServiceCollection();
    services.AddEntityFrameworkDesignTimeServices();
    services.AddDbContextDesignTimeServices(context);
    providerServices.ConfigureDesignTimeServices(services);
    using var serviceProvider = services.BuildServiceProvider();
    var scaffolder = serviceProvider.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(args[0], "AuthService.Infrastructure", $"Persistence.Migrations.{provider}", "C#");
    var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Persistence", "Migrations", provider));
    Console.WriteLine($"{provider}: {files.MigrationFile}");
    context.Dispose();
}

static string FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "AuthService.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("AuthService.sln not found above " + start);
}
