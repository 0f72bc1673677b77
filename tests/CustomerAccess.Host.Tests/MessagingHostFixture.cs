using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAccess.Host.Tests;

[MessageType("host-test.ping")]
public sealed record HostPing(string Note);

[EventType("host-test.ping-sent")]
public sealed record HostPingSent(string Note);

/// <summary>Records each delivery with the trace it ran under.</summary>
public sealed class HostPingHandler : IMessageHandler<HostPing>
{
    public static ConcurrentDictionary<Guid, (ActivityTraceId? TraceId, string? SessionTraceParent)> Delivered { get; } = new();

    public Task HandleAsync(HostPing message, MessageContext context, CancellationToken ct)
    {
        Delivered[context.MessageId] = (Activity.Current?.TraceId, context.Session.Context.TraceParent);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The real host over its own database, plus what the messaging tests need: a test-only
/// authentication scheme (TestAuthHandler's X-Test-User header), a handler for <see cref="HostPing"/>, fast retry
/// settings, and POST /test/send-ping, which appends an event and sends a message in one session.
/// </summary>
public sealed class MessagingHostFixture : WebApplicationFactory<Program>
{
    private readonly TestDatabase _db;
    private readonly Dictionary<string, string?> _settings;

    private MessagingHostFixture(TestDatabase db, Dictionary<string, string?> settings)
    {
        _db = db;
        _settings = settings;
    }

    public TestDatabase Database => _db;

    public static async Task<MessagingHostFixture> StartAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var settings = HostSettings.For(db);
        settings["CustomerAccess:Messaging:RetryBaseDelay"] = "00:00:00.050";
        settings["CustomerAccess:Messaging:LeaseRetryInterval"] = "00:00:00.200";
        var fixture = new MessagingHostFixture(db, settings);
        _ = fixture.Server;
        return fixture;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            TestAuthHandler.AddTo(services);
            services.AddMessageHandler<HostPing, HostPingHandler>();
            services.AddSingleton<IStartupFilter, SendPingEndpoint>();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    private sealed class SendPingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (!(HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/test/send-ping"))
                {
                    await nextMiddleware(context);
                    return;
                }
                var store = context.RequestServices.GetRequiredService<EventStore>();
                store.Registry.Register(typeof(HostPingSent));
                await using var session = await store.OpenSessionAsync("cheltenham", new EventContext { Actor = "test" }.WithCurrentTrace());
                await session.AppendAsync("ping-" + Guid.NewGuid(), ExpectedVersion.NoStream, [new HostPingSent("hi")]);
                var id = await session.SendAsync(new HostPing("hi"));
                EventPositionHeader.Set(context, await session.CommitAsync());
                await context.Response.WriteAsJsonAsync(new { messageId = id });
            });
            next(app);
        };
    }
}
