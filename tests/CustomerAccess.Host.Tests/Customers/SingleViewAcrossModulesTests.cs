using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Host.Tests.Waste;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>
/// The single view across every module, with the real modules only: a garden-waste subscription and a
/// bulky-waste collection are paid through Payments, Waste and Bookings hear of it through the outbox,
/// and the customer's single view and timeline show each step.
/// </summary>
public class SingleViewAcrossModulesTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<JsonNode> Get(string path) => await ApiClient.Expect(await _advisor.GetAsync(path), HttpStatusCode.OK);

    private async Task PayAsync(string customer, JsonNode due)
    {
        var requestId = due["paymentRequestId"]!.GetValue<string>();
        await Eventually.Until(async () => (await _advisor.GetAsync($"{Base}/payments/requests/{requestId}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "Payments records the payment due");
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments", new
        {
            customerId = customer, fund = due["fund"]!.GetValue<string>(), amountPence = due["amountPence"]!.GetValue<long>(), channel = "cash",
            idempotencyKey = Guid.CreateVersion7().ToString(), paymentRequestId = requestId,
        }), HttpStatusCode.Created);
    }

    [Test]
    public async Task Paid_garden_waste_and_bulky_collection_show_on_the_single_view_and_every_module_on_the_timeline()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Alma", lastName = "Cross" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        // A property of the seeded gazetteer (1..244 from the custodian base) that is on a garden round: the bulky collection needs both.
        var uprn = WasteUprns.CheltenhamMondayA + 150;

        var garden = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/garden-subscriptions", new { customerId = customer, uprn, bins = 2 }),
            HttpStatusCode.Created);
        await PayAsync(customer, garden["paymentDue"]!);

        var resource = (await Get($"{Base}/resources")).AsObject()["items"]!.AsArray().First(r => r!["type"]!.GetValue<string>() == "bulky-waste")!;
        var from = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var slot = (await Get($"{Base}/resources/{resource["id"]!.GetValue<string>()}/availability?from={from}"))["items"]!.AsArray()
            .First(s => s!["remaining"]!.GetValue<int>() > 0)!;
        // The UPRN as a JSON number, as most clients send it (it binds to the route's string field too).
        var bulky = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/bulky-collections",
            new { customerId = customer, uprn, items = new[] { "sofa", "fridge" }, slotId = slot["slotId"]!.GetValue<string>() }), HttpStatusCode.Created);
        await PayAsync(customer, bulky["paymentDue"]!);

        var collection = await Eventually.Until(async () => await Get($"{Base}/waste/bulky-collections/{bulky["id"]!.GetValue<string>()}"),
            c => c["state"]!.GetValue<string>() == "works-order-raised", TimeSpan.FromSeconds(20), "Waste raises the contractor's works order");
        Assert.That(collection["worksOrderId"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);

        var view = await Eventually.Until(async () => await Get($"{Base}/customers/{customer}"),
            v => v["subscriptions"]!.AsArray().Any(s => s!["status"]!.GetValue<string>() == "active")
                 && v["bookings"]!.AsArray().Any(b => b!["status"]!.GetValue<string>() == "confirmed"),
            TimeSpan.FromSeconds(20), "the single view shows the active subscription and the confirmed booking");
        Assert.Multiple(() =>
        {
            Assert.That(view["subscriptions"]!.AsArray().Single()!["id"]!.GetValue<string>(), Is.EqualTo(garden["id"]!.GetValue<string>()));
            Assert.That(view["bookings"]!.AsArray().Single()!["id"]!.GetValue<string>(), Is.EqualTo(bulky["bookingId"]!.GetValue<string>()));
            Assert.That(view["recentPayments"]!.AsArray(), Has.Count.EqualTo(2));
        });

        var modules = await Eventually.Until(async () => (await Get($"{Base}/customers/{customer}/timeline?limit=100"))["items"]!.AsArray()
                .Select(e => e!["module"]!.GetValue<string>()).ToHashSet(),
            m => m.IsSupersetOf(["customer", "payments", "waste", "bookings"]), TimeSpan.FromSeconds(20), "every module's steps reach the timeline");
        Assert.That(modules, Is.SupersetOf(new[] { "customer", "payments", "waste", "bookings" }));
    }
}
