using System.Net;
using System.Net.Http.Json;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Bookings.Features;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CustomerAccess.Host.Tests.Bookings.BookingTests;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>The contract's booking routes, end to end through HTTP on a real database.</summary>
public class BookingsApiTests
{
    private BookingsHostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _cotswold = null!;
    private string _customer = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BookingsHostFixture.StartAsync();
        _advisor = _host.As("advisor", "advisor", SeedCouncils.All.ToArray());
        _cotswold = _host.As("advisor.cotswold", "advisor", SeedCouncils.Cotswold);
        _customer = await RegisterAsync(_advisor);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _cotswold.Dispose();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task Each_council_has_its_seeded_resources_and_their_slots_in_London_time()
    {
        var resources = (await GetAsync(_advisor, $"{Base}/resources"))["items"]!.AsArray();
        Assert.That(resources.Select(r => r!["id"]!.GetValue<string>()),
            Is.SupersetOf(new[] { "pitch-1", "pitch-2", "pavilion", "community-room", "bulky-waste" }));
        var pitch = resources.Single(r => r!["id"]!.GetValue<string>() == "pitch-1")!;
        Assert.That(pitch["type"]!.GetValue<string>(), Is.EqualTo("pitch"));
        Assert.That(pitch["pricePence"]!.GetValue<long>(), Is.EqualTo(4500));
        Assert.That(pitch["name"]!.GetValue<string>(), Is.EqualTo("Football pitch 1"));

        // Saturday 3 July 2027 (British Summer Time) and Saturday 9 January 2027 (GMT).
        var summer = await GetAsync(_advisor, $"{Base}/resources/pitch-1/availability?from=2027-07-03&to=2027-07-04");
        var items = summer["items"]!.AsArray();
        Assert.That(items.Select(i => i!["slotId"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "pitch-1:20270703T1000", "pitch-1:20270703T1200", "pitch-1:20270703T1400", "pitch-1:20270703T1600",
            "pitch-1:20270704T1000", "pitch-1:20270704T1200", "pitch-1:20270704T1400", "pitch-1:20270704T1600",
        }));
        Assert.That(items[0]!["start"]!.GetValue<string>(), Is.EqualTo("2027-07-03T10:00:00+01:00"));
        Assert.That(items[0]!["end"]!.GetValue<string>(), Is.EqualTo("2027-07-03T12:00:00+01:00"));
        Assert.That(items[0]!["remaining"]!.GetValue<int>(), Is.EqualTo(1));
        var winter = await GetAsync(_advisor, $"{Base}/resources/pitch-1/availability?from=2027-01-09&to=2027-01-09");
        Assert.That(winter["items"]!.AsArray()[0]!["start"]!.GetValue<string>(), Is.EqualTo("2027-01-09T10:00:00+00:00"));
        // From and to may be dates and times with an offset: the London day each falls on.
        var asInstants = await GetAsync(_advisor, $"{Base}/resources/pitch-1/availability?from=2027-07-02T23:30:00Z&to={Uri.EscapeDataString("2027-07-04T09:00:00+01:00")}");
        Assert.That(asInstants["items"]!.AsArray().Select(i => i!["slotId"]!.GetValue<string>()), Is.EqualTo(items.Select(i => i!["slotId"]!.GetValue<string>())));

        // Bulky waste: one all-day slot on each collection weekday (Tuesday, Thursday).
        var bulky = (await GetAsync(_advisor, $"{Base}/resources/bulky-waste/availability?from=2027-01-11&to=2027-01-17"))["items"]!.AsArray();
        Assert.That(bulky.Select(i => i!["slotId"]!.GetValue<string>()), Is.EqualTo(new[] { "bulky-waste:20270112T0000", "bulky-waste:20270114T0000" }));
        Assert.That(bulky[0]!["end"]!.GetValue<string>(), Is.EqualTo("2027-01-13T00:00:00+00:00"));
        Assert.That(bulky[0]!["remaining"]!.GetValue<int>(), Is.EqualTo(10));

        // A summer slot books and reads back in British Summer Time.
        var booked = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = "pitch-2:20270703T1000" }),
            HttpStatusCode.Created);
        Assert.That(booked["start"]!.GetValue<string>(), Is.EqualTo("2027-07-03T10:00:00+01:00"));
        Assert.That(booked["end"]!.GetValue<string>(), Is.EqualTo("2027-07-03T12:00:00+01:00"));
    }

    [TestCase("from=2027-13-01")]
    [TestCase("from=soon")]
    [TestCase("from=2027-01-10&to=2027-01-09")]
    [TestCase("from=2027-01-01&to=2027-06-30")]
    [TestCase("from=9999-12-31")]
    [TestCase("from=9999-12-19")]
    [TestCase("from=0001-01-01")]
    [TestCase("from=2027-01-01&to=9999-12-31")]
    [TestCase("from=2027-01-01T25:00:00Z")]
    public async Task A_bad_availability_range_is_a_400_problem(string query)
    {
        var response = await _advisor.GetAsync($"{Base}/resources/pitch-1/availability?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    // Days the resources are closed on the calendar's last day, and a slot long past.
    [TestCase("pitch-1:99991231T2300")]
    [TestCase("bulky-waste:99991231T0000")]
    [TestCase("pitch-1:00010106T1000")]
    public async Task A_slot_at_the_ends_of_the_calendar_is_a_400_problem(string slotId)
    {
        var response = await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Unknown_resources_and_bookings_are_404_and_another_councils_routes_are_403()
    {
        Assert.That((await _advisor.GetAsync($"{Base}/resources/nope/availability")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _advisor.GetAsync($"{Base}/bookings/nope")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _advisor.Http.DeleteAsync($"{Base}/bookings/nope")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _cotswold.GetAsync($"{Base}/resources")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _cotswold.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = "pitch-1:20270109T1000" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_free_booking_is_confirmed_at_once_a_full_slot_is_409_and_cancelling_frees_the_place()
    {
        var slot = (await FirstSlotAsync(_advisor, "community-room"))["slotId"]!.GetValue<string>();
        var response = await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot });
        var booking = await ApiClient.Expect(response, HttpStatusCode.Created);
        var id = booking["id"]!.GetValue<string>();
        Assert.That(booking["status"]!.GetValue<string>(), Is.EqualTo("confirmed"));
        Assert.That(booking["paymentDue"], Is.Null);
        Assert.That(await RemainingAsync(_advisor, slot), Is.Zero);

        var other = await RegisterAsync(_advisor);
        var full = await _advisor.PostAsync($"{Base}/bookings", new { customerId = other, slotId = slot });
        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(full.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        var read = await GetAsync(_advisor, $"{Base}/bookings/{id}");
        Assert.That(read["slotId"]!.GetValue<string>(), Is.EqualTo(slot));
        Assert.That(read["resourceName"]!.GetValue<string>(), Is.EqualTo("Community room"));
        var mine = await GetAsync(_advisor, $"{Base}/bookings?customerId={_customer}");
        Assert.That(mine["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Contain(id));

        var cancelled = await ApiClient.Expect(await _advisor.Http.DeleteAsync($"{Base}/bookings/{id}"), HttpStatusCode.OK);
        Assert.That(cancelled["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(await RemainingAsync(_advisor, slot), Is.EqualTo(1));
        Assert.That((await _advisor.Http.DeleteAsync($"{Base}/bookings/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = other, slotId = slot }), HttpStatusCode.Created);

        Assert.That(await TimelineAsync(_advisor, _customer), Is.SupersetOf(new[]
        {
            $"Community room booked for {Day(read)}: confirmed", $"Community room booking for {Day(read)} cancelled",
        }));
    }

    private static string Day(System.Text.Json.Nodes.JsonNode booking) =>
        DateTimeOffset.Parse(booking["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [TestCase(null, "pitch-1:20270109T1000", "customerId")]
    [TestCase("nobody", "pitch-1:20270109T1000", "customerId")]
    [TestCase("", "pitch-1", "slotId")]
    [TestCase("", "pitch-1:20270111T1000", "slotId")] // a Monday: pitches open at weekends
    [TestCase("", "pitch-1:20270109T1100", "slotId")] // not a slot start
    [TestCase("", "nope:20270109T1000", "slotId")]
    [TestCase("", "pitch-1:20200104T1000", "slotId")] // in the past
    public async Task Bad_booking_requests_are_400_problems_naming_the_field_and_write_nothing(string? customer, string slotId, string field)
    {
        var customerId = customer == "" ? _customer : customer;
        var response = await _advisor.PostAsync($"{Base}/bookings", new { customerId, slotId });
        var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from bookings.bookings where customer_id = $1 and slot_key = $2", admin);
        cmd.Parameters.AddWithValue(customerId ?? "");
        cmd.Parameters.AddWithValue(slotId[(slotId.LastIndexOf(':') + 1)..]);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero);
    }

    [Test]
    public async Task A_bulky_waste_place_booked_as_a_plain_booking_is_held_for_payment_into_the_bulky_waste_fund()
    {
        var slot = (await FirstSlotAsync(_advisor, "bulky-waste"))["slotId"]!.GetValue<string>();
        var before = await RemainingAsync(_advisor, slot);
        var booked = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot }), HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(booked["status"]!.GetValue<string>(), Is.EqualTo("held"));
            Assert.That(booked["paymentDue"]!["fund"]!.GetValue<string>(), Is.EqualTo("bulky-waste"));
            Assert.That(booked["paymentDue"]!["amountPence"]!.GetValue<long>(), Is.EqualTo(3500));
        });
        Assert.That(await RemainingAsync(_advisor, slot), Is.EqualTo(before - 1));
        var read = await GetAsync(_advisor, $"{Base}/bookings/{booked["id"]!.GetValue<string>()}");
        Assert.That(read["paymentDue"]!["fund"]!.GetValue<string>(), Is.EqualTo("bulky-waste"));
    }

    [Test]
    public async Task The_seeded_interview_rooms_take_three_bookings_an_hour_and_refuse_a_fourth()
    {
        var slot = (await FirstSlotAsync(_advisor, "interview-rooms"))["slotId"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
            await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot }), HttpStatusCode.Created);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot }), HttpStatusCode.Conflict);
        Assert.That(await RemainingAsync(_advisor, slot), Is.Zero);
    }

    [Test]
    public async Task Fifty_concurrent_bookings_of_a_slot_with_three_places_give_exactly_three()
    {
        var resource = await ResourceAsync(_host.Database, "room", pricePence: 0, capacity: 3);
        var slot = (await FirstSlotAsync(_advisor, resource))["slotId"]!.GetValue<string>();
        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.WaitAsync();
            return (await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot })).StatusCode;
        }).ToList();
        start.Release(50);
        var results = await Task.WhenAll(attempts);
        Assert.That(results.Count(s => s == HttpStatusCode.Created), Is.EqualTo(3));
        Assert.That(results.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(47));
        Assert.That(await RemainingAsync(_advisor, slot), Is.Zero);
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from bookings.bookings where resource_id = $1 and status = 'confirmed'", admin);
        cmd.Parameters.AddWithValue(resource);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.EqualTo(3));
    }

    [Test]
    public async Task A_charged_booking_is_held_until_paid_and_cancelling_it_once_paid_asks_for_a_refund()
    {
        var slot = (await FirstSlotAsync(_advisor, "pavilion"))["slotId"]!.GetValue<string>();
        var booking = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot }), HttpStatusCode.Created);
        var id = booking["id"]!.GetValue<string>();
        Assert.That(booking["status"]!.GetValue<string>(), Is.EqualTo("held"));
        var due = booking["paymentDue"]!;
        var request = due["paymentRequestId"]!.GetValue<Guid>();
        Assert.That(due["fund"]!.GetValue<string>(), Is.EqualTo("general"));
        Assert.That(due["amountPence"]!.GetValue<long>(), Is.EqualTo(6000));
        Assert.That(due["reference"]!.GetValue<string>(), Does.Match("^CHE-B-[0-9]{6}$"), "the council's reference prefix, B for booking");
        Assert.That(await RemainingAsync(_advisor, slot), Is.Zero, "a held place is taken");

        var requested = await Eventually.Until(() => Task.FromResult(Sent.PaymentRequests.GetValueOrDefault(request)), r => r is not null,
            because: "Payments is asked for the money");
        Assert.That(requested!.Purpose, Is.EqualTo(PaymentPurposes.Booking));
        Assert.That(requested.PurposeId, Is.EqualTo(id));
        Assert.That(requested.CustomerId, Is.EqualTo(_customer));

        await _host.SendAsync(new PaymentRequestPaid(request, PaymentPurposes.Booking, id, "pay-1", "CHL-000001", 6000));
        await Eventually.Until(async () => (await GetAsync(_advisor, $"{Base}/bookings/{id}"))["status"]!.GetValue<string>() == "confirmed",
            because: "the payment confirms the booking");

        await ApiClient.Expect(await _advisor.Http.DeleteAsync($"{Base}/bookings/{id}"), HttpStatusCode.OK);
        await Eventually.Until(() => Task.FromResult(Sent.Refunds.ContainsKey(request)), because: "a paid booking cancelled is refunded");
        Assert.That(await RemainingAsync(_advisor, slot), Is.EqualTo(1));
    }

    [Test]
    public async Task A_charged_bookings_reference_starts_with_its_councils_prefix_so_two_councils_references_differ()
    {
        var cotswoldCustomer = await RegisterAsync(_cotswold, SeedCouncils.Cotswold);
        var cheltenham = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings",
            new { customerId = _customer, slotId = (await FirstSlotAsync(_advisor, "pitch-2"))["slotId"]!.GetValue<string>() }), HttpStatusCode.Created);
        var from = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var cotswoldSlot = (await GetAsync(_cotswold, $"/api/councils/cotswold/resources/pitch-2/availability?from={from}"))["items"]!.AsArray()[0]!;
        var cotswold = await ApiClient.Expect(await _cotswold.PostAsync("/api/councils/cotswold/bookings",
            new { customerId = cotswoldCustomer, slotId = cotswoldSlot["slotId"]!.GetValue<string>() }), HttpStatusCode.Created);
        var ours = cheltenham["paymentDue"]!["reference"]!.GetValue<string>();
        var theirs = cotswold["paymentDue"]!["reference"]!.GetValue<string>();
        Assert.That(ours, Does.Match("^CHE-B-[0-9]{6}$"));
        Assert.That(theirs, Does.Match("^COT-B-[0-9]{6}$"));
        Assert.That(theirs, Is.Not.EqualTo(ours), "each council numbers from 1, so only the prefix tells them apart");
        var asked = await Eventually.Until(() => Task.FromResult(Sent.PaymentRequests.GetValueOrDefault(cotswold["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>())),
            r => r is not null, because: "Payments is asked for the money under the same reference");
        Assert.That(asked!.Reference, Is.EqualTo(theirs));
    }

    [Test]
    public async Task A_repeated_idempotency_key_returns_the_same_booking_and_a_different_body_with_it_is_409()
    {
        var resource = await ResourceAsync(_host.Database, "room", pricePence: 0, capacity: 5);
        var slot = (await FirstSlotAsync(_advisor, resource))["slotId"]!.GetValue<string>();
        var key = Guid.NewGuid().ToString();
        var first = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot, idempotencyKey = key }),
            HttpStatusCode.Created);
        var again = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = _customer, slotId = slot, idempotencyKey = key }),
            HttpStatusCode.OK);
        Assert.That(again["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(await RemainingAsync(_advisor, slot), Is.EqualTo(4));
        var other = await RegisterAsync(_advisor);
        Assert.That((await _advisor.PostAsync($"{Base}/bookings", new { customerId = other, slotId = slot, idempotencyKey = key })).StatusCode,
            Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_booking_is_found_by_its_reference_trimmed_in_any_case_and_not_from_another_council()
    {
        var resource = await ResourceAsync(_host.Database, "room", pricePence: 1500, capacity: 5);
        var booked = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings",
            new { customerId = _customer, slotId = (await FirstSlotAsync(_advisor, resource))["slotId"]!.GetValue<string>() }), HttpStatusCode.Created);
        var id = booked["id"]!.GetValue<string>();
        var reference = booked["reference"]!.GetValue<string>();
        Assert.That(reference, Does.Match("^CHE-B-[0-9]{6}$"));

        var found = (await GetAsync(_advisor, $"{Base}/bookings?reference={reference}"))["items"]!.AsArray();
        Assert.That(found.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
        var byId = await GetAsync(_advisor, $"{Base}/bookings/{id}");
        Assert.That(found[0]!.ToJsonString(), Is.EqualTo(byId.ToJsonString()), "the shape GET /bookings/{id} answers");
        Assert.That(byId["reference"]!.GetValue<string>(), Is.EqualTo(reference));

        var typed = Uri.EscapeDataString($"  {reference.ToLowerInvariant()} ");
        var again = (await GetAsync(_advisor, $"{Base}/bookings?reference={typed}"))["items"]!.AsArray();
        Assert.That(again.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }), "trimmed, any case");

        // Another council's route does not find it, even for an advisor who serves both; one who serves only that council is refused.
        Assert.That((await GetAsync(_advisor, $"/api/councils/cotswold/bookings?reference={reference}"))["items"]!.AsArray(), Is.Empty);
        Assert.That((await _cotswold.GetAsync($"{Base}/bookings?reference={reference}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await GetAsync(_advisor, $"{Base}/bookings?reference=CHE-B-999999"))["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task A_reference_made_before_the_prefix_is_still_found_and_shown_and_only_in_its_own_council()
    {
        // BK-000042 as the code before prefixes wrote it, in both councils: each council numbered its own from 1.
        var ours = await OldStyleBookingAsync(SeedCouncils.Cheltenham, _customer, "BK-000042");
        var theirs = await OldStyleBookingAsync(SeedCouncils.Cotswold, await RegisterAsync(_cotswold, SeedCouncils.Cotswold), "BK-000042");

        var found = (await GetAsync(_advisor, $"{Base}/bookings?reference=bk-000042"))["items"]!.AsArray();
        Assert.That(found.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { ours }));
        Assert.That(found[0]!["reference"]!.GetValue<string>(), Is.EqualTo("BK-000042"), "shown as it was stored");
        Assert.That(found[0]!["resourceName"]!.GetValue<string>(), Is.EqualTo("Sports pavilion"));
        var atCotswold = (await GetAsync(_cotswold, "/api/councils/cotswold/bookings?reference=BK-000042"))["items"]!.AsArray();
        Assert.That(atCotswold.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { theirs }));
        Assert.That(await TimelineAsync(_advisor, _customer), Does.Contain("Sports pavilion booked for Tue 5 Jan 18:00: confirmed"));
    }

    /// <summary>
    /// A confirmed pavilion booking written through the module's own store and event, with a reference
    /// of the form the module made before council prefixes (events are immutable, so such references stay).
    /// </summary>
    private async Task<string> OldStyleBookingAsync(string council, string customer, string reference)
    {
        var id = Guid.NewGuid().ToString();
        var start = new DateTimeOffset(2027, 1, 5, 18, 0, 0, TimeSpan.Zero);
        var end = start.AddHours(2);
        var now = DateTimeOffset.UtcNow;
        var store = _host.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync(council, EventContext.System("test-old-code"));
        await BookingStore.InsertBookingAsync(session.Db, new BookingRow(id, customer, "pavilion", "20270105T1800", start, end, BookingStatuses.Confirmed, false,
            6000, Guid.NewGuid(), reference, true, PaymentPurposes.Booking, id, null, null, null, now), default);
        await session.AppendAsync("booking-" + id, ExpectedVersion.NoStream,
            [new BookingMade(id, "pavilion", "Sports pavilion", ResourceTypes.Pavilion, "pavilion:20270105T1800", start, end, BookingStatuses.Confirmed, 6000,
                null, reference, null)], customer, default);
        await session.CommitAsync();
        return id;
    }

    [TestCase("reference=")]
    [TestCase("reference=%20%20%20")]
    [TestCase("reference=CHE-B-00000000000000000000000000000000001")] // 41 characters
    [TestCase("reference=&customerId=someone")]
    public async Task A_blank_or_overlong_reference_is_a_400_problem_naming_it(string query)
    {
        var response = await _advisor.GetAsync($"{Base}/bookings?{query}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["reference"], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task Listing_bookings_with_neither_a_customer_nor_a_reference_is_a_400_problem()
    {
        var problem = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/bookings"), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["customerId"], Is.Not.Null, problem.ToJsonString());
    }
}
