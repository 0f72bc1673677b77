using System.Net;
using System.Net.Http.Json;
using CustomerAccess.Contracts;
using static CustomerAccess.Host.Tests.Bookings.BookingTests;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>PUT /resources/{id}: a partnership admin sets up and reprices bookable resources.</summary>
public class ConfigureResourceTests
{
    private BookingsHostFixture _host = null!;
    private ApiClient _admin = null!;
    private ApiClient _advisor = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BookingsHostFixture.StartAsync();
        _admin = _host.As("admin", "partnership-admin", "*");
        _advisor = _host.As("advisor", "advisor", SeedCouncils.All.ToArray());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private static string NewId() => "hall-" + Guid.NewGuid().ToString("N")[..10];

    private Task<HttpResponseMessage> Put(ApiClient client, string id, object body, string council = SeedCouncils.Cheltenham) =>
        client.Http.PutAsJsonAsync($"/api/councils/{council}/resources/{id}", body);

    [Test]
    public async Task An_admin_adds_a_resource_it_can_be_booked_and_a_new_price_and_capacity_apply_to_later_bookings()
    {
        var id = NewId();
        var added = await Put(_admin, id, new { type = "room", name = "Village hall", pricePence = 2500, capacity = 1, weekdays = new[] { 1, 2, 3, 4, 5, 6, 7 },
            starts = new[] { "18:00", "09:00" }, slotMinutes = 120 });
        var body = await ApiClient.Expect(added, HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(added.Headers.Contains("X-Event-Position"), Is.True);
            Assert.That(body["starts"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "09:00", "18:00" }));
        });
        var listed = (await GetAsync(_advisor, $"{Base}/resources"))["items"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == id)!;
        Assert.That(listed["pricePence"]!.GetValue<long>(), Is.EqualTo(2500));

        var customer = await RegisterAsync(_advisor);
        var slot = (await FirstSlotAsync(_advisor, id))["slotId"]!.GetValue<string>();
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = customer, slotId = slot }), HttpStatusCode.Created);
        Assert.That((await _advisor.PostAsync($"{Base}/bookings", new { customerId = customer, slotId = slot })).StatusCode, Is.EqualTo(HttpStatusCode.Conflict),
            "one place");

        // Two places now, at a new price: the slot already booked once has one place left.
        await ApiClient.Expect(await Put(_admin, id, new { type = "room", name = "Village hall", pricePence = 3000, capacity = 2, weekdays = new[] { 1, 2, 3, 4, 5, 6, 7 },
            starts = new[] { "09:00", "18:00" }, slotMinutes = 120 }), HttpStatusCode.OK);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/bookings", new { customerId = customer, slotId = slot }), HttpStatusCode.Created);
        var resource = await GetAsync(_advisor, $"{Base}/resources/{id}");
        Assert.That((resource["pricePence"]!.GetValue<long>(), resource["capacity"]!.GetValue<int>()), Is.EqualTo((3000L, 2)));
    }

    [Test]
    public async Task Bad_descriptions_are_400s_naming_each_field_and_the_type_cannot_change()
    {
        var bad = await Put(_admin, "Bad:Id", new { type = "stadium", name = "", pricePence = -1, capacity = 0, weekdays = new[] { 0, 8 },
            starts = new[] { "25:00" }, slotMinutes = 5 });
        var problem = await ApiClient.Expect(bad, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "id", "type", "name", "pricePence", "capacity", "weekdays", "slotMinutes" }));

        var overlapping = await ApiClient.Expect(await Put(_admin, NewId(), new { type = "pitch", name = "Pitch", capacity = 1, weekdays = new[] { 6 },
            starts = new[] { "10:00", "11:00" }, slotMinutes = 120 }), HttpStatusCode.BadRequest);
        Assert.That(overlapping["errors"]!["starts"], Is.Not.Null);
        var round = await ApiClient.Expect(await Put(_admin, NewId(), new { type = "bulky-waste", name = "Round", capacity = 5, weekdays = new[] { 2 },
            starts = new[] { "09:00" } }), HttpStatusCode.BadRequest);
        Assert.That(round["errors"]!["starts"], Is.Not.Null);

        var id = NewId();
        await ApiClient.Expect(await Put(_admin, id, new { type = "bulky-waste", name = "Round", capacity = 5, weekdays = new[] { 2, 4 } }), HttpStatusCode.Created);
        var changed = await ApiClient.Expect(await Put(_admin, id, new { type = "room", name = "Round", capacity = 5, weekdays = new[] { 2 },
            starts = new[] { "09:00" }, slotMinutes = 60 }), HttpStatusCode.Conflict);
        Assert.That(changed["currentType"]!.GetValue<string>(), Is.EqualTo("bulky-waste"));
    }

    [Test]
    public async Task Only_a_partnership_admin_configures_resources_and_each_council_has_its_own()
    {
        var id = NewId();
        Assert.That((await Put(_advisor, id, new { type = "room", name = "Hall", capacity = 1, weekdays = new[] { 1 }, starts = new[] { "09:00" }, slotMinutes = 60 }))
            .StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await ApiClient.Expect(await Put(_admin, id, new { type = "room", name = "Hall", capacity = 1, weekdays = new[] { 1 }, starts = new[] { "09:00" }, slotMinutes = 60 },
            SeedCouncils.Cotswold), HttpStatusCode.Created);
        Assert.That((await _advisor.GetAsync($"{Base}/resources/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "cotswold's hall is not cheltenham's");
    }
}
