using CustomerAccess.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace CustomerAccess.Host.Tests;

/// <summary>The real host, in process, over its own fresh database in the test cluster.</summary>
public sealed class HostFixture : WebApplicationFactory<Program>
{
    private readonly TestDatabase _db;
    private readonly Dictionary<string, string?> _overrides;

    private readonly bool _testAuth;

    private HostFixture(TestDatabase db, Dictionary<string, string?> overrides, bool testAuth)
    {
        _db = db;
        _overrides = overrides;
        _testAuth = testAuth;
    }

    public TestDatabase Database => _db;

    /// <param name="testAuth">sign requests in with the X-Test-User header (TestAuthHandler) instead of tokens</param>
    public static async Task<HostFixture> StartAsync(Dictionary<string, string?>? overrides = null, string environment = "Development", bool testAuth = false)
    {
        var db = await TestDatabase.CreateAsync();
        var settings = HostSettings.For(db);
        foreach (var (k, v) in overrides ?? []) settings[k] = v;
        settings["environment"] = environment;
        var fixture = new HostFixture(db, settings, testAuth);
        _ = fixture.Server; // starts the host now, so migrations and seeding happen before the first test
        return fixture;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_overrides.GetValueOrDefault("environment") ?? "Development");
        foreach (var (k, v) in _overrides) builder.UseSetting(k, v);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_overrides));
        if (_testAuth) builder.ConfigureTestServices(TestAuthHandler.AddTo);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}
