using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>
/// The single view lists bookings and subscriptions from the contract facts any module's events
/// declare. Test events stand in for Bookings' and Waste's own, so this proves the Customer side alone.
/// </summary>
public class SingleViewBookingsTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [EventType("test.booking-changed")]
    public sealed record TestBookingChanged(string BookingId, string Status, DateTimeOffset Start) : IBookingOnSingleView, ITimelineEntry
    {
        BookingChange IBookingOnSingleView.BookingChange =>
            new(BookingId, "Pitch 1, Pittville Park", "pitch", Start, Start.AddHours(2), Status);
        string ITimelineEntry.TimelineModule => TimelineModules.Bookings;
        string ITimelineEntry.TimelineSummary => "Pitch booking " + Status;
    }

    [EventType("test.subscription-changed")]
    public sealed record TestSubscriptionChanged(string SubscriptionId, string Status) : ISubscriptionOnSingleView
    {
        SubscriptionChange ISubscriptionOnSingleView.SubscriptionChange =>
            new(SubscriptionId, "garden-waste", "2027", 2, Status, new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31));
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham");
        var store = _host.Services.GetRequiredService<EventStore>();
        store.Registry.Register(typeof(TestBookingChanged));
        store.Registry.Register(typeof(TestSubscriptionChanged));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<long> Append(string customer, string stream, object e)
    {
        var store = _host.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync("cheltenham", new EventContext { Actor = "test" });
        await session.AppendAsync(stream, ExpectedVersion.Any, [e], customer);
        return await session.CommitAsync() ?? throw new InvalidOperationException("nothing committed");
    }

    private async Task<JsonNode> View(string id, long position)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{id}");
        request.Headers.Add("X-Min-Position", position.ToString(CultureInfo.InvariantCulture));
        return await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
    }

    [Test]
    public async Task A_booking_shows_until_it_is_cancelled_and_a_subscription_shows_its_status()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Bo", lastName = "Oking" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        var start = DateTimeOffset.UtcNow.AddDays(3);
        var booking = "bk-" + Guid.NewGuid();
        var sub = "gw-" + Guid.NewGuid();

        await Append(customer, "test-" + booking, new TestBookingChanged(booking, "held", start));
        var position = await Append(customer, "test-" + sub, new TestSubscriptionChanged(sub, "active"));
        var view = await View(customer, position);
        var listed = view["bookings"]!.AsArray().Single()!;
        var subscription = view["subscriptions"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(listed["id"]!.GetValue<string>(), Is.EqualTo(booking));
            Assert.That(listed["resourceName"]!.GetValue<string>(), Is.EqualTo("Pitch 1, Pittville Park"));
            Assert.That(listed["status"]!.GetValue<string>(), Is.EqualTo("held"));
            Assert.That(subscription["id"]!.GetValue<string>(), Is.EqualTo(sub));
            Assert.That(subscription["status"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(subscription["bins"]!.GetValue<int>(), Is.EqualTo(2));
        });

        position = await Append(customer, "test-" + booking, new TestBookingChanged(booking, "cancelled", start));
        view = await View(customer, position);
        Assert.That(view["bookings"]!.AsArray(), Is.Empty, "a cancelled booking leaves the single view");
        Assert.That(view["subscriptions"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
