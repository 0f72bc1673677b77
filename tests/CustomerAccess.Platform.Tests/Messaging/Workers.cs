using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Projections;
using CustomerAccess.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerAccess.Platform.Tests.Messaging;

/// <summary>
/// One "host" of the platform's background workers over a test database: its own service
/// provider, subscriptions and outbox dispatcher. Several can share one database.
/// </summary>
internal sealed class Workers : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _stopped;

    private Workers(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;
    public SubscriptionRunner Subscriptions => _services.GetRequiredService<SubscriptionRunner>();
    public OutboxDispatcher Dispatcher => _services.GetRequiredService<OutboxDispatcher>();
    public Platform.EventStore.EventStore Store => _services.GetRequiredService<Platform.EventStore.EventStore>();

    public static async Task<Workers> StartAsync(TestDatabase db, Action<IServiceCollection> configure, Action<MessagingOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning));
        services.AddSingleton(db.Database);
        services.AddSingleton(sp => db.CreateEventStore([typeof(Workers).Assembly], sp.GetServices<IInlineProjection>()));
        services.AddCustomerAccessMessaging([], null, o =>
        {
            o.SubscriptionBatchSize = 10;
            o.LeaseRetryInterval = TimeSpan.FromMilliseconds(200);
            o.ErrorBackoff = TimeSpan.FromMilliseconds(50);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        configure(services);
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
            await hosted.StartAsync(CancellationToken.None);
        return new Workers(provider);
    }

    /// <summary>Stops the workers the way a dying host would: in-flight transactions roll back, leases drop.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
            await hosted.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}

internal static class TestSql
{
    /// <summary>Runs DDL as the owner and lets the runtime roles use what it created.</summary>
    public static async Task ExecAsAdminAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(TestDatabase db, string sql, params object[] args)
    {
        await using var connection = await db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<long> AppendAsync(Platform.EventStore.EventStore store, string tenant, int events, string? stream = null)
    {
        await using var session = await store.OpenSessionAsync(tenant, new EventContext { Actor = "test" });
        await session.AppendAsync(stream ?? "s-" + Guid.NewGuid(), ExpectedVersion.Any,
            Enumerable.Range(0, events).Select(i => (object)new Counted(i)).ToList());
        return (await session.CommitAsync())!.Value;
    }
}

[EventType("platform-test.counted")]
public sealed record Counted(int N);
