using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>The contract's customer routes, end to end through HTTP on a real database.</summary>
public class CustomerApiTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _cotswoldAdvisor = null!;
    private long _uprn;
    private string _postcode = "";
    private long _otherUprn;
    private const string Council = "cheltenham";
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire");
        _cotswoldAdvisor = ApiClient.As(_host, "advisor.cotswold", "advisor", "cotswold");
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(
            "select uprn, postcode from customer.addresses where tenant_id = 'cheltenham' and logical_status = 1 and postcode is not null order by uprn limit 2", admin);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.That(await r.ReadAsync(), Is.True, "the local seed should give cheltenham a gazetteer");
        _uprn = r.GetInt64(0);
        _postcode = r.GetString(1);
        Assert.That(await r.ReadAsync(), Is.True);
        _otherUprn = r.GetInt64(0);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _cotswoldAdvisor.Dispose();
        await _host.DisposeAsync();
    }

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> Register(string first, string last, string? email = null, string? phone = null, long? uprn = null)
    {
        var response = await _advisor.PostAsync($"{Base}/customers", new { firstName = first, lastName = last, email, phone, uprn, dateOfBirth = "1970-03-21" });
        var body = await ApiClient.Expect(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Contains("X-Event-Position"), Is.True);
        return body["id"]!.GetValue<string>();
    }

    private async Task<long> CustomerRows()
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from customer.customers", admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task A_registered_customer_shows_on_the_single_view_with_their_address()
    {
        var email = Unique("ann.") + "@example.com";
        var id = await Register("Ann", "Hathaway", email, "01242 262626", _uprn);
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(view["firstName"]!.GetValue<string>(), Is.EqualTo("Ann"));
            Assert.That(view["lastName"]!.GetValue<string>(), Is.EqualTo("Hathaway"));
            Assert.That(view["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(view["dateOfBirth"]!.GetValue<string>(), Is.EqualTo("1970-03-21"));
            Assert.That(view["address"]!["uprn"]!.GetValue<long>(), Is.EqualTo(_uprn));
            Assert.That(view["address"]!["postcode"]!.GetValue<string>(), Is.EqualTo(_postcode));
            Assert.That(view["address"]!["lines"]!.AsArray(), Is.Not.Empty);
            Assert.That(view["openCases"]!.AsArray(), Is.Empty);
            Assert.That(view["contactCount"]!.GetValue<int>(), Is.Zero);
            Assert.That(view["flags"]!.AsArray(), Is.Empty);
        });
    }

    [TestCase("{\"lastName\":\"Smith\"}", "firstName")]
    [TestCase("{\"firstName\":\"Jo\"}", "lastName")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"email\":\"not-an-email\"}", "email")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"phone\":\"call me\"}", "phone")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"uprn\":999999999999}", "uprn")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"uprn\":\"abc\"}", "uprn")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"dateOfBirth\":\"2999-01-01\"}", "dateOfBirth")]
    [TestCase("{\"firstName\":\"Jo\",\"lastName\":\"Smith\",\"dateOfBirth\":\"21/03/1970\"}", "dateOfBirth")]
    public async Task Bad_details_are_a_400_problem_naming_the_field_and_write_nothing(string json, string field)
    {
        var before = await CustomerRows();
        var response = await _advisor.Http.PostAsync($"{Base}/customers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        Assert.That(await CustomerRows(), Is.EqualTo(before));
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem()
    {
        var response = await _advisor.Http.PostAsync($"{Base}/customers", new StringContent("{\"firstName\": ", System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task The_same_email_twice_in_a_council_is_409_with_the_existing_id_whatever_its_case()
    {
        var email = Unique("dup.") + "@example.com";
        var first = await Register("Dee", "Upton", email);
        var response = await _advisor.PostAsync($"{Base}/customers", new { firstName = "D", lastName = "Upton", email = email.ToUpperInvariant() });
        var problem = await ApiClient.Expect(response, HttpStatusCode.Conflict);
        Assert.That(problem["existingCustomerId"]!.GetValue<string>(), Is.EqualTo(first));

        // Another council may hold the same email: the councils' records are their own.
        var elsewhere = await _advisor.PostAsync("/api/councils/cotswold/customers", new { firstName = "Dee", lastName = "Upton", email });
        await ApiClient.Expect(elsewhere, HttpStatusCode.Created);
    }

    [Test]
    public async Task Find_matches_a_misspelt_name_an_email_a_phone_in_any_format_a_postcode_and_a_uprn()
    {
        var last = "Featherstonehaugh" + Guid.NewGuid().ToString("N")[..4];
        var email = Unique("find.") + "@example.com";
        var id = await Register("Bartholomew", last, email, "07700 900" + Random.Shared.Next(100, 999), _otherUprn);
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        var phone = view["phone"]!.GetValue<string>();

        async Task<IEnumerable<string>> Find(string q)
        {
            var body = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers?q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);
            return body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>());
        }

        Assert.That(await Find("Bartholemew " + last[..^5] + "haugh" + last[^4..]), Does.Contain(id), "typo in the first name");
        Assert.That(await Find(email.ToUpperInvariant()), Does.Contain(id));
        Assert.That(await Find("+44" + phone[1..].Replace(" ", "", StringComparison.Ordinal)), Does.Contain(id));
        var postcode = (await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK))["address"]!["postcode"]!.GetValue<string>();
        Assert.That(await Find(postcode.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()), Does.Contain(id));
        Assert.That(await Find(_otherUprn.ToString(System.Globalization.CultureInfo.InvariantCulture)), Does.Contain(id));
        Assert.That(await Find("Zebedee Quux"), Does.Not.Contain(id));

        // The search runs as its owner to use the trigram index: it must still keep to the route's council.
        var cotswold = await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cotswold/customers?q={Uri.EscapeDataString("Bartholomew " + last)}"), HttpStatusCode.OK);
        Assert.That(cotswold["items"]!.AsArray(), Is.Empty);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers?q=a"), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Find_pages_through_every_match_with_its_cursor()
    {
        // 37 customers of one (unusual) name: the audit saw 20 items and next null, and limit=2 gave 2 and next null.
        var last = "Pagewright" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 37; i++) ids.Add(await Register("Ada", last));

        async Task<List<string>> All(string limit)
        {
            var seen = new List<string>();
            string? cursor = null;
            for (var pages = 0; pages < 40; pages++)
            {
                var body = await ApiClient.Expect(await _advisor.GetAsync(
                    $"{Base}/customers?q={Uri.EscapeDataString("Ada " + last)}{limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"), HttpStatusCode.OK);
                seen.AddRange(body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
                cursor = body["next"]?.GetValue<string>();
                if (cursor is null) return seen;
            }
            Assert.Fail("the cursor never ran out");
            return seen;
        }

        var first = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers?q={Uri.EscapeDataString("Ada " + last)}"), HttpStatusCode.OK);
        Assert.That(first["items"]!.AsArray(), Has.Count.EqualTo(20));
        Assert.That(first["next"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "37 match, so a second page follows");
        var byDefault = await All("");
        Assert.That(byDefault, Is.EquivalentTo(ids), "every match once, none repeated or skipped");
        var inTwos = await All("&limit=2");
        Assert.That(inTwos, Is.EquivalentTo(ids));
        Assert.That(inTwos, Is.EqualTo(byDefault), "pages keep one order");
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=-3", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("cursor=bogus", "cursor")]
    [TestCase("cursor=-20", "cursor")]
    public async Task Find_refuses_a_bad_limit_or_cursor_with_the_field_named(string query, string field)
    {
        var problem = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers?q=Smith&{query}"), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task A_change_of_details_shows_now_and_history_as_at_before_it_shows_the_old_details()
    {
        var oldEmail = Unique("old.") + "@example.com";
        var id = await Register("Cat", "Stevens", oldEmail, "01242 111111", _uprn);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50); // two instants the database clock can tell apart
        var newEmail = Unique("new.") + "@example.com";
        var patch = await _advisor.PatchAsync($"{Base}/customers/{id}", new { email = newEmail, uprn = _otherUprn });
        await ApiClient.Expect(patch, HttpStatusCode.OK);
        Assert.That(patch.Headers.Contains("X-Event-Position"), Is.True);

        var now = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(now["email"]!.GetValue<string>(), Is.EqualTo(newEmail));
        Assert.That(now["address"]!["uprn"]!.GetValue<long>(), Is.EqualTo(_otherUprn));
        Assert.That(now["phone"]!.GetValue<string>(), Is.EqualTo("01242 111111"), "a field not sent stays");

        var then = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/history?asAt={Uri.EscapeDataString(before.ToString("O"))}"), HttpStatusCode.OK);
        Assert.That(then["email"]!.GetValue<string>(), Is.EqualTo(oldEmail));
        Assert.That(then["address"]!["uprn"]!.GetValue<long>(), Is.EqualTo(_uprn));

        var beforeItExisted = await _advisor.GetAsync($"{Base}/customers/{id}/history?asAt=2000-01-01T00:00:00Z");
        await ApiClient.Expect(beforeItExisted, HttpStatusCode.NotFound);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/history?asAt=yesterday"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.PatchAsync($"{Base}/customers/{id}", new { firstName = "Yusuf" }), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_logged_contact_counts_on_the_single_view()
    {
        var id = await Register("Dora", "Explorer");
        var response = await _advisor.PostAsync($"{Base}/customers/{id}/contacts",
            new { channel = "phone", reason = "Missed bin", notes = "Blue bin not emptied", resolvedAtFirstContact = true });
        var created = await ApiClient.Expect(response, HttpStatusCode.Created);
        Assert.That(created["id"]!.GetValue<string>(), Is.Not.Empty);
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(view["contactCount"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(view["lastContactAt"], Is.Not.Null);

        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{id}/contacts", new { channel = "pigeon", reason = "x", resolvedAtFirstContact = true }), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{id}/contacts", new { channel = "email", reason = "x" }), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{Guid.NewGuid()}/contacts", new { channel = "email", reason = "x", resolvedAtFirstContact = false }), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_merged_duplicate_answers_404_with_merged_into()
    {
        var survivor = await Register("Eve", "Merger", Unique("eve.") + "@example.com");
        var duplicate = await Register("Eve", "Merger");
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{duplicate}/contacts",
            new { channel = "email", reason = "Council tax", resolvedAtFirstContact = false }), HttpStatusCode.Created);

        var merge = await _advisor.PostAsync($"{Base}/customers/{survivor}/merge", new { duplicateId = duplicate });
        await ApiClient.Expect(merge, HttpStatusCode.OK);

        var gone = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{duplicate}"), HttpStatusCode.NotFound);
        Assert.That(gone["mergedInto"]!.GetValue<string>(), Is.EqualTo(survivor));
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{survivor}"), HttpStatusCode.OK);
        Assert.That(view["contactCount"]!.GetValue<int>(), Is.EqualTo(1), "the duplicate's contacts join the survivor");

        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{survivor}/merge", new { duplicateId = survivor }), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{survivor}/merge", new { duplicateId = duplicate }), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Flags_show_who_set_them_why_and_when_to_review()
    {
        var id = await Register("Fay", "Flagged");
        var set = await _advisor.PostAsync($"{Base}/customers/{id}/flags", new { kind = "interpreter", details = "Polish", reason = "Asked on the phone", reviewOn = "2027-06-01" });
        var flagId = (await ApiClient.Expect(set, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        var flag = view["flags"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(flag["kind"]!.GetValue<string>(), Is.EqualTo("interpreter"));
            Assert.That(flag["setBy"]!.GetValue<string>(), Is.EqualTo("advisor"));
            Assert.That(flag["reason"]!.GetValue<string>(), Is.EqualTo("Asked on the phone"));
            Assert.That(flag["reviewOn"]!.GetValue<string>(), Is.EqualTo("2027-06-01"));
        });
        await ApiClient.Expect(await _advisor.Http.DeleteAsync($"{Base}/customers/{id}/flags/{flagId}"), HttpStatusCode.OK);
        view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(view["flags"]!.AsArray(), Is.Empty);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{id}/flags", new { kind = "vip", reason = "x" }), HttpStatusCode.BadRequest);
    }

    [TestCase("cllr.cheltenham", "member")]
    [TestCase("waste.officer", "service-officer")]
    [TestCase("auditor", "auditor")]
    public async Task Only_advisors_and_partnership_admins_export_or_erase_a_customer(string user, string role)
    {
        var id = await Register("Petra", "Protected", Unique("kept.") + "@example.com");
        using var caller = ApiClient.As(_host, user, role, Council);
        Assert.That((await caller.GetAsync($"{Base}/customers/{id}/export")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await caller.PostAsync($"{Base}/customers/{id}/erasure", new { reason = "asked" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(view["firstName"]!.GetValue<string>(), Is.EqualTo("Petra"), "nothing was erased");
        using var admin = ApiClient.As(_host, "admin", "partnership-admin", Council);
        await ApiClient.Expect(await admin.GetAsync($"{Base}/customers/{id}/export"), HttpStatusCode.OK);
    }

    [Test]
    public async Task Erasure_makes_personal_data_unreadable_but_keeps_the_record_and_its_timeline()
    {
        var email = Unique("gone.") + "@example.com";
        var id = await Register("Gideon", "Forgotten", email, "01242 999999", _uprn);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{id}/contacts",
            new { channel = "letter", reason = "Complaint", notes = "Gideon wrote in about his neighbour", resolvedAtFirstContact = false }), HttpStatusCode.Created);
        // Advisors type the reason freely, so it can name the customer too.
        var named = await _advisor.PostAsync($"{Base}/customers/{id}/contacts",
            new { channel = "phone", reason = "Mr Forgotten garden bin", resolvedAtFirstContact = true });
        await ApiClient.Expect(named, HttpStatusCode.Created);
        using var first = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{id}/timeline");
        first.Headers.Add("X-Min-Position", named.Headers.GetValues("X-Event-Position").Single());
        var before = await ApiClient.Expect(await _advisor.Http.SendAsync(first), HttpStatusCode.OK);
        Assert.That(before.ToJsonString(), Does.Contain("Mr Forgotten garden bin"), "readable until the erasure");

        var erasure = await _advisor.PostAsync($"{Base}/customers/{id}/erasure", new { reason = "Subject's request under UK GDPR Art. 17" });
        await ApiClient.Expect(erasure, HttpStatusCode.OK);
        var erasedAt = erasure.Headers.GetValues("X-Event-Position").Single();

        var view = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(view["erased"]!.GetValue<bool>(), Is.True);
        Assert.That(view["firstName"], Is.Null);
        Assert.That(view["email"], Is.Null);

        var export = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/export"), HttpStatusCode.OK);
        var text = export.ToJsonString();
        Assert.That(text, Does.Not.Contain("Gideon").And.Not.Contain(email).And.Not.Contain("neighbour").And.Not.Contain("Forgotten"));
        using var read = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{id}/timeline");
        read.Headers.Add("X-Min-Position", erasedAt);
        var timeline = await ApiClient.Expect(await _advisor.Http.SendAsync(read), HttpStatusCode.OK);
        Assert.That(timeline.ToJsonString(), Does.Not.Contain("Forgotten").And.Contain("Phone contact: (reason erased) (resolved at first contact)"));
        await using (var tables = await _host.Database.OpenAdminAsync())
        {
            await using var kept = new NpgsqlCommand("select count(*) from customer.timeline where summary like '%Forgotten%' or summary_after_erasure like '%Forgotten%'", tables);
            Assert.That((long)(await kept.ExecuteScalarAsync())!, Is.Zero, "nor in the timeline's table");
        }
        Assert.That(export["timeline"]!.AsArray(), Has.Count.GreaterThanOrEqualTo(3), "entries remain, without personal data");

        // Nowhere in the database, in the clear.
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select string_agg(event_type, ', ') from es.events where data::text like '%Gideon%' or data::text like '%neighbour%' or data::text like '%Forgotten%'", admin);
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo(DBNull.Value));
        await using var rows = new NpgsqlCommand("select count(*) from customer.customers where first_name = 'Gideon'", admin);
        Assert.That((long)(await rows.ExecuteScalarAsync())!, Is.Zero);
        await using var contacts = new NpgsqlCommand("select count(*) from customer.contacts where reason like '%Forgotten%'", admin);
        Assert.That((long)(await contacts.ExecuteScalarAsync())!, Is.Zero);

        await ApiClient.Expect(await _advisor.PatchAsync($"{Base}/customers/{id}", new { email = "back@example.com" }), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Another_councils_customer_is_404_and_a_council_you_do_not_serve_is_403()
    {
        var id = await Register("Hal", "Elsewhere");
        await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cotswold/customers/{id}"), HttpStatusCode.NotFound);
        await ApiClient.Expect(await _cotswoldAdvisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.Forbidden);
        using var anonymous = _host.CreateClient();
        Assert.That((await anonymous.GetAsync($"{Base}/customers/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var auditor = ApiClient.As(_host, "auditor", "auditor", "cheltenham");
        await ApiClient.Expect(await auditor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        await ApiClient.Expect(await auditor.PostAsync($"{Base}/customers", new { firstName = "A", lastName = "B" }), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Export_holds_every_field_and_contact_notes()
    {
        var id = await Register("Ivy", "Exporter", Unique("ivy.") + "@example.com");
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{id}/contacts",
            new { channel = "web", reason = "Parking permit", notes = "Needs a visitor permit", resolvedAtFirstContact = true }), HttpStatusCode.Created);
        var export = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/export"), HttpStatusCode.OK);
        Assert.That(export["customer"]!["firstName"]!.GetValue<string>(), Is.EqualTo("Ivy"));
        Assert.That(export["contacts"]!.AsArray().Single()!["notes"]!.GetValue<string>(), Is.EqualTo("Needs a visitor permit"));
        Assert.That(export["events"]!.AsArray(), Has.Count.EqualTo(2));
    }
}

/// <summary>A card number anywhere in a request is refused and leaves no trace.</summary>
public class CardNumberRefusalTests
{
    [Test]
    public async Task A_card_number_in_contact_notes_is_refused_and_never_reaches_the_database()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        var created = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Pat", lastName = "Payer" }), System.Net.HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        var response = await advisor.PostAsync($"/api/councils/cheltenham/customers/{id}/contacts",
            new { channel = "phone", reason = "Payment", notes = "card 4111 1111 1111 1111 exp 12/29", resolvedAtFirstContact = true });
        var problem = await ApiClient.Expect(response, System.Net.HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["notes"], Is.Not.Null);
        problem.AsObject().Remove("traceId"); // random hex, which may hold "4111" by chance
        Assert.That(problem.ToJsonString(), Does.Not.Contain("4111"));

        var search = await advisor.GetAsync("/api/councils/cheltenham/customers?q=4111111111111111");
        await ApiClient.Expect(search, System.Net.HttpStatusCode.BadRequest);

        await using var admin = await host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*) from es.events where data::text ~ '4111[ -]?1111' or metadata::text ~ '4111[ -]?1111'", admin);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero);
    }
}
