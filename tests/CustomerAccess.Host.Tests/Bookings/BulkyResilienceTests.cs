using CustomerAccess.Contracts;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Npgsql;
using static CustomerAccess.Host.Tests.Bookings.BookingTests;
using static CustomerAccess.Host.Tests.Bookings.BulkyCollectionTests;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>Holds that run out, payments that arrive too late, and a host that dies midway.</summary>
public class BulkyResilienceTests
{
    [Test]
    public async Task A_hold_not_paid_in_time_is_released_and_a_late_payment_takes_the_place_again_if_it_is_free()
    {
        await using var host = await BookingsHostFixture.StartAsync(new()
        {
            ["Bookings:HoldMinutes"] = "0.02", // 1.2 s
            ["Bookings:SweepInterval"] = "00:00:00.200",
        });
        using var advisor = host.As("advisor", "advisor", SeedCouncils.Cheltenham);
        var customer = await RegisterAsync(advisor);
        var slot = (await FirstSlotAsync(advisor, "bulky-waste"))["slotId"]!.GetValue<string>();
        var before = await RemainingAsync(advisor, slot);
        var booked = await BookAsync(advisor, customer, slot, "wardrobe");
        var id = booked["id"]!.GetValue<string>();
        var request = booked["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>();
        // A charged pavilion booking held at the same time runs out the same way.
        var pavilionSlot = (await FirstSlotAsync(advisor, "pavilion"))["slotId"]!.GetValue<string>();
        var pavilion = await ApiClient.Expect(await advisor.PostAsync($"{Base}/bookings", new { customerId = customer, slotId = pavilionSlot }),
            System.Net.HttpStatusCode.Created);

        await StateAsync(advisor, id, "released");
        await Eventually.Until(async () => (await GetAsync(advisor, $"{Base}/bookings/{pavilion["id"]!.GetValue<string>()}"))["status"]!.GetValue<string>() == "released",
            because: "the pavilion hold runs out too");
        Assert.That(await RemainingAsync(advisor, pavilionSlot), Is.EqualTo(1));
        await Eventually.Until(() => Task.FromResult(Sent.Withdrawals.GetValueOrDefault(request)?.Reason == "expired"),
            because: "the expired request is withdrawn");
        Assert.That(await RemainingAsync(advisor, slot), Is.EqualTo(before));

        // The resident paid just as the hold ran out: there is still room that day, so it stands.
        await host.SendAsync(new PaymentRequestPaid(request, PaymentPurposes.BulkyCollection, id, "pay-late", "CHL-000100", 3500));
        await StateAsync(advisor, id, "works-order-raised");
        Assert.That(await RemainingAsync(advisor, slot), Is.EqualTo(before - 1));
        var day = Day(slot);
        var timeline = await TimelineAsync(advisor, customer);
        Assert.That(timeline.Where(t => t.StartsWith("Bulky", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"Bulky waste collection booked for {day}: awaiting payment",
            $"Bulky waste collection for {day} released: not paid in time",
            $"Bulky waste collection for {day} confirmed",
            $"Bulky waste collection for {day}: works order raised",
        }));
        var at = DateTimeOffset.Parse(pavilion["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(timeline.Where(t => t.StartsWith("Sports pavilion", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"Sports pavilion booked for {at}: awaiting payment", $"Sports pavilion booking for {at} released: not paid in time",
        }));
    }

    [Test]
    public async Task A_payment_after_the_place_has_gone_is_refunded()
    {
        await using var host = await BookingsHostFixture.StartAsync(new()
        {
            ["Bookings:HoldMinutes"] = "0.02",
            ["Bookings:SweepInterval"] = "00:00:00.200",
        });
        using var advisor = host.As("advisor", "advisor", SeedCouncils.Cheltenham);
        var customer = await RegisterAsync(advisor);
        var round = await ResourceAsync(host.Database, "bulky-waste", pricePence: 2500, capacity: 1, slotMinutes: null, starts: []);
        var slot = (await FirstSlotAsync(advisor, round))["slotId"]!.GetValue<string>();
        var booked = await BookAsync(advisor, customer, slot);
        var id = booked["id"]!.GetValue<string>();
        var request = booked["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>();
        await StateAsync(advisor, id, "released");

        // Someone else has the day's only collection by the time the money arrives.
        await using (var admin = await host.Database.OpenAdminAsync())
        await using (var cmd = new NpgsqlCommand("update bookings.slots set booked = capacity where resource_id = $1", admin))
        {
            cmd.Parameters.AddWithValue(round);
            Assert.That(await cmd.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }
        await host.SendAsync(new PaymentRequestPaid(request, PaymentPurposes.BulkyCollection, id, "pay-gone", "CHL-000101", 2500));
        await StateAsync(advisor, id, "released-refunded");
        await Eventually.Until(() => Task.FromResult(Sent.Refunds.ContainsKey(request)), because: "Payments is asked to refund");
        Assert.That(Sent.WorksOrders.ContainsKey(id), Is.False);
        Assert.That((await TimelineAsync(advisor, customer))[^1],
            Is.EqualTo($"Bulky waste collection for {Day(slot)} released: paid after the place had gone, refund requested"));
    }

    [Test]
    public async Task A_host_that_stops_after_the_reservation_leaves_a_journey_another_host_completes()
    {
        var db = await TestDatabase.CreateAsync();
        try
        {
            string id, slot;
            Guid request;
            var first = await BookingsHostFixture.StartAsync(shared: db);
            await using (first)
            {
                using var advisor = first.As("advisor", "advisor", SeedCouncils.Cheltenham);
                var customer = await RegisterAsync(advisor);
                slot = (await FirstSlotAsync(advisor, "bulky-waste"))["slotId"]!.GetValue<string>();
                var booked = await BookAsync(advisor, customer, slot, "sofa");
                id = booked["id"]!.GetValue<string>();
                request = booked["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>();
            }

            // No host is running when Payments' answer is queued: it waits in the outbox.
            var store = db.CreateEventStore();
            await using (var session = await store.OpenSessionAsync(SeedCouncils.Cheltenham, Platform.EventStore.EventContext.System("test-payments")))
            {
                await session.SendAsync(new PaymentRequestPaid(request, PaymentPurposes.BulkyCollection, id, "pay-r1", "CHL-000200", 3500));
                await session.CommitAsync();
            }
            Assert.That(await StateInDbAsync(db, id), Is.EqualTo("awaiting-payment"));

            await using var second = await BookingsHostFixture.StartAsync(shared: db);
            using var again = second.As("advisor", "advisor", SeedCouncils.Cheltenham);
            var done = await StateAsync(again, id, "works-order-raised");
            Assert.That(done["worksOrderId"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That((await GetAsync(again, $"{Base}/bookings/{done["bookingId"]!.GetValue<string>()}"))["status"]!.GetValue<string>(),
                Is.EqualTo("confirmed"));
            Assert.That(Sent.PaymentRequests.ContainsKey(request), Is.True, "the payment request went out, from one host or the other");
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static async Task<string?> StateInDbAsync(TestDatabase db, string id)
    {
        await using var admin = await db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select state from bookings.bulky_collections where id = $1", admin);
        cmd.Parameters.AddWithValue(id);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
