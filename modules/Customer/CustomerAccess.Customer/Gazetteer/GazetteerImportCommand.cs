using System.Text;
using System.Text.Json;
using CustomerAccess.Platform.Database;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>
/// <c>CustomerAccess.Host gazetteer-import --council ID [--connection CS] FILE.csv</c>: imports a
/// large LLPG extract from the command line with a progress bar, printing the same report as the
/// HTTP import. The database must already be migrated (start the host once). Connection string:
/// --connection, else ConnectionStrings__Admin / ConnectionStrings:App from the environment or
/// appsettings.json; it connects as the row-level-security role, scoped to the council.
/// </summary>
public static class GazetteerImportCommand
{
    public const string Name = "gazetteer-import";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        string? council = null, connection = null, path = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--council" when i + 1 < args.Length: council = args[++i]; break;
                case "--connection" when i + 1 < args.Length: connection = args[++i]; break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && path is null: path = a; break;
                default: return Usage($"Unexpected argument '{args[i]}'.");
            }
        }
        if (council is null || path is null) return Usage("Give --council and the CSV file.");
        if (!File.Exists(path)) return Usage($"No such file: {path}");

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var admin = connection ?? configuration.GetConnectionString("Admin");
        if (admin is null) return Usage("No database: pass --connection or set ConnectionStrings__Admin.");

        await using var database = new PlatformDatabase(admin, configuration.GetConnectionString("App"), configuration.GetConnectionString("System"));
        var importer = new GazetteerImporter(database);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var started = System.Diagnostics.Stopwatch.StartNew();
        ImportReport? report = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var reading = progress.AddTask("Reading " + Path.GetFileName(path), maxValue: Math.Max(1, file.Length));
                var saving = progress.AddTask("Saving", autoStart: false, maxValue: 4);
                using var poll = new CancellationTokenSource();
                var poller = Task.Run(async () =>
                {
                    while (!poll.IsCancellationRequested)
                    {
                        reading.Value = file.CanSeek ? file.Position : 0;
                        await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                    }
                }, CancellationToken.None);
                report = await importer.ImportAsync(council, reader, stage =>
                {
                    if (stage == "Reading") return;
                    if (!saving.IsStarted)
                    {
                        reading.Value = reading.MaxValue;
                        reading.StopTask();
                        saving.StartTask();
                    }
                    saving.Description = stage;
                    saving.Increment(1);
                }, ct).ConfigureAwait(false);
                await poll.CancelAsync().ConfigureAwait(false);
                await poller.ConfigureAwait(false);
                saving.Value = saving.MaxValue;
                saving.Description = "Done";
            }).ConfigureAwait(false);

        var r = report!;
        AnsiConsole.MarkupLine($"[bold]{r.Imported}[/] imported, [bold]{r.Updated}[/] updated, [bold]{r.Deleted}[/] deleted, " +
                               $"[bold]{r.Rejected.Count}[/] rejected in {started.Elapsed.TotalSeconds:0.0}s");
        foreach (var rejection in r.Rejected.Take(50))
            AnsiConsole.MarkupLineInterpolated($"  line {rejection.Line}: {rejection.Reason}");
        if (r.Rejected.Count > 50) AnsiConsole.MarkupLine($"  … and {r.Rejected.Count - 50} more (all are in the JSON report below)");
        Console.WriteLine(JsonSerializer.Serialize(
            new { imported = r.Imported, updated = r.Updated, deleted = r.Deleted, rejected = r.Rejected.Select(x => new { line = x.Line, reason = x.Reason }) }));
        return 0;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine($"Usage: CustomerAccess.Host {Name} --council <council-id> [--connection <connection string>] <file.csv>");
        return 2;
    }
}
