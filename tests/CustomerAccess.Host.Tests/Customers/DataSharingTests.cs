using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>
/// Data-sharing agreements take effect (api-contract.md, Councils): a council that shares customer identity
/// with another lets that council's users find its customers' name, email, phone and address in search
/// (<c>sharedMatches</c>, beside and never inside <c>items</c>) and register them there from those details.
/// Directional, withdrawn at once, never erased or merged-away customers, never for members or auditors.
/// </summary>
public partial class DataSharingTests
{
    private HostFixture _host = null!;
    private ApiClient _admin = null!;
    private ApiClient _advisor = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>A surname no seed or other test uses (letters only, so the name search treats it as a name).</summary>
    private static string Surname(string stem) =>
        stem + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + (c % 26))).Take(8).ToArray());

    private async Task Share(string owner, string viewer, bool share) =>
        await ApiClient.Expect(await _admin.Http.PutAsJsonAsync($"/api/councils/{owner}/data-sharing/{viewer}", new { shareCustomerIdentity = share }),
            HttpStatusCode.OK);

    private async Task<long> CurrentUprn(string council)
    {
        await using var db = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(
            "select uprn from customer.addresses where tenant_id = $1 and logical_status = 1 and postcode is not null order by uprn limit 1", db);
        cmd.Parameters.AddWithValue(council);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string> Register(string council, string first, string last, string? email = null, string? phone = null, long? uprn = null)
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/{council}/customers",
            new { firstName = first, lastName = last, email, phone, uprn, dateOfBirth = "1961-07-04" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> Find(ApiClient client, string council, string q, string? extra = null) =>
        await ApiClient.Expect(await client.GetAsync($"/api/councils/{council}/customers?q={Uri.EscapeDataString(q)}{extra}"), HttpStatusCode.OK);

    private static List<string> Ids(JsonNode body, string field) =>
        body[field]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

    [Test]
    public async Task An_agreement_shows_the_sharing_councils_customers_at_the_other_one_only_and_withdrawing_it_hides_them_at_once()
    {
        var last = Surname("Ashcombe");
        var email = last.ToLowerInvariant() + "@example.com";
        var cotswoldUprn = await CurrentUprn("cotswold");
        var atCotswold = await Register("cotswold", "Harriet", last, email, "01285 623000", cotswoldUprn);
        var atCheltenham = await Register("cheltenham", "Harold", last);

        // No agreement: neither council sees anything of the other's, and the field is there, empty.
        var none = await Find(_advisor, "cheltenham", "Harriet " + last);
        Assert.That(none["sharedMatches"]!.AsArray(), Is.Empty);
        Assert.That(Ids(none, "items"), Does.Not.Contain(atCotswold));

        // Only cheltenham shares with cotswold: cotswold sees cheltenham's Harold, cheltenham still sees nothing of cotswold's.
        await Share("cheltenham", "cotswold", true);
        Assert.That(Ids(await Find(_advisor, "cheltenham", email), "sharedMatches"), Is.Empty, "an agreement the other way round shows nothing here");
        var atCotswoldSearch = await Find(_advisor, "cotswold", "Harold " + last);
        Assert.That(Ids(atCotswoldSearch, "sharedMatches"), Does.Contain(atCheltenham));
        Assert.That(Ids(atCotswoldSearch, "items"), Does.Not.Contain(atCheltenham));

        // Cotswold shares with cheltenham: its customer shows there, identity only, beside cheltenham's own items.
        await Share("cotswold", "cheltenham", true);
        var byEmail = await Find(_advisor, "cheltenham", email);
        Assert.That(byEmail["items"]!.AsArray(), Is.Empty, "items stay cheltenham's own customers");
        var match = byEmail["sharedMatches"]!.AsArray().Single()!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(match["council"]!.GetValue<string>(), Is.EqualTo("cotswold"));
            Assert.That(match["councilName"]!.GetValue<string>(), Is.EqualTo("Cotswold District Council"));
            Assert.That(match["id"]!.GetValue<string>(), Is.EqualTo(atCotswold));
            Assert.That(match["firstName"]!.GetValue<string>(), Is.EqualTo("Harriet"));
            Assert.That(match["lastName"]!.GetValue<string>(), Is.EqualTo(last));
            Assert.That(match["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(match["phone"]!.GetValue<string>(), Is.EqualTo("01285 623000"));
            Assert.That(match["address"]!["uprn"]!.GetValue<long>(), Is.EqualTo(cotswoldUprn));
            Assert.That(match["address"]!["lines"]!.AsArray(), Is.Not.Empty, "the address as the owning council's gazetteer has it");
            Assert.That(match.Select(p => p.Key), Is.EquivalentTo(new[] { "council", "councilName", "id", "firstName", "lastName", "email", "phone", "address" }),
                "identity only: no date of birth, flags, cases or contacts");
        });
        var byName = await Find(_advisor, "cheltenham", "Harriet " + last);
        Assert.That(Ids(byName, "items"), Is.EqualTo(new[] { atCheltenham }), "cheltenham's own Harold stays in items, and only he");
        Assert.That(Ids(byName, "sharedMatches"), Does.Contain(atCotswold));
        Assert.That((await Find(_advisor, "cheltenham", "Harriet " + last, "&cursor=20"))["sharedMatches"]!.AsArray(), Is.Empty,
            "shared matches come with the first page only");

        // The customer still belongs to cotswold: at cheltenham their record is a 404, as without an agreement.
        await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cheltenham/customers/{atCotswold}"), HttpStatusCode.NotFound);
        await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cheltenham/customers/{atCotswold}/timeline"), HttpStatusCode.NotFound);

        // Withdrawn: gone on the very next request.
        await Share("cotswold", "cheltenham", false);
        Assert.That((await Find(_advisor, "cheltenham", email))["sharedMatches"]!.AsArray(), Is.Empty);
        Assert.That(Ids(await Find(_advisor, "cotswold", "Harold " + last), "sharedMatches"), Does.Contain(atCheltenham),
            "the other direction's agreement is its own");
        await Share("cheltenham", "cotswold", false);
        Assert.That((await Find(_advisor, "cotswold", "Harold " + last))["sharedMatches"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Erased_and_merged_away_customers_of_the_sharing_council_never_show()
    {
        await Share("forest-of-dean", "west-oxfordshire", true);
        var last = Surname("Brockweir");
        var kept = await Register("forest-of-dean", "Ivy", last, last.ToLowerInvariant() + "@example.com");
        var duplicate = await Register("forest-of-dean", "Ivy", last);
        var erased = await Register("forest-of-dean", "Ivo", last, "ivo." + last.ToLowerInvariant() + "@example.com");
        Assert.That(Ids(await Find(_advisor, "west-oxfordshire", last), "sharedMatches"), Is.EquivalentTo(new[] { kept, duplicate, erased }));

        await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/forest-of-dean/customers/{kept}/merge", new { duplicateId = duplicate }), HttpStatusCode.OK);
        await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/forest-of-dean/customers/{erased}/erasure", new { reason = "Subject's request" }),
            HttpStatusCode.OK);

        Assert.That(Ids(await Find(_advisor, "west-oxfordshire", last), "sharedMatches"), Is.EqualTo(new[] { kept }));
        Assert.That((await Find(_advisor, "west-oxfordshire", "ivo." + last.ToLowerInvariant() + "@example.com"))["sharedMatches"]!.AsArray(), Is.Empty);
        var fromErased = await _advisor.PostAsync("/api/councils/west-oxfordshire/customers",
            new { firstName = "Ivo", lastName = last, sharedFrom = new { council = "forest-of-dean", customerId = erased } });
        var problem = await ApiClient.Expect(fromErased, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["sharedFrom"], Is.Not.Null);
        var fromMerged = await _advisor.PostAsync("/api/councils/west-oxfordshire/customers",
            new { firstName = "Ivy", lastName = last, sharedFrom = new { council = "forest-of-dean", customerId = duplicate } });
        await ApiClient.Expect(fromMerged, HttpStatusCode.BadRequest);
    }

    [TestCase("advisor", "advisor", true)]
    [TestCase("waste.officer", "service-officer", true)]
    [TestCase("admin", "partnership-admin", true)]
    [TestCase("cllr.west-oxfordshire", "member", false)]
    [TestCase("auditor", "auditor", false)]
    public async Task Who_sees_shared_matches(string name, string role, bool sees)
    {
        await Share("forest-of-dean", "west-oxfordshire", true);
        var last = Surname("Coleford");
        var id = await Register("forest-of-dean", "Jack", last);
        using var caller = ApiClient.As(_host, name, role, "west-oxfordshire");
        var found = await Find(caller, "west-oxfordshire", "Jack " + last);
        Assert.That(found["sharedMatches"]!.AsArray(), Is.Not.Null, "the field is always there");
        Assert.That(Ids(found, "sharedMatches").Contains(id), Is.EqualTo(sees));
    }

    [Test]
    public async Task Registering_from_a_shared_identity_checks_the_agreement_and_records_the_source_on_the_timeline()
    {
        await Share("west-oxfordshire", "forest-of-dean", true);
        var last = Surname("Dunsford");
        var source = await Register("west-oxfordshire", "Kit", last, last.ToLowerInvariant() + "@example.com", "01993 861000");

        var created = await _advisor.PostAsync("/api/councils/forest-of-dean/customers", new
        {
            firstName = "Kit", lastName = last, email = last.ToLowerInvariant() + "@example.com", phone = "01993 861000",
            sharedFrom = new { council = "west-oxfordshire", customerId = source },
        });
        var id = (await ApiClient.Expect(created, HttpStatusCode.Created))["id"]!.GetValue<string>();
        Assert.That(id, Is.Not.EqualTo(source), "a new customer of forest-of-dean, not the other council's");
        var view = await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/forest-of-dean/customers/{id}"), HttpStatusCode.OK);
        Assert.That(view["lastName"]!.GetValue<string>(), Is.EqualTo(last));
        Assert.That(view["dateOfBirth"]?.GetValue<string>(), Is.Null, "a date of birth is never shared");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/councils/forest-of-dean/customers/{id}/timeline");
        request.Headers.Add("X-Min-Position", created.Headers.GetValues("X-Event-Position").Single());
        var timeline = await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
        var entry = timeline["items"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "customer.registered-from-shared-identity")!;
        Assert.That(entry["summary"]!.GetValue<string>(), Does.Contain("West Oxfordshire District Council"));
        Assert.That(entry["reference"]!.GetValue<string>(), Is.EqualTo($"west-oxfordshire/{source}"));
        Assert.That(entry["summary"]!.GetValue<string>(), Does.Not.Contain(last), "no personal data on the timeline line");

        // Now it is forest-of-dean's own customer (items), and west-oxfordshire's is still a shared match beside it.
        var found = await Find(_advisor, "forest-of-dean", "Kit " + last);
        Assert.That(Ids(found, "items"), Is.EqualTo(new[] { id }));
        Assert.That(Ids(found, "sharedMatches"), Is.EqualTo(new[] { source }));
    }

    [Test]
    public async Task A_shared_source_that_is_not_shared_is_refused_and_writes_nothing()
    {
        var last = Surname("Eastleach");
        var atCotswold = await Register("cotswold", "Lola", last);
        var before = await EventCount("west-oxfordshire");

        async Task<JsonNode> Refused(object? sharedFrom, HttpStatusCode status, string? user = null, string? role = null)
        {
            using var caller = user is null ? null : ApiClient.As(_host, user, role!, "west-oxfordshire");
            var response = await (caller ?? _advisor).PostAsync("/api/councils/west-oxfordshire/customers",
                new { firstName = "Lola", lastName = last, sharedFrom });
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            return await ApiClient.Expect(response, status);
        }

        // cotswold shares with nobody here (and west-oxfordshire shares with cotswold, the other way round).
        await Share("west-oxfordshire", "cotswold", true);
        var noAgreement = await Refused(new { council = "cotswold", customerId = atCotswold }, HttpStatusCode.BadRequest);
        Assert.That(noAgreement["errors"]!["sharedFrom"], Is.Not.Null);
        // Unknown councils and customers, the council itself, and a half-given source: the same kind of 400.
        await Refused(new { council = "nowhere", customerId = atCotswold }, HttpStatusCode.BadRequest);
        await Share("cotswold", "west-oxfordshire", true);
        await Refused(new { council = "cotswold", customerId = Guid.NewGuid().ToString() }, HttpStatusCode.BadRequest);
        await Refused(new { council = "west-oxfordshire", customerId = atCotswold }, HttpStatusCode.BadRequest);
        await Refused(new { council = "cotswold" }, HttpStatusCode.BadRequest);
        await Refused(new { council = "Bad Council!", customerId = "x" }, HttpStatusCode.BadRequest);
        // Shared, but a member may not use other councils' residents' details.
        await Refused(new { council = "cotswold", customerId = atCotswold }, HttpStatusCode.Forbidden, "cllr.west-oxfordshire", "member");
        Assert.That(await EventCount("west-oxfordshire"), Is.EqualTo(before), "no refused registration wrote anything");
        await Share("cotswold", "west-oxfordshire", false);
        await Share("west-oxfordshire", "cotswold", false);
    }

    private async Task<long> EventCount(string council)
    {
        await using var db = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from es.events where tenant_id = $1 and event_type like 'customer.%'", db);
        cmd.Parameters.AddWithValue(council);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
