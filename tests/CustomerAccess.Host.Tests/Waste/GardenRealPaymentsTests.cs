using System.Net;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>The garden waste subscription paid through the real Payments module: cash against the payment request.</summary>
public class GardenRealPaymentsTests
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

    [Test]
    public async Task A_cash_payment_against_the_request_makes_the_subscription_active()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Real", lastName = "Payer" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var created = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/garden-subscriptions",
            new { customerId = customer, uprn = WasteUprns.CheltenhamFridayA + 150, bins = 1 }), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var requestId = created["paymentDue"]!["paymentRequestId"]!.GetValue<string>();
        var amount = created["paymentDue"]!["amountPence"]!.GetValue<long>();

        // Payments records the request when the outbox delivers it.
        await Eventually.Until(async () => (await _advisor.GetAsync($"{Base}/payments/requests/{requestId}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "Payments knows the request");
        Assert.That((await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions/{id}"), HttpStatusCode.OK))["status"]!.GetValue<string>(),
            Is.EqualTo("pending-payment"));

        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments", new
        {
            customerId = customer, fund = "garden-waste", amountPence = amount, channel = "cash", idempotencyKey = Guid.CreateVersion7().ToString(),
            paymentRequestId = requestId,
        }), HttpStatusCode.Created);
        var active = await Eventually.Until(async () => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions/{id}"), HttpStatusCode.OK),
            s => s["status"]!.GetValue<string>() == "active", TimeSpan.FromSeconds(15), "Payments' PaymentRequestPaid makes it active");
        Assert.That(active["payment"]!["receiptNumber"]!.GetValue<string>(), Is.Not.Empty);
    }
}
