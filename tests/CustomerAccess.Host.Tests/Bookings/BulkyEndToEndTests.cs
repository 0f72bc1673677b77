using System.Net;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;
using static CustomerAccess.Host.Tests.Bookings.BookingTests;
using static CustomerAccess.Host.Tests.Bookings.BulkyCollectionTests;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>
/// The bulky-waste journey with the real Payments module: the advisor pays the payment due that the
/// booking asked for (POST /payments with its paymentRequestId) and the collection is confirmed.
/// Waste is still played by the fake inbox (it answers RaiseBulkyWorksOrder with an order id).
/// </summary>
public class BulkyEndToEndTests
{
    private BookingsHostFixture _host = null!;
    private ApiClient _advisor = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BookingsHostFixture.StartAsync();
        _advisor = _host.As("advisor", "advisor", SeedCouncils.All.ToArray());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PayAsync(string customer, System.Text.Json.Nodes.JsonNode due) =>
        await _advisor.PostAsync($"{Base}/payments", new
        {
            customerId = customer, fund = due["fund"]!.GetValue<string>(), amountPence = due["amountPence"]!.GetValue<long>(), channel = "cash",
            paymentRequestId = due["paymentRequestId"]!.GetValue<string>(), idempotencyKey = Guid.NewGuid().ToString(),
        });

    private Task WaitForRequestAsync(System.Text.Json.Nodes.JsonNode due) =>
        Eventually.Until(async () => (await _advisor.GetAsync($"{Base}/payments/requests/{due["paymentRequestId"]!.GetValue<string>()}")).StatusCode == HttpStatusCode.OK,
            because: "Payments records the payment due");

    [Test]
    public async Task Paying_the_payment_due_confirms_the_collection_and_raises_the_works_order()
    {
        var customer = await RegisterAsync(_advisor);
        var slot = (await FirstSlotAsync(_advisor, "bulky-waste"))["slotId"]!.GetValue<string>();
        var booked = await BookAsync(_advisor, customer, slot, "sofa");
        var id = booked["id"]!.GetValue<string>();
        var due = booked["paymentDue"]!;
        await WaitForRequestAsync(due);

        var paid = await ApiClient.Expect(await PayAsync(customer, due), HttpStatusCode.Created);
        Assert.That(paid["receiptNumber"]!.GetValue<string>(), Is.Not.Empty);
        await StateAsync(_advisor, id, "works-order-raised");
        Assert.That((await GetAsync(_advisor, $"{Base}/bookings/{booked["bookingId"]!.GetValue<string>()}"))["status"]!.GetValue<string>(),
            Is.EqualTo("confirmed"));
        Assert.That(Sent.WorksOrderCancellations.ContainsKey(id), Is.False);

        // Cancelled after the works order was raised: Waste is told to call the order off.
        await ApiClient.Expect(await _advisor.Http.DeleteAsync($"{Base}/bookings/{booked["bookingId"]!.GetValue<string>()}"), HttpStatusCode.OK);
        await Eventually.Until(() => Task.FromResult(Sent.WorksOrderCancellations.TryGetValue(id, out var c) && c.BookingId == booked["bookingId"]!.GetValue<string>()),
            because: "Bookings asks Waste to cancel the works order");
    }

    [Test]
    public async Task A_cancelled_collection_can_no_longer_be_paid()
    {
        var customer = await RegisterAsync(_advisor);
        var slot = (await FirstSlotAsync(_advisor, "bulky-waste"))["slotId"]!.GetValue<string>();
        var booked = await BookAsync(_advisor, customer, slot, "mattress");
        var due = booked["paymentDue"]!;
        await WaitForRequestAsync(due);

        await ApiClient.Expect(await _advisor.Http.DeleteAsync($"{Base}/bookings/{booked["bookingId"]!.GetValue<string>()}"), HttpStatusCode.OK);
        Assert.That((await GetAsync(_advisor, $"{Base}/waste/bulky-collections/{booked["id"]!.GetValue<string>()}"))["state"]!.GetValue<string>(),
            Is.EqualTo("cancelled"));
        Assert.That(Sent.WorksOrderCancellations.ContainsKey(booked["id"]!.GetValue<string>()), Is.False, "no works order was ever asked for");
        await Eventually.Until(async () => (await PayAsync(customer, due)).StatusCode == HttpStatusCode.Conflict,
            because: "Payments refuses a withdrawn request");
    }
}
