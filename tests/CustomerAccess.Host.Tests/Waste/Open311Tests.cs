using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// Open311 GeoReport v2 over HTTP on the real host and PostgreSQL, as a reporting site uses it: no
/// sign-in, the seeded local api_key on POST. The Waste clock stands on Monday 2026-12-21 17:00, a
/// refuse collection day for the Monday week-A area; works orders go to the Development simulator.
/// </summary>
public class Open311Tests
{
    private const string Key = "local-open311-key";
    private const string Base = "/open311/v2/cheltenham";
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _clocked = null!;
    private readonly TestWasteClock _clock = new();
    private HttpClient _site = null!;
    private ApiClient _advisor = null!;
    private ApiClient _officer = null!;
    private static long _nextUprn = WasteUprns.CheltenhamMondayA + 100;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _clocked = _clock.Attach(_host);
        _site = _clocked.CreateClient();
        _advisor = Client("advisor", "advisor");
        _officer = Client("waste.officer", "service-officer");
    }

    private ApiClient Client(string name, string role)
    {
        var http = _clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, "cheltenham"));
        return new ApiClient(http, name);
    }

    [SetUp]
    public void Monday_evening() => _clock.SetLocal(2026, 12, 21, 17);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _site.Dispose();
        _advisor.Dispose();
        _officer.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static long NewUprn() => Interlocked.Increment(ref _nextUprn);

    private static string NewEmail() => $"resident-{Guid.NewGuid():N}@example.com";

    private Task<HttpResponseMessage> Post(Dictionary<string, string> form, string format = "json") =>
        _site.PostAsync($"{Base}/requests.{format}", new FormUrlEncodedContent(form));

    private static Dictionary<string, string> MissedBin(long uprn, string email, string container = "refuse") => new()
    {
        ["api_key"] = Key, ["service_code"] = "missed-bin", ["address_id"] = uprn.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["attribute[container]"] = container, ["email"] = email, ["description"] = "Bin left full at the kerb",
    };

    private async Task<string> Customer(string email)
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync("/api/councils/cheltenham/customers",
            new { firstName = "Open", lastName = "Reporter", email }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private static async Task<(int Code, string Description)> OneError(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await ApiClient.Expect(response, status);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        var error = body.AsArray().Single()!;
        return (error["code"]!.GetValue<int>(), error["description"]!.GetValue<string>());
    }

    private static async Task<string> Created(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.Created)
    {
        var body = await ApiClient.Expect(response, status);
        return body.AsArray().Single()!["service_request_id"]!.GetValue<string>();
    }

    [Test]
    public async Task The_service_list_is_public_in_json_and_xml()
    {
        var json = await ApiClient.Expect(await _site.GetAsync($"{Base}/services.json"), HttpStatusCode.OK);
        var services = json.AsArray().ToDictionary(s => s!["service_code"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(services.Keys, Is.SupersetOf(new[] { "missed-bin", "fly-tipping" }));
            Assert.That(services["missed-bin"]!["metadata"]!.GetValue<bool>(), Is.True);
            Assert.That(services["fly-tipping"]!["metadata"]!.GetValue<bool>(), Is.False);
            Assert.That(services["missed-bin"]!["type"]!.GetValue<string>(), Is.EqualTo("realtime"));
            Assert.That(services["missed-bin"]!["service_name"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(services["missed-bin"]!["group"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(services["missed-bin"]!["keywords"]!.GetValue<string>(), Does.Contain("bin"));
        });

        var response = await _site.GetAsync($"{Base}/services.xml");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/xml"));
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("services"));
        Assert.That(xml.Root.Elements("service").Select(s => s.Element("service_code")!.Value), Does.Contain("missed-bin").And.Contain("fly-tipping"));
        Assert.That(xml.Root.Elements("service").Single(s => s.Element("service_code")!.Value == "missed-bin").Element("metadata")!.Value, Is.EqualTo("true"));

        var (code, _) = await OneError(await _site.GetAsync("/open311/v2/atlantis/services.json"), HttpStatusCode.NotFound);
        Assert.That(code, Is.EqualTo(404));
    }

    [Test]
    public async Task A_service_definition_lists_its_attributes()
    {
        var definition = await ApiClient.Expect(await _site.GetAsync($"{Base}/services/missed-bin.json"), HttpStatusCode.OK);
        var container = definition["attributes"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "container")!;
        Assert.Multiple(() =>
        {
            Assert.That(definition["service_code"]!.GetValue<string>(), Is.EqualTo("missed-bin"));
            Assert.That(container["code"]!.GetValue<string>(), Is.EqualTo("container"));
            Assert.That(container["variable"]!.GetValue<bool>(), Is.True);
            Assert.That(container["datatype"]!.GetValue<string>(), Is.EqualTo("singlevaluelist"));
            Assert.That(container["required"]!.GetValue<bool>(), Is.True);
            Assert.That(container["order"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(container["values"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()), Is.EqualTo(new[] { "refuse", "recycling", "food", "garden" }));
        });

        var xml = XDocument.Parse(await (await _site.GetAsync($"{Base}/services/missed-bin.xml")).Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_definition"));
        Assert.That(xml.Root.Element("attributes")!.Element("attribute")!.Element("values")!.Elements("value").Select(v => v.Element("key")!.Value),
            Does.Contain("garden"));

        var (code, description) = await OneError(await _site.GetAsync($"{Base}/services/potholes.json"), HttpStatusCode.NotFound);
        Assert.That((code, description), Is.EqualTo((404, "There is no service potholes.")));
    }

    [Test]
    public async Task A_missed_bin_posted_with_the_key_lands_on_the_matched_customers_timeline_and_a_repeat_gets_the_same_id()
    {
        var email = NewEmail();
        var customer = await Customer(email);
        var uprn = NewUprn();
        var id = await Created(await Post(MissedBin(uprn, email.ToUpperInvariant())));

        var timeline = await Eventually.Until(
            async () => await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cheltenham/customers/{customer}/timeline"), HttpStatusCode.OK),
            t => t["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).Count(s => s.Contains("Open311", StringComparison.Ordinal)
                || s.StartsWith("Missed refuse collection", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(15), "the contact and the works order should reach the timeline");
        var summaries = timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(summaries, Has.Some.Contains("Open311: missed refuse bin"));
            Assert.That(summaries, Does.Contain("Missed refuse collection of 2026-12-21 reported; works order raised"));
            Assert.That(timeline["items"]!.AsArray().Where(i => i!["reference"]?.GetValue<string>() == id), Is.Not.Empty);
            Assert.That(timeline["items"]!.AsArray().Single(i => i!["module"]!.GetValue<string>() == "customer" && i["summary"]!.GetValue<string>().Contains("Open311", StringComparison.Ordinal))!["channel"]!.GetValue<string>(),
                Is.EqualTo("web"));
        });

        // The same miss again (next morning, from the same or another resident): the same request.
        _clock.SetLocal(2026, 12, 22, 9);
        var again = await Created(await Post(MissedBin(uprn, email)), HttpStatusCode.OK);
        Assert.That(again, Is.EqualTo(id));
        var order = await ApiClient.Expect(await _officer.GetAsync($"/api/councils/cheltenham/waste/works-orders/{id}"), HttpStatusCode.OK);
        Assert.That(order["customerId"]!.GetValue<string>(), Is.EqualTo(customer));
    }

    [Test]
    public async Task A_new_reporter_with_a_name_is_registered_and_one_without_is_refused_with_the_reason()
    {
        var email = NewEmail();
        var form = MissedBin(NewUprn(), email, "food");
        var (_, description) = await OneError(await Post(form), HttpStatusCode.BadRequest);
        Assert.That(description, Does.Contain("first_name"));

        form["first_name"] = "New";
        form["last_name"] = "Resident";
        form["phone"] = "not a phone";
        await Created(await Post(form));
        var found = await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cheltenham/customers?q={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        Assert.That(found["items"]!.AsArray().Select(i => i!["email"]!.GetValue<string>()), Is.EqualTo(new[] { email }));
    }

    [Test]
    public async Task A_bad_or_missing_key_is_403_in_the_spec_error_format()
    {
        var form = MissedBin(NewUprn(), NewEmail());
        form["api_key"] = "not-our-key";
        var (code, description) = await OneError(await Post(form), HttpStatusCode.Forbidden);
        Assert.That(code, Is.EqualTo(403));
        Assert.That(description, Does.Contain("api_key"));

        form.Remove("api_key");
        var xmlResponse = await Post(form, "xml");
        Assert.That(xmlResponse.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var xml = XDocument.Parse(await xmlResponse.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("errors"));
        Assert.That(xml.Root.Element("error")!.Element("code")!.Value, Is.EqualTo("403"));
        Assert.That(xml.Root.Element("error")!.Element("description")!.Value, Does.Contain("api_key"));

        var nowhere = await _site.PostAsync("/open311/v2/atlantis/requests.json", new FormUrlEncodedContent(MissedBin(NewUprn(), NewEmail())));
        Assert.That(nowhere.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // A key is one council's: Cotswold's own key opens Cotswold's door only.
        await using (var admin = await _host.Database.OpenAdminAsync())
        {
            await using var insert = new Npgsql.NpgsqlCommand(
                "insert into waste.open311_api_keys (tenant_id, key_hash, partner) values ('cotswold', $1, 'cotswold-site')", admin);
            insert.Parameters.AddWithValue(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cotswold-only-key"u8)));
            await insert.ExecuteNonQueryAsync();
        }
        var onlyService = new Dictionary<string, string> { ["api_key"] = "cotswold-only-key" };
        Assert.That((await OneError(await Post(onlyService), HttpStatusCode.Forbidden)).Code, Is.EqualTo(403));
        var atCotswold = await _site.PostAsync("/open311/v2/cotswold/requests.json", new FormUrlEncodedContent(onlyService));
        var (code400, missing) = await OneError(atCotswold, HttpStatusCode.BadRequest);
        Assert.That((code400, missing), Is.EqualTo((400, "service_code is required.")));
    }

    [Test]
    public async Task Unknown_services_and_requests_are_404_and_bad_input_is_400_never_500()
    {
        var form = MissedBin(NewUprn(), NewEmail());
        form["service_code"] = "potholes";
        Assert.That((await OneError(await Post(form), HttpStatusCode.NotFound)).Code, Is.EqualTo(404));
        Assert.That((await OneError(await _site.GetAsync($"{Base}/requests/{Guid.CreateVersion7()}.json"), HttpStatusCode.NotFound)).Code, Is.EqualTo(404));

        var nowhere = new Dictionary<string, string> { ["api_key"] = Key, ["service_code"] = "fly-tipping", ["description"] = "Sofa" };
        var (code, description) = await OneError(await Post(nowhere), HttpStatusCode.BadRequest);
        Assert.That((code, description), Is.EqualTo((400, "A location is required: lat and long, address_string or address_id.")));

        var noUprn = new Dictionary<string, string> { ["api_key"] = Key, ["service_code"] = "missed-bin", ["lat"] = "51.9", ["long"] = "-2.07", ["attribute[container]"] = "refuse" };
        Assert.That((await OneError(await Post(noUprn), HttpStatusCode.BadRequest)).Description, Does.Contain("address_id"));
        var halfPoint = new Dictionary<string, string> { ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.9", ["address_string"] = "By the gate" };
        Assert.That(await OneError(await Post(halfPoint), HttpStatusCode.BadRequest), Is.EqualTo((400, "lat and long go together: give both (WGS84 degrees) or neither.")));
        var uprnOnly = new Dictionary<string, string> { ["api_key"] = Key, ["service_code"] = "fly-tipping", ["address_id"] = "16150000001" };
        Assert.That((await OneError(await Post(uprnOnly), HttpStatusCode.BadRequest)).Description, Does.Contain("address_string"));

        _clock.SetLocal(2026, 12, 21, 15, 30);
        var (_, early) = await OneError(await Post(MissedBin(NewUprn(), NewEmail())), HttpStatusCode.BadRequest);
        Assert.That(early, Does.Contain("16:00"));
        _clock.SetLocal(2026, 12, 21, 17);
        var (_, offRound) = await OneError(await Post(MissedBin(WasteUprns.NotOnARound, NewEmail())), HttpStatusCode.BadRequest);
        Assert.That(offRound, Does.Contain("no refuse collection round"));

        var badLat = new Dictionary<string, string> { ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "north", ["long"] = "-2.07" };
        await OneError(await Post(badLat), HttpStatusCode.BadRequest);
        Assert.That((await _site.PostAsync($"{Base}/requests.json", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _site.GetAsync($"{Base}/requests.json?start_date=yesterday")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _site.GetAsync($"{Base}/requests.json?status=lost")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _site.GetAsync($"{Base}/requests.json?start_date=9999-12-31T00:00:00Z")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _site.GetAsync($"{Base}/servicerequestupdates.json?end_date=0001-01-01T00:00:00Z")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _site.GetAsync($"{Base}/requests.json?service_request_id={new string('x', 65)}")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _site.GetAsync($"{Base}/requests.csv")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await OneError(await _site.GetAsync($"{Base}/nothing-here.json"), HttpStatusCode.NotFound)).Code, Is.EqualTo(404));

        // The card-number guard reads a form like any other body: it refuses before Open311 sees it, and lets ordinary posts through.
        var card = MissedBin(NewUprn(), NewEmail());
        card["description"] = "paid with 4111 1111 1111 1111";
        Assert.That((await Post(card)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    // Reporting sites send their local offset, often with the '+' unencoded (it arrives as a space).
    [TestCase("requests.json")]
    [TestCase("requests.xml")]
    [TestCase("servicerequestupdates.json")]
    [TestCase("servicerequestupdates.xml")]
    public async Task Date_filters_take_any_offset_and_an_unencoded_plus(string path)
    {
        foreach (var date in new[] { "2026-12-02T02:00:00%2B01:00", "2026-12-02T02:00:00+01:00", "2026-12-02T02:00:00-05:00", "2026-12-02T02:00:00%2B00:30",
                     "0001-01-01T00:00:00-01:00", "9999-12-31T23:30:00%2B01:00" })
            foreach (var field in new[] { "start_date", "end_date" })
            {
                var response = await _site.GetAsync($"{Base}/{path}?{field}={date}");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{field}={date}: {await response.Content.ReadAsStringAsync()}");
            }
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            // Before the calendar's first instant once in UTC: refused in the spec's error format.
            var (code, description) = await OneError(await _site.GetAsync($"{Base}/{path}?start_date=0001-01-01T00:30:00%2B01:00"), HttpStatusCode.BadRequest);
            Assert.That((code, description), Is.EqualTo((400, "start_date must be an ISO 8601 date and time, like 2026-12-21T09:00:00Z.")));
        }
    }

    [Test]
    public async Task A_date_filter_with_an_offset_means_that_instant()
    {
        var email = NewEmail();
        await Customer(email);
        var id = await Created(await Post(MissedBin(NewUprn(), email)));
        var one = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests/{id}.json"), HttpStatusCode.OK);
        var raised = DateTimeOffset.Parse(one.AsArray().Single()!["requested_datetime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        string At(TimeSpan shift, TimeSpan offset) => raised.Add(shift).ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        async Task<List<string>> Ids(string start, string end) => (await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?start_date={start}&end_date={end}"),
            HttpStatusCode.OK)).AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()).ToList();

        // A minute either side, written in British Summer Time (unencoded '+') and New York time.
        Assert.That(await Ids(At(TimeSpan.FromMinutes(-1), TimeSpan.FromHours(1)), At(TimeSpan.FromMinutes(1), TimeSpan.FromHours(-5))), Does.Contain(id));
        Assert.That(await Ids(Uri.EscapeDataString(At(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30))), At(TimeSpan.FromHours(1), TimeSpan.FromHours(-5))),
            Does.Not.Contain(id));
    }

    [Test]
    public async Task Requests_are_found_by_id_and_filters_without_personal_data()
    {
        var email = NewEmail();
        await Customer(email);
        var uprn = NewUprn();
        var missed = await Created(await Post(MissedBin(uprn, email)));
        var fly = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783",
            ["description"] = "Mattress by the gate of number 4", ["email"] = email,
        }));

        var one = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests/{missed}.json"), HttpStatusCode.OK);
        var request = one.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(request["service_request_id"]!.GetValue<string>(), Is.EqualTo(missed));
            Assert.That(request["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(request["service_code"]!.GetValue<string>(), Is.EqualTo("missed-bin"));
            Assert.That(request["address_id"]!.GetValue<string>(), Is.EqualTo(uprn.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(request["requested_datetime"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$"));
            Assert.That(request.AsObject().Select(p => p.Key), Is.SupersetOf(new[]
            {
                "status_notes", "service_name", "description", "agency_responsible", "service_notice", "updated_datetime", "expected_datetime",
                "address", "zipcode", "lat", "long", "media_url",
            }));
            Assert.That(one.ToJsonString(), Does.Not.Contain(email).And.Not.Contain("Reporter").And.Not.Contain("kerb"));
        });

        var both = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?service_request_id={missed},{fly}"), HttpStatusCode.OK);
        Assert.That(both.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()), Is.EquivalentTo(new[] { missed, fly }));
        var flyRequest = both.AsArray().Single(r => r!["service_request_id"]!.GetValue<string>() == fly)!;
        Assert.That(flyRequest["lat"]!.GetValue<double>(), Is.EqualTo(51.8994));
        Assert.That(both.ToJsonString(), Does.Not.Contain("Mattress"));

        var flyTipping = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?service_code=fly-tipping"), HttpStatusCode.OK);
        var ids = flyTipping.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Does.Contain(fly).And.Not.Contain(missed));
        var open = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?status=open"), HttpStatusCode.OK);
        Assert.That(open.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()), Does.Contain(missed));
        var closed = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?status=closed"), HttpStatusCode.OK);
        Assert.That(closed.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()), Does.Not.Contain(missed));
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var later = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?start_date={future}"), HttpStatusCode.OK);
        Assert.That(later.AsArray(), Is.Empty);

        var xml = XDocument.Parse(await (await _site.GetAsync($"{Base}/requests/{fly}.xml")).Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_requests"));
        Assert.That(xml.Root.Element("request")!.Element("service_request_id")!.Value, Is.EqualTo(fly));
    }

    [Test]
    public async Task A_contractor_status_change_shows_in_servicerequestupdates_and_closes_the_request()
    {
        var email = NewEmail();
        await Customer(email);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var id = await Created(await Post(MissedBin(NewUprn(), email)));
        await Eventually.Until(
            async () => await ApiClient.Expect(await _officer.GetAsync($"/api/councils/cheltenham/waste/works-orders/{id}"), HttpStatusCode.OK),
            o => o["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15), "the simulator should take the order");
        await ApiClient.Expect(await _officer.PostAsync($"/api/councils/cheltenham/waste/works-orders/{id}/status", new { status = "accepted" }), HttpStatusCode.OK);
        await ApiClient.Expect(await _officer.PostAsync($"/api/councils/cheltenham/waste/works-orders/{id}/status", new { status = "completed" }), HttpStatusCode.OK);

        var window = $"start_date={Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}" +
                     $"&end_date={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}";
        var updates = await ApiClient.Expect(await _site.GetAsync($"{Base}/servicerequestupdates.json?{window}"), HttpStatusCode.OK);
        var mine = updates.AsArray().Where(u => u!["service_request_id"]!.GetValue<string>() == id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mine.Select(u => u!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "action_scheduled", "in_progress", "fixed" }));
            Assert.That(mine.Select(u => u!["update_id"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(3));
            Assert.That(mine[^1]!["description"]!.GetValue<string>(), Is.EqualTo("Works order for refuse bin completed"));
            Assert.That(mine[^1]!["updated_datetime"]!.GetValue<string>(), Is.Not.Empty);
        });

        var xml = XDocument.Parse(await (await _site.GetAsync($"{Base}/servicerequestupdates.xml?{window}")).Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_requests_updates"));
        Assert.That(xml.Root.Elements("request_update").Where(u => u.Element("service_request_id")!.Value == id).Select(u => u.Element("status")!.Value),
            Does.Contain("fixed"));

        var request = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests/{id}.json"), HttpStatusCode.OK);
        Assert.That(request.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("closed"));
    }

    [Test]
    public async Task Fly_tipping_can_be_reported_anonymously()
    {
        var response = await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.9001", ["long"] = "-2.0801", ["media_url"] = "https://example.org/photo.jpg",
            ["description"] = "Left by a man in a red van", ["account_id"] = "site-user-7",
        }, "xml");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_requests"));
        var created = xml.Root.Element("request")!;
        Assert.That(created.Element("account_id")!.Value, Is.EqualTo("site-user-7"));
        Assert.That(created.Element("service_notice")!.Value, Is.Not.Empty);
        var id = created.Element("service_request_id")!.Value;
        var order = await ApiClient.Expect(await _officer.GetAsync($"/api/councils/cheltenham/waste/works-orders/{id}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(order["kind"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(order["customerId"], Is.Null);
            Assert.That(order["raisedBy"]!.GetValue<string>(), Is.EqualTo("open311:local-reporting-site"));
            // No data subject to encrypt free text for, so it is not kept.
            Assert.That(order["detail"], Is.Null);
        });
    }

    // ---- media_url and where a report is --------------------------------------------------------

    private async Task<JsonNode> PublicRequest(string id) =>
        (await ApiClient.Expect(await _site.GetAsync($"{Base}/requests/{id}.json"), HttpStatusCode.OK)).AsArray().Single()!;

    private async Task<JsonNode> WorksOrder(string id) =>
        await ApiClient.Expect(await _officer.GetAsync($"/api/councils/cheltenham/waste/works-orders/{id}"), HttpStatusCode.OK);

    [Test]
    public async Task A_missed_bins_media_url_is_kept_and_shown_in_json_xml_the_works_order_and_the_staff_screen()
    {
        var email = NewEmail();
        await Customer(email);
        var uprn = NewUprn();
        var form = MissedBin(uprn, email);
        form["media_url"] = "https://photos.example.org/reports/1234.jpg?size=large&v=2";
        var id = await Created(await Post(form));

        Assert.That((await PublicRequest(id))["media_url"]!.GetValue<string>(), Is.EqualTo(form["media_url"]));
        var list = await ApiClient.Expect(await _site.GetAsync($"{Base}/requests.json?service_request_id={id}"), HttpStatusCode.OK);
        Assert.That(list.AsArray().Single()!["media_url"]!.GetValue<string>(), Is.EqualTo(form["media_url"]));
        var xml = XDocument.Parse(await (await _site.GetAsync($"{Base}/requests/{id}.xml")).Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Element("request")!.Element("media_url")!.Value, Is.EqualTo(form["media_url"]));
        var listXml = XDocument.Parse(await (await _site.GetAsync($"{Base}/requests.xml?service_request_id={id}")).Content.ReadAsStringAsync());
        Assert.That(listXml.Root!.Element("request")!.Element("media_url")!.Value, Is.EqualTo(form["media_url"]));
        Assert.That((await WorksOrder(id))["mediaUrl"]!.GetValue<string>(), Is.EqualTo(form["media_url"]));

        // A repeat with another photo is the same request and keeps the first photo.
        _clock.SetLocal(2026, 12, 22, 9);
        var repeat = MissedBin(uprn, email);
        repeat["media_url"] = "https://photos.example.org/reports/9999.jpg";
        Assert.That(await Created(await Post(repeat), HttpStatusCode.OK), Is.EqualTo(id));
        Assert.That((await PublicRequest(id))["media_url"]!.GetValue<string>(), Is.EqualTo(form["media_url"]));

        // The waste team's screen links to it (HTML-encoded, no referrer sent to the photo's host).
        var page = await (await _advisor.Http.GetAsync("/waste/works-orders")).Content.ReadAsStringAsync();
        var row = System.Text.RegularExpressions.Regex.Match(page, $"<tr[^>]*data-testid=\"order-{id}\".*?</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.That(row, Does.Contain("href=\"https://photos.example.org/reports/1234.jpg?size=large&amp;v=2\"").And.Contain("referrerpolicy=\"no-referrer\"")
            .And.Contain(">Photo<"));

        // Without one it stays null, as before.
        var plain = await Created(await Post(MissedBin(NewUprn(), email)));
        Assert.That((await PublicRequest(plain))["media_url"], Is.Null);
        Assert.That((await WorksOrder(plain))["mediaUrl"], Is.Null);
    }

    [Test]
    public async Task A_repeat_with_a_photo_gives_the_order_one_when_the_first_report_had_none()
    {
        var email = NewEmail();
        await Customer(email);
        var uprn = NewUprn();
        var id = await Created(await Post(MissedBin(uprn, email)));
        var repeat = MissedBin(uprn, email);
        repeat["media_url"] = "http://photos.example.org/late.png";
        Assert.That(await Created(await Post(repeat), HttpStatusCode.OK), Is.EqualTo(id));
        Assert.That((await PublicRequest(id))["media_url"]!.GetValue<string>(), Is.EqualTo("http://photos.example.org/late.png"));
    }

    [Test]
    public async Task Fly_tipping_keeps_its_media_url_named_or_anonymous()
    {
        var email = NewEmail();
        await Customer(email);
        var named = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783", ["email"] = email,
            ["media_url"] = "https://photos.example.org/fly/1.jpg",
        }));
        var anonymous = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8995", ["long"] = "-2.0784", ["media_url"] = "https://photos.example.org/fly/2.jpg",
        }));
        Assert.Multiple(async () =>
        {
            Assert.That((await PublicRequest(named))["media_url"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/1.jpg"));
            Assert.That((await WorksOrder(named))["mediaUrl"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/1.jpg"));
            Assert.That((await PublicRequest(anonymous))["media_url"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/2.jpg"));
            Assert.That((await WorksOrder(anonymous))["mediaUrl"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/2.jpg"));
        });
    }

    [Test]
    public async Task Erasing_the_reporter_removes_their_words_and_photo_link_from_the_works_order()
    {
        var email = NewEmail();
        var customer = await Customer(email);
        var named = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["address_string"] = "Behind number 12, by the garages",
            ["description"] = "Mattress and bags dumped by my neighbour", ["email"] = email, ["media_url"] = "https://photos.example.org/fly/e.jpg",
        }));
        var anonymous = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8996", ["long"] = "-2.0785", ["media_url"] = "https://photos.example.org/fly/keep.jpg",
        }));
        Assert.That((await WorksOrder(named))["mediaUrl"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/e.jpg"));
        Assert.That(await RowText(named), Does.Contain("Mattress").And.Contain("garages"));

        using var erasure = await _advisor.PostAsync($"/api/councils/cheltenham/customers/{customer}/erasure", new { reason = "Subject asked (test)" });
        await ApiClient.Expect(erasure, HttpStatusCode.OK);

        await Eventually.Until(async () => (await WorksOrder(named))["mediaUrl"] is null, because: "Waste hears of the erasure");
        Assert.Multiple(async () =>
        {
            Assert.That(await RowText(named), Does.Not.Contain("Mattress").And.Not.Contain("garages").And.Not.Contain("photos.example.org"));
            Assert.That((await PublicRequest(named))["media_url"], Is.Null);
            Assert.That((await WorksOrder(named))["status"]!.GetValue<string>(), Is.Not.Empty, "the job itself stays");
            Assert.That((await WorksOrder(anonymous))["mediaUrl"]!.GetValue<string>(), Is.EqualTo("https://photos.example.org/fly/keep.jpg"),
                "another report is untouched");
        });
    }

    /// <summary>Every column of the works order's row as text, read past RLS: what a database reader could see.</summary>
    private async Task<string> RowText(string worksOrderId)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select w::text from waste.works_orders w where id = $1 or report_id = $1", admin);
        cmd.Parameters.AddWithValue(worksOrderId);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [TestCase("javascript:alert(1)")]
    [TestCase("data:image/png;base64,iVBORw0KGgo=")]
    [TestCase("ftp://photos.example.org/1.jpg")]
    [TestCase("/photos/1.jpg")]
    [TestCase("https://user:secret@photos.example.org/1.jpg")]
    [TestCase("https://photos.example.org/a b.jpg")]
    [TestCase("too-long")]
    public async Task A_media_url_that_is_not_a_plain_web_link_is_refused_without_echoing_it(string url)
    {
        if (url == "too-long") url = "https://photos.example.org/" + new string('a', 2000 - 26 + 1);
        var form = new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783", ["media_url"] = url,
        };
        var (code, description) = await OneError(await Post(form), HttpStatusCode.BadRequest);
        Assert.That(code, Is.EqualTo(400));
        Assert.That(description, Does.StartWith("media_url must be an http or https URL"));
        Assert.That(description, Does.Not.Contain("photos.example.org").And.Not.Contain("secret"));
    }

    [Test]
    public async Task A_media_url_of_exactly_2000_characters_is_taken()
    {
        var url = "https://photos.example.org/" + new string('a', 2000 - 27);
        Assert.That(url, Has.Length.EqualTo(2000));
        var id = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783", ["media_url"] = url,
        }));
        Assert.That((await PublicRequest(id))["media_url"]!.GetValue<string>(), Is.EqualTo(url));
    }

    [Test]
    public async Task Fly_tipping_with_only_an_address_string_is_taken_with_that_text_as_its_location()
    {
        var email = NewEmail();
        await Customer(email);
        const string place = "Layby on the A40 past the Golden Valley roundabout, eastbound";
        var named = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["address_string"] = place, ["email"] = email, ["description"] = "Fridge",
        }));
        var anonymous = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["address_string"] = "Behind the Tesco car park",
        }));

        var order = await WorksOrder(named);
        var anonymousOrder = await WorksOrder(anonymous);
        Assert.Multiple(() =>
        {
            Assert.That(order["kind"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(order["location"]!.GetValue<string>(), Is.EqualTo(place));
            Assert.That(order["latitude"], Is.Null);
            Assert.That(order["longitude"], Is.Null);
            Assert.That(anonymousOrder["location"]!.GetValue<string>(), Is.EqualTo("Behind the Tesco car park"));
            Assert.That(anonymousOrder["customerId"], Is.Null);
        });

        // Public: the reporter's words are not published (nor made into a point); the request is there, with no place.
        var request = await PublicRequest(named);
        Assert.Multiple(() =>
        {
            Assert.That(request["service_code"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(request["lat"], Is.Null);
            Assert.That(request["long"], Is.Null);
            Assert.That(request["address"], Is.Null);
            Assert.That(request.ToJsonString(), Does.Not.Contain("Golden Valley"));
        });

        // With a point as well, both are kept.
        var both = await Created(await Post(new Dictionary<string, string>
        {
            ["api_key"] = Key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783", ["address_string"] = "By the bus shelter",
        }));
        var bothOrder = await WorksOrder(both);
        Assert.That((bothOrder["latitude"]!.GetValue<double>(), bothOrder["location"]!.GetValue<string>()), Is.EqualTo((51.8994, "By the bus shelter")));

        // The staff screen shows the words where the point would be.
        var page = await (await _advisor.Http.GetAsync("/waste/works-orders")).Content.ReadAsStringAsync();
        Assert.That(page, Does.Contain("Behind the Tesco car park"));
    }

    [Test]
    public async Task A_missed_bin_without_a_uprn_is_refused_saying_what_is_needed_and_the_definition_says_so_too()
    {
        var email = NewEmail();
        await Customer(email);
        foreach (var where in new[]
                 {
                     new Dictionary<string, string> { ["lat"] = "51.8994", ["long"] = "-2.0783" },
                     new Dictionary<string, string> { ["address_string"] = "12 Example Street, Cheltenham" },
                 })
        {
            var form = new Dictionary<string, string>
            {
                ["api_key"] = Key, ["service_code"] = "missed-bin", ["attribute[container]"] = "refuse", ["email"] = email,
            };
            foreach (var (k, v) in where) form[k] = v;
            var (code, description) = await OneError(await Post(form), HttpStatusCode.BadRequest);
            Assert.That((code, description), Is.EqualTo((400,
                "A missed bin needs the property's UPRN as address_id: lat and long, or an address_string, cannot say which property's bin was missed.")));
        }

        var definition = await ApiClient.Expect(await _site.GetAsync($"{Base}/services/missed-bin.json"), HttpStatusCode.OK);
        var note = definition["attributes"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "property")!;
        Assert.Multiple(() =>
        {
            Assert.That(note["variable"]!.GetValue<bool>(), Is.False);
            Assert.That(note["required"]!.GetValue<bool>(), Is.False);
            Assert.That(note["description"]!.GetValue<string>(), Does.Contain("UPRN as address_id"));
        });
        var xml = XDocument.Parse(await (await _site.GetAsync($"{Base}/services/missed-bin.xml")).Content.ReadAsStringAsync());
        Assert.That(xml.Root!.Element("attributes")!.Elements("attribute").Single(a => a.Element("code")!.Value == "property").Element("variable")!.Value,
            Is.EqualTo("false"));
        var services = await ApiClient.Expect(await _site.GetAsync($"{Base}/services.json"), HttpStatusCode.OK);
        var byCode = services.AsArray().ToDictionary(s => s!["service_code"]!.GetValue<string>(), s => s!["description"]!.GetValue<string>());
        Assert.That(byCode["missed-bin"], Does.Contain("UPRN as address_id"));
        Assert.That(byCode["fly-tipping"], Does.Contain("address_string"));
    }

    [Test]
    public void Report_events_stored_before_media_and_location_still_load_with_them_null()
    {
        var options = CustomerAccess.Platform.EventStore.JsonDefaults.Options;
        var missed = System.Text.Json.JsonSerializer.Deserialize<CustomerAccess.Waste.Domain.MissedBinReported>(
            """{"reportId":"r","worksOrderId":"w","uprn":16150000001,"container":"refuse","collectionDate":"2026-12-21","roundId":"mon-a"}""", options)!;
        var again = System.Text.Json.JsonSerializer.Deserialize<CustomerAccess.Waste.Domain.MissedBinReportedAgain>(
            """{"reportId":"r","worksOrderId":"w","container":"refuse","collectionDate":"2026-12-21","status":"sent"}""", options)!;
        var fly = System.Text.Json.JsonSerializer.Deserialize<CustomerAccess.Waste.Domain.FlyTippingReported>(
            """{"reportId":"r","worksOrderId":"w","latitude":51.9,"longitude":-2.07,"description":"Sofa"}""", options)!;
        var anonymous = System.Text.Json.JsonSerializer.Deserialize<CustomerAccess.Waste.Open311.AnonymousFlyTippingReported>(
            """{"reportId":"r","worksOrderId":"w","latitude":51.9,"longitude":-2.07}""", options)!;
        Assert.Multiple(() =>
        {
            Assert.That(missed.MediaUrl, Is.Null);
            Assert.That(missed.Uprn, Is.EqualTo(16150000001));
            Assert.That(again.MediaUrl, Is.Null);
            Assert.That((fly.Latitude, fly.Longitude, fly.Location, fly.MediaUrl), Is.EqualTo(((double?)51.9, (double?)-2.07, (string?)null, (string?)null)));
            Assert.That((anonymous.Latitude, anonymous.Location, anonymous.MediaUrl), Is.EqualTo(((double?)51.9, (string?)null, (string?)null)));
        });
    }
}
