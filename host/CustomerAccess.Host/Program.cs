using CustomerAccess.Host;

var app = await HostComposition.BuildAsync(args);
await app.RunAsync();

/// <summary>Lets the in-process test host (WebApplicationFactory) find the entry point.</summary>
public partial class Program;
