using CustomerAccess.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace CustomerAccess.Customer.Tests;

/// <summary>
/// The real host over its own fresh, seeded database, with a test-only sign-in: the header
/// <c>X-Test-User: name;role;council1,council2</c> (council "*" = every council). The host's own
/// authentication is built elsewhere; this keeps the module's HTTP tests independent of it.
/// </summary>
public sealed class CustomerHost : WebApplicationFactory<Program>
{
    private readonly TestDatabase _db;
    private readonly Dictionary<string, string?> _settings;

    private CustomerHost(TestDatabase db)
    {
        _db = db;
        _settings = HostSettings.For(db);
    }

    public TestDatabase Database => _db;

    public static async Task<CustomerHost> StartAsync()
    {
        var host = new CustomerHost(await TestDatabase.CreateAsync());
        _ = host.Server;
        return host;
    }

    public HttpClient ClientAs(string name, string role, params string[] councils)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(TestAuthHandler.AddTo);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
