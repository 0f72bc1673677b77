using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>What the other modules were sent by Bookings, as the test handlers saw it (every host of the run).</summary>
public static class Sent
{
    public static ConcurrentDictionary<Guid, PaymentRequested> PaymentRequests { get; } = new();
    public static ConcurrentDictionary<Guid, PaymentRequestWithdrawn> Withdrawals { get; } = new();
    public static ConcurrentDictionary<Guid, RefundPaymentRequest> Refunds { get; } = new();
    public static ConcurrentDictionary<string, RaiseBulkyWorksOrder> WorksOrders { get; } = new();
    public static ConcurrentDictionary<string, CancelBulkyWorksOrder> WorksOrderCancellations { get; } = new();
}

/// <summary>Stands in for Payments' inbox: records what it is asked.</summary>
public sealed class FakePaymentsInbox : IMessageHandler<PaymentRequested>, IMessageHandler<PaymentRequestWithdrawn>, IMessageHandler<RefundPaymentRequest>
{
    public Task HandleAsync(PaymentRequested message, MessageContext context, CancellationToken ct)
    {
        Sent.PaymentRequests[message.PaymentRequestId] = message;
        return Task.CompletedTask;
    }

    public Task HandleAsync(PaymentRequestWithdrawn message, MessageContext context, CancellationToken ct)
    {
        Sent.Withdrawals[message.PaymentRequestId] = message;
        return Task.CompletedTask;
    }

    public Task HandleAsync(RefundPaymentRequest message, MessageContext context, CancellationToken ct)
    {
        Sent.Refunds[message.PaymentRequestId] = message;
        return Task.CompletedTask;
    }
}

/// <summary>Stands in for Waste: raises a works order for each bulky collection and answers with its id.</summary>
public sealed class FakeWasteInbox : IMessageHandler<RaiseBulkyWorksOrder>, IMessageHandler<CancelBulkyWorksOrder>
{
    public Task HandleAsync(CancelBulkyWorksOrder message, MessageContext context, CancellationToken ct)
    {
        Sent.WorksOrderCancellations[message.BulkyCollectionId] = message;
        return Task.CompletedTask;
    }

    public async Task HandleAsync(RaiseBulkyWorksOrder message, MessageContext context, CancellationToken ct)
    {
        Sent.WorksOrders[message.BulkyCollectionId] = message;
        await context.Session.SendAsync(new BulkyWorksOrderRaised(message.BulkyCollectionId, message.BookingId, "WO-" + message.BulkyCollectionId[^6..]), ct);
    }
}

/// <summary>
/// The real host over a test database it may share with other hosts (crash-resume): test sign-in
/// (X-Test-User), fast messaging retries, and the fake Payments and Waste inboxes.
/// </summary>
public sealed class BookingsHostFixture : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;

    private BookingsHostFixture(TestDatabase db, Dictionary<string, string?> settings, bool ownsDatabase)
    {
        Database = db;
        _settings = settings;
        _ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    public static async Task<BookingsHostFixture> StartAsync(Dictionary<string, string?>? overrides = null, TestDatabase? shared = null)
    {
        var db = shared ?? await TestDatabase.CreateAsync();
        var settings = HostSettings.For(db);
        settings["CustomerAccess:Messaging:RetryBaseDelay"] = "00:00:00.050";
        settings["CustomerAccess:Messaging:LeaseRetryInterval"] = "00:00:00.200";
        foreach (var (k, v) in overrides ?? []) settings[k] = v;
        var fixture = new BookingsHostFixture(db, settings, ownsDatabase: shared is null);
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
            services.AddMessageHandler<PaymentRequested, FakePaymentsInbox>();
            services.AddMessageHandler<PaymentRequestWithdrawn, FakePaymentsInbox>();
            services.AddMessageHandler<RefundPaymentRequest, FakePaymentsInbox>();
            services.AddMessageHandler<RaiseBulkyWorksOrder, FakeWasteInbox>();
            services.AddMessageHandler<CancelBulkyWorksOrder, FakeWasteInbox>();
        });
    }

    public ApiClient As(string name, string role, params string[] councils)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return new ApiClient(http, name);
    }

    /// <summary>Plays Payments: sends its answer through the outbox like the real module does.</summary>
    public async Task SendAsync(object message, string council = SeedCouncils.Cheltenham)
    {
        var store = Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync(council, EventContext.System("test-payments"));
        await session.SendAsync(message);
        await session.CommitAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}

/// <summary>What the booking tests share: customers, resources of their own, reads.</summary>
internal static class BookingTests
{
    public const string Base = "/api/councils/cheltenham";

    public static async Task<string> RegisterAsync(ApiClient client, string council = SeedCouncils.Cheltenham)
    {
        var body = await ApiClient.Expect(await client.PostAsync($"/api/councils/{council}/customers",
            new { firstName = "Bea", lastName = "Booker", email = $"bea.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    /// <summary>A resource only this test books (so its counts are its own), added as the schema owner.</summary>
    public static async Task<string> ResourceAsync(TestDatabase db, string type, long pricePence, int capacity, int[]? weekdays = null,
        string[]? starts = null, int? slotMinutes = 60, string council = SeedCouncils.Cheltenham)
    {
        var id = $"test-{type}-{Guid.NewGuid():N}"[..24];
        await using var admin = await db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("""
            insert into bookings.resources (tenant_id, id, type, name, price_pence, capacity, weekdays, starts, slot_minutes)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, admin);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(type);
        cmd.Parameters.AddWithValue(type == "bulky-waste" ? "Bulky waste collection" : "Test hall");
        cmd.Parameters.AddWithValue(pricePence);
        cmd.Parameters.AddWithValue(capacity);
        cmd.Parameters.AddWithValue(weekdays ?? [1, 2, 3, 4, 5, 6, 7]);
        cmd.Parameters.AddWithValue(starts ?? ["10:00", "11:00"]);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)slotMinutes ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    public static async Task<JsonNode> GetAsync(ApiClient client, string url) => await ApiClient.Expect(await client.GetAsync(url), HttpStatusCode.OK);

    /// <summary>The first bookable slot of a resource (from tomorrow).</summary>
    public static async Task<JsonNode> FirstSlotAsync(ApiClient client, string resourceId)
    {
        var from = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var availability = await GetAsync(client, $"{Base}/resources/{resourceId}/availability?from={from}");
        return availability["items"]!.AsArray()[0]!;
    }

    public static async Task<int> RemainingAsync(ApiClient client, string slotId)
    {
        var resource = slotId[..slotId.LastIndexOf(':')];
        var date = slotId[(slotId.LastIndexOf(':') + 1)..];
        var day = $"{date[..4]}-{date[4..6]}-{date[6..8]}";
        var availability = await GetAsync(client, $"{Base}/resources/{resource}/availability?from={day}&to={day}");
        return availability["items"]!.AsArray().Single(i => i!["slotId"]!.GetValue<string>() == slotId)!["remaining"]!.GetValue<int>();
    }

    /// <summary>The customer's bookings timeline entries, rebuilt from the events (asAt now), oldest first.</summary>
    public static async Task<List<string>> TimelineAsync(ApiClient client, string customerId)
    {
        var asAt = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"));
        var timeline = await GetAsync(client, $"{Base}/customers/{customerId}/timeline?asAt={asAt}&order=asc");
        return timeline["items"]!.AsArray().Where(i => i!["module"]!.GetValue<string>() == "bookings")
            .Select(i => i!["summary"]!.GetValue<string>()).ToList();
    }
}
