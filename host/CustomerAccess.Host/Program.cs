using CustomerAccess.Host;

// Command-line tools dispatch before the web app is built (e.g. gazetteer-import, see README).
if (CustomerAccess.Customer.Gazetteer.GazetteerImportCommand.Matches(args))
{
    Environment.ExitCode = await CustomerAccess.Customer.Gazetteer.GazetteerImportCommand.RunAsync(args);
    return;
}

var app = await HostComposition.BuildAsync(args);
await app.RunAsync();

/// <summary>Lets the in-process test host (WebApplicationFactory) find the entry point.</summary>
public partial class Program;
