using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CustomerAccess.Customer.Tests;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// A council that joins while the system runs sets up its waste services through the API, no
/// developer needed: onboarding, a gazetteer import, rounds and the properties on them, a garden
/// waste price and an Open311 key; then bin days, a garden subscription and an Open311 missed bin
/// work for it. The Waste clock stands on Monday 2026-12-21 17:00 (a collection day once set up).
/// </summary>
public class WasteAdminTests
{
    private const long Usrn = 80000001;
    private const long Home = 800000000001, Next = 800000000002, Corner = 800000000003, Away = 800000000004;
    private const long NotInGazetteer = 800000000099;

    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _clocked = null!;
    private readonly TestWasteClock _clock = new();
    private ApiClient _admin = null!;
    private ApiClient _advisor = null!;
    private HttpClient _site = null!;
    private string _council = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _clocked = _clock.Attach(_host);
        _council = "vale-" + Guid.NewGuid().ToString("N")[..8];
        _admin = Client("admin", "partnership-admin", "*");
        _advisor = Client("advisor.vale", "advisor", _council, "cheltenham");
        _site = _clocked.CreateClient();

        await ApiClient.Expect(await _admin.PostAsync("/api/councils", new { id = _council, name = "Vale District Council", contactNumber = "01632 960123" }),
            HttpStatusCode.Created);
        var csv = Dtf.File(
            Dtf.Header(),
            Dtf.Street(Usrn),
            Dtf.Descriptor(Usrn, "Orchard Way", null, "Valeton"),
            Dtf.Blpu(Home), Dtf.Blpu(Next), Dtf.Blpu(Corner), Dtf.Blpu(Away),
            Dtf.Lpi(Home, "8000L000000001", Usrn, "GL99 1AA", pao: Dtf.Part(1)),
            Dtf.Lpi(Next, "8000L000000002", Usrn, "GL99 1AA", pao: Dtf.Part(2)),
            Dtf.Lpi(Corner, "8000L000000003", Usrn, "GL99 1AA", pao: Dtf.Part(3)),
            Dtf.Lpi(Away, "8000L000000004", Usrn, "GL99 1AA", pao: Dtf.Part(4)),
            Dtf.Trailer(12));
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var imported = await ApiClient.Expect(await _admin.Http.PostAsync($"/api/councils/{_council}/gazetteer/imports", content), HttpStatusCode.OK);
        Assert.That(imported["rejected"]!.AsArray(), Is.Empty, imported.ToJsonString());
    }

    [SetUp]
    public void Monday_evening() => _clock.SetLocal(2026, 12, 21, 17);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        _advisor.Dispose();
        _site.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
    }

    private ApiClient Client(string name, string role, params string[] councils)
    {
        var http = _clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return new ApiClient(http, name);
    }

    private string Api => $"/api/councils/{_council}";

    private static string Text(long uprn) => uprn.ToString(CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> Put(ApiClient client, string url, object body) => client.Http.PutAsJsonAsync(url, body);

    private static void HasPosition(HttpResponseMessage response) =>
        Assert.That(response.Headers.TryGetValues("X-Event-Position", out var values) && long.Parse(values.Single(), CultureInfo.InvariantCulture) > 0, Is.True,
            "a write says where it landed");

    private static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await ApiClient.Expect(response, status);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        return body.AsObject();
    }

    private async Task<string> Customer()
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync($"{Api}/customers",
            new { firstName = "Vale", lastName = "Resident", email = $"vale-{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private async Task<Dictionary<string, string>> Collections(long uprn, string? council = null)
    {
        var body = await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/{council ?? _council}/waste/collections?uprn={Text(uprn)}"), HttpStatusCode.OK);
        return body["items"]!.AsArray().ToDictionary(i => i!["container"]!.GetValue<string>(), i => i!["round"]!.GetValue<string>() + "@" + i!["nextCollection"]!.GetValue<string>());
    }

    private static FormUrlEncodedContent MissedBin(string key, long uprn) => new(new Dictionary<string, string>
    {
        ["api_key"] = key, ["service_code"] = "missed-bin", ["address_id"] = Text(uprn), ["attribute[container]"] = "refuse",
        ["email"] = $"site-{Guid.NewGuid():N}@example.com", ["first_name"] = "Site", ["last_name"] = "Reporter", ["description"] = "Not emptied",
    });

    [Test]
    public async Task A_new_council_configured_through_the_api_has_bin_days_garden_waste_and_open311_and_a_revoked_key_is_refused()
    {
        // Nothing before it is configured: no round, no price.
        Assert.That((await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(Home)}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var refuse = await Put(_admin, $"{Api}/waste/rounds/refuse-mon", new { name = "Refuse Monday", container = "refuse", anchor = "2026-12-07", frequency = "fortnightly" });
        var round = await ApiClient.Expect(refuse, HttpStatusCode.Created);
        HasPosition(refuse);
        Assert.That((round["weekday"]!.GetValue<int>(), round["anchor"]!.GetValue<string>()), Is.EqualTo((1, "2026-12-07")));
        var food = await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/food-mon", new { name = "Food Monday", container = "food", weekday = 1, frequency = "weekly" }),
            HttpStatusCode.Created);
        Assert.That(food["weekday"]!.GetValue<int>(), Is.EqualTo(1));
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/garden-mon",
            new { name = "Garden Monday", container = "garden", weekday = 1, anchor = "2026-12-14", frequency = "fortnightly" }), HttpStatusCode.Created);

        var assigned = await Put(_admin, $"{Api}/waste/rounds/refuse-mon/properties", new { uprns = new[] { Home, Next } });
        var onRound = await ApiClient.Expect(assigned, HttpStatusCode.OK);
        HasPosition(assigned);
        Assert.That(onRound["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()), Is.EqualTo(new[] { Home, Next }));
        await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/food-mon/properties/{Text(Home)}", null), HttpStatusCode.OK);
        await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/garden-mon/properties/{Text(Home)}", null), HttpStatusCode.OK);

        var days = await Collections(Home);
        Assert.That(days["refuse"], Is.EqualTo("refuse-mon@2026-12-21"), "fortnightly from 7 December: today");
        Assert.That(days["food"], Does.StartWith("food-mon@2026-12-2"));
        Assert.That(days.Keys, Is.EquivalentTo(new[] { "refuse", "food", "garden" }));
        Assert.That((await Collections(Next)).Keys, Is.EquivalentTo(new[] { "refuse" }));
        var ics = await _site.GetAsync($"{Api}/waste/collections.ics?uprn={Text(Home)}");
        Assert.That(await ics.Content.ReadAsStringAsync(), Does.Contain("DTSTART;VALUE=DATE:20261221"), "the public calendar too");

        // Garden waste: refused clearly until the council sets a price, then taken at that price.
        var customer = await Customer();
        var noPrice = await Problem(await _advisor.PostAsync($"{Api}/waste/garden-subscriptions", new { customerId = customer, uprn = Home, bins = 2 }),
            HttpStatusCode.BadRequest);
        Assert.That(noPrice["errors"]!["season"]!.ToJsonString(), Does.Contain("no garden waste price for 2026-27"));
        Assert.That((await _advisor.GetAsync($"{Api}/waste/garden-prices/2026-27")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var priced = await Put(_admin, $"{Api}/waste/garden-prices/2026-27", new { pricePerBinPence = 5250, maxBins = 3 });
        var price = await ApiClient.Expect(priced, HttpStatusCode.Created);
        HasPosition(priced);
        Assert.That((price["pricePerBinPence"]!.GetValue<long>(), price["maxBins"]!.GetValue<int>()), Is.EqualTo((5250L, 3)));
        var nextSeason = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/garden-prices/2027-28"), HttpStatusCode.OK);
        Assert.That((nextSeason["fromSeason"]!.GetValue<string>(), nextSeason["pricePerBinPence"]!.GetValue<long>()), Is.EqualTo(("2026-27", 5250L)),
            "a price holds for later seasons until another is set");

        var tooMany = await Problem(await _advisor.PostAsync($"{Api}/waste/garden-subscriptions", new { customerId = customer, uprn = Home, bins = 4 }),
            HttpStatusCode.BadRequest);
        Assert.That(tooMany["errors"]!["bins"], Is.Not.Null);
        var subscription = await ApiClient.Expect(await _advisor.PostAsync($"{Api}/waste/garden-subscriptions", new { customerId = customer, uprn = Home, bins = 2 }),
            HttpStatusCode.Created);
        Assert.That((subscription["amountPence"]!.GetValue<long>(), subscription["paymentDue"]!["amountPence"]!.GetValue<long>()), Is.EqualTo((10500L, 10500L)));
        var prefix = (await ApiClient.Expect(await _admin.GetAsync(Api), HttpStatusCode.OK))["receiptPrefix"]!.GetValue<string>();
        Assert.That(subscription["reference"]!.GetValue<string>(), Does.StartWith(prefix + "-GW-"), "the council's own prefix, no other council's");
        var notGarden = await Problem(await _advisor.PostAsync($"{Api}/waste/garden-subscriptions", new { customerId = customer, uprn = Next, bins = 1 }),
            HttpStatusCode.BadRequest);
        Assert.That(notGarden["errors"]!["uprn"], Is.Not.Null, "a property on no garden round");

        // Open311: a key issued here works at once; revoked, it is refused at once.
        var issuedResponse = await _admin.PostAsync($"{Api}/open311/keys", new { partner = "Vale Reports" });
        var issued = await ApiClient.Expect(issuedResponse, HttpStatusCode.Created);
        HasPosition(issuedResponse);
        Assert.That(issuedResponse.Headers.CacheControl!.NoStore, Is.True);
        var key = issued["key"]!.GetValue<string>();
        var fingerprint = issued["fingerprint"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(key, Does.StartWith("ca311_"));
            Assert.That(key, Has.Length.GreaterThanOrEqualTo(40), "256 random bits");
            Assert.That(fingerprint, Does.Match("^[0-9a-f]{12}$"));
            Assert.That(key, Does.Not.Contain(fingerprint));
        });
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var listed = await (await _admin.GetAsync($"{Api}/open311/keys")).Content.ReadAsStringAsync();
        Assert.That(listed, Does.Contain(fingerprint).And.Contain("Vale Reports").And.Not.Contain(key).And.Not.Contain(hash));

        var reported = await ApiClient.Expect(await _site.PostAsync($"/open311/v2/{_council}/requests.json", MissedBin(key, Home)), HttpStatusCode.Created);
        var worksOrder = reported.AsArray().Single()!["service_request_id"]!.GetValue<string>();
        using var officer = Client("waste.officer", "service-officer", _council);
        var order = await ApiClient.Expect(await officer.GetAsync($"{Api}/waste/works-orders/{worksOrder}"), HttpStatusCode.OK);
        Assert.That((order["uprn"]!.GetValue<long>(), order["collectionDate"]!.GetValue<string>()), Is.EqualTo((Home, "2026-12-21")));
        Assert.That(order["raisedBy"]!.GetValue<string>(), Is.EqualTo("open311:Vale Reports"));

        var revokedResponse = await _admin.Http.DeleteAsync($"{Api}/open311/keys/{fingerprint}");
        var revoked = await ApiClient.Expect(revokedResponse, HttpStatusCode.OK);
        HasPosition(revokedResponse);
        Assert.That(revoked["revokedAt"]!.GetValue<DateTimeOffset>(), Is.Not.EqualTo(default(DateTimeOffset)));
        var refused = await ApiClient.Expect(await _site.PostAsync($"/open311/v2/{_council}/requests.json", MissedBin(key, Next)), HttpStatusCode.Forbidden);
        Assert.That(refused.AsArray().Single()!["code"]!.GetValue<int>(), Is.EqualTo(403));
        Assert.That((await _admin.Http.DeleteAsync($"{Api}/open311/keys/{fingerprint}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "revoking twice changes nothing");

        // The audit trail says who changed what, and never holds the key or its hash.
        var audit = await ApiClient.Expect(await _admin.GetAsync($"{Api}/audit/events?limit=500"), HttpStatusCode.OK);
        var configuration = audit["items"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() is "waste.round-configured" or "waste.round-properties-changed" or "waste.garden-price-set"
                or "waste.open311-key-issued" or "waste.open311-key-revoked")
            .ToList();
        Assert.That(configuration.Select(e => e!["type"]!.GetValue<string>()).Distinct(), Has.Exactly(5).Items);
        Assert.That(configuration, Has.All.Matches<JsonNode>(e => e["actor"]!.GetValue<string>() == "admin"));
        Assert.That(audit.ToJsonString(), Does.Not.Contain(key).And.Not.Contain(hash));
        Assert.That(configuration.Count(e => e!["type"]!.GetValue<string>() == "waste.open311-key-revoked"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_property_moves_between_rounds_of_one_container_and_a_list_replaces_the_last()
    {
        foreach (var id in new[] { "refuse-tue", "refuse-wed" })
        {
            var day = id == "refuse-tue" ? 2 : 3;
            await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/{id}", new { name = id, container = "refuse", weekday = day, frequency = "weekly" }),
                HttpStatusCode.Created);
        }
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/refuse-tue/properties", new { uprns = new[] { Corner, Away } }), HttpStatusCode.OK);
        Assert.That((await Collections(Corner))["refuse"], Is.EqualTo("refuse-tue@2026-12-22"));

        var moved = await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/refuse-wed/properties/{Text(Corner)}", null), HttpStatusCode.OK);
        Assert.That(moved["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()), Is.EqualTo(new[] { Corner }));
        Assert.That((await Collections(Corner))["refuse"], Is.EqualTo("refuse-wed@2026-12-23"), "one refuse round per property");
        var tuesday = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds/refuse-tue/properties"), HttpStatusCode.OK);
        Assert.That(tuesday["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()), Is.EqualTo(new[] { Away }));

        // PUT of a list is the whole list: Away leaves Tuesday's round and is then on none.
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/refuse-tue/properties", new { uprns = Array.Empty<long>() }), HttpStatusCode.OK);
        Assert.That((await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(Away)}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await ApiClient.Expect(await _admin.Http.DeleteAsync($"{Api}/waste/rounds/refuse-wed/properties/{Text(Corner)}"), HttpStatusCode.OK);
        Assert.That((await _admin.Http.DeleteAsync($"{Api}/waste/rounds/refuse-wed/properties/{Text(Corner)}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var rounds = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds"), HttpStatusCode.OK);
        Assert.That(rounds["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.SupersetOf(new[] { "refuse-tue", "refuse-wed" }));
    }

    [Test]
    public async Task At_a_seeded_council_a_property_put_on_a_round_by_itself_overrides_its_range_until_taken_off()
    {
        const string Cheltenham = "/api/councils/cheltenham";
        var house = WasteUprns.CheltenhamMondayA + 5; // 6 on the first street: in the seed's Monday week-A range
        Assert.That((await Collections(house, "cheltenham"))["refuse"], Does.StartWith("refuse-mon-a@"), "the seed's range");

        await ApiClient.Expect(await _admin.Http.PutAsync($"{Cheltenham}/waste/rounds/refuse-tue-a/properties/{Text(house)}", null), HttpStatusCode.OK);
        var moved = await Collections(house, "cheltenham");
        Assert.That(moved["refuse"], Does.StartWith("refuse-tue-a@"), "the property's own assignment wins over the range it is in");
        Assert.That(moved["recycling"], Does.StartWith("recycling-mon-b@"), "other containers keep their rounds");
        var tuesday = await ApiClient.Expect(await _advisor.GetAsync($"{Cheltenham}/waste/rounds/refuse-tue-a/properties"), HttpStatusCode.OK);
        Assert.That(tuesday["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()), Is.EqualTo(new[] { house }));
        Assert.That(tuesday["ranges"]!.AsArray(), Is.Not.Empty);

        await ApiClient.Expect(await _admin.Http.DeleteAsync($"{Cheltenham}/waste/rounds/refuse-tue-a/properties/{Text(house)}"), HttpStatusCode.OK);
        Assert.That((await Collections(house, "cheltenham"))["refuse"], Does.StartWith("refuse-mon-a@"), "back to the range");
    }

    [Test]
    public async Task Bad_configuration_is_a_400_naming_each_field_and_writes_nothing()
    {
        var bad = await Problem(await Put(_admin, $"{Api}/waste/rounds/Bad:Id", new { name = "", container = "glass", weekday = 9, frequency = "monthly" }),
            HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "id", "name", "container", "weekday", "frequency" }));
        var noAnchor = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-thu", new { name = "Recycling", container = "recycling", weekday = 4, frequency = "fortnightly" }),
            HttpStatusCode.BadRequest);
        Assert.That(noAnchor["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "anchor" }));
        var mismatch = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-thu",
            new { name = "Recycling", container = "recycling", weekday = 4, anchor = "2026-12-21", frequency = "fortnightly" }), HttpStatusCode.BadRequest);
        Assert.That(mismatch["errors"]!["weekday"]!.ToJsonString(), Does.Contain("does not match the anchor"));
        var notADate = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-thu",
            new { name = "Recycling", container = "recycling", anchor = "21/12/2026", frequency = "fortnightly" }), HttpStatusCode.BadRequest);
        Assert.That(notADate["errors"]!["anchor"], Is.Not.Null);
        var wrongType = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-thu", new { name = "Recycling", container = "recycling", weekday = "Thursday", frequency = "weekly" }),
            HttpStatusCode.BadRequest);
        Assert.That(wrongType["errors"]!["weekday"], Is.Not.Null);
        Assert.That((await _advisor.GetAsync($"{Api}/waste/rounds/recycling-thu")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was written");

        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/recycling-fri", new { name = "Recycling Friday", container = "recycling", weekday = 5, frequency = "weekly" }),
            HttpStatusCode.Created);
        var changed = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-fri", new { name = "Recycling Friday", container = "refuse", weekday = 5, frequency = "weekly" }),
            HttpStatusCode.Conflict);
        Assert.That(changed["currentContainer"]!.GetValue<string>(), Is.EqualTo("recycling"));

        // A UPRN outside this council's gazetteer (unknown, or another council's) is refused, and none of the list is assigned.
        var unknown = await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-fri/properties", new { uprns = new[] { Away, NotInGazetteer } }),
            HttpStatusCode.BadRequest);
        Assert.That(unknown["errors"]!["uprns"]!.ToJsonString(), Does.Contain(Text(NotInGazetteer)).And.Not.Contain(Text(Away)));
        var cheltenhams = await Problem(await _admin.Http.PutAsync($"{Api}/waste/rounds/recycling-fri/properties/{Text(WasteUprns.CheltenhamMondayA)}", null),
            HttpStatusCode.BadRequest);
        Assert.That(cheltenhams["errors"]!["uprns"], Is.Not.Null);
        var fri = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds/recycling-fri/properties"), HttpStatusCode.OK);
        Assert.That(fri["items"]!.AsArray(), Is.Empty);
        Assert.That((await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-fri/properties", new { uprns = new[] { -4L } }), HttpStatusCode.BadRequest))["errors"]!["uprns"],
            Is.Not.Null);
        Assert.That((await Problem(await Put(_admin, $"{Api}/waste/rounds/recycling-fri/properties", new { }), HttpStatusCode.BadRequest))["errors"]!["uprns"], Is.Not.Null);
        Assert.That((await _admin.Http.PutAsync($"{Api}/waste/rounds/no-such-round/properties/{Text(Away)}", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var price = await Problem(await Put(_admin, $"{Api}/waste/garden-prices/2026", new { pricePerBinPence = 0, maxBins = 50 }), HttpStatusCode.BadRequest);
        Assert.That(price["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "season", "pricePerBinPence", "maxBins" }));
        Assert.That((await Problem(await Put(_admin, $"{Api}/waste/garden-prices/2030-31", new { pricePerBinPence = "lots" }), HttpStatusCode.BadRequest))
            ["errors"]!["pricePerBinPence"], Is.Not.Null);
        Assert.That((await Problem(await _advisor.GetAsync($"{Api}/waste/garden-prices/20xx-yy"), HttpStatusCode.BadRequest))["errors"]!["season"], Is.Not.Null);

        foreach (var partner in new object?[] { "", "   ", new string('x', 101), "<script>", null })
        {
            var key = await Problem(await _admin.PostAsync($"{Api}/open311/keys", new { partner }), HttpStatusCode.BadRequest);
            Assert.That(key["errors"]!["partner"], Is.Not.Null);
        }
        Assert.That((await _admin.Http.DeleteAsync($"{Api}/open311/keys/0123456789ab")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Only_a_partnership_admin_configures_and_another_councils_setup_is_untouched()
    {
        {
            Assert.That((await Put(_advisor, $"{Api}/waste/rounds/refuse-mon-a", new { name = "R", container = "refuse", weekday = 1, frequency = "weekly" })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await Put(_advisor, $"{Api}/waste/rounds/refuse-mon-a/properties", new { uprns = new[] { Home } })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await Put(_advisor, $"{Api}/waste/garden-prices/2026-27", new { pricePerBinPence = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await _advisor.PostAsync($"{Api}/open311/keys", new { partner = "Sneaky" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await _advisor.GetAsync($"{Api}/open311/keys")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await _advisor.Http.DeleteAsync("/api/councils/cheltenham/open311/keys/0123456789ab")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            using var anonymous = _clocked.CreateClient();
            Assert.That((await anonymous.PostAsJsonAsync($"{Api}/open311/keys", new { partner = "Anyone" })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var cheltenhamBefore = await Collections(WasteUprns.CheltenhamMondayA, "cheltenham");
        var cheltenhamRound = await ApiClient.Expect(await _advisor.GetAsync("/api/councils/cheltenham/waste/rounds/refuse-mon-a"), HttpStatusCode.OK);
        var cheltenhamKeys = await ApiClient.Expect(await _admin.GetAsync("/api/councils/cheltenham/open311/keys"), HttpStatusCode.OK);
        var local = cheltenhamKeys["items"]!.AsArray().Single()!;

        // The same round id, a price and a key at the new council change nothing at Cheltenham.
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/refuse-mon-a", new { name = "Vale refuse", container = "refuse", weekday = 3, frequency = "weekly" }),
            HttpStatusCode.Created);
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/rounds/refuse-mon-a/properties", new { uprns = new[] { Away } }), HttpStatusCode.OK);
        await ApiClient.Expect(await Put(_admin, $"{Api}/waste/garden-prices/2030-31", new { pricePerBinPence = 999 }), HttpStatusCode.Created);
        var vale = await ApiClient.Expect(await _admin.PostAsync($"{Api}/open311/keys", new { partner = "Vale Only" }), HttpStatusCode.Created);

        Assert.That(await Collections(WasteUprns.CheltenhamMondayA, "cheltenham"), Is.EqualTo(cheltenhamBefore));
        var after = await ApiClient.Expect(await _advisor.GetAsync("/api/councils/cheltenham/waste/rounds/refuse-mon-a"), HttpStatusCode.OK);
        Assert.That(after.ToJsonString(), Is.EqualTo(cheltenhamRound.ToJsonString()));
        var cheltenhamPrice = await ApiClient.Expect(await _advisor.GetAsync("/api/councils/cheltenham/waste/garden-prices/2026-27"), HttpStatusCode.OK);
        Assert.That(cheltenhamPrice["pricePerBinPence"]!.GetValue<long>(), Is.EqualTo(4800));
        Assert.That((await ApiClient.Expect(await _admin.GetAsync("/api/councils/cheltenham/open311/keys"), HttpStatusCode.OK))["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(local["partner"]!.GetValue<string>(), Is.EqualTo("local-reporting-site"));
        Assert.That(local["fingerprint"]!.GetValue<string>(), Does.Match("^[0-9a-f]{12}$"), "the seeded key has a fingerprint too");

        // A key is its council's own: the new council's key is refused at Cheltenham, and its fingerprint is unknown there.
        var atCheltenham = await _site.PostAsync("/open311/v2/cheltenham/requests.json", MissedBin(vale["key"]!.GetValue<string>(), WasteUprns.CheltenhamMondayA));
        Assert.That(atCheltenham.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _admin.Http.DeleteAsync($"/api/councils/cheltenham/open311/keys/{vale["fingerprint"]!.GetValue<string>()}")).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
        // And the new council's configuration does not see Cheltenham's rounds.
        var valeRounds = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds"), HttpStatusCode.OK);
        Assert.That(valeRounds["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Does.Not.Contain("food-mon-a").And.Not.Contain("recycling-mon-b"));
    }
}
