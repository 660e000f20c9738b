using System.Diagnostics;
using System.Globalization;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Security;

// The cost of one verification of the server's password hash, with the server's own hasher and parameters
// (Argon2idPasswordHasher, docs/adr/0017), on this machine: the yardstick of a sign-in's cost (issue 16: a password
// sign-in within 10 % of the hash itself). One verification at a time, after a warm-up; the process's CPU time over all
// of them divided by their number (the garbage collector's threads included, as the server's CPU figure includes them;
// /proc counts in 10 ms ticks, so only the total is exact enough), and the wall time of each.
//
//   dotnet run -c Release --project bench/PasswordHash            # 40 verifications
//   dotnet run -c Release --project bench/PasswordHash -- 100
//   dotnet run -c Release --project bench/PasswordHash -- 40 4     # 4 at once (the server's password-check slots on 2 cores)
//
// Prints a Markdown line and a machine-readable HASH_RESULT line (bench/reads.sh parses it).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var parallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
IPasswordHasher hasher = new Argon2idPasswordHasher();
const string password = "bench-password-0";
var stored = hasher.Hash(password);
for (var i = 0; i < 3; i++)
{
    Require(hasher.Verify(stored, password) == PasswordVerification.Success);
}

var process = Process.GetCurrentProcess();
var wall = new double[count];
process.Refresh();
var cpu0 = process.TotalProcessorTime;
var next = -1;
var workers = Enumerable.Range(0, parallel).Select(_ => new Thread(() =>
{
    for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
    {
        var started = Stopwatch.GetTimestamp();
        Require(hasher.Verify(stored, password) == PasswordVerification.Success);
        wall[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
})).ToList();
workers.ForEach(w => w.Start());
workers.ForEach(w => w.Join());

process.Refresh();
var cpuPerVerification = (process.TotalProcessorTime - cpu0).TotalMilliseconds / count;
Array.Sort(wall);
var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Argon2id m={Argon2idPasswordHasher.MemoryKiB} KiB, t={Argon2idPasswordHasher.Iterations}, p={Argon2idPasswordHasher.Parallelism}: " +
    $"{count} verifications, {parallel} at a time, CPU {cpuPerVerification:F1} ms per verification; wall ms median {wall[count / 2]:F1}, min {wall[0]:F1}; " +
    $"{Environment.ProcessorCount} cores, load average {load}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"HASH_RESULT count={count} parallel={parallel} cpu_ms={cpuPerVerification:F2} wall_median_ms={wall[count / 2]:F2} wall_min_ms={wall[0]:F2}"));

static void Require(bool condition)
{
    if (!condition)
    {
        throw new InvalidOperationException("the server's hasher refused its own hash");
    }
}
