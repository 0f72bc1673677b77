using System.Net;
using System.Net.Http.Json;

namespace CustomerAccess.Host.Tests;

/// <summary>Councils and data sharing (api-contract.md, Councils), and who may act for which council.</summary>
public class CouncilsTests
{
    private static readonly string[] FourCouncils = ["cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire"];
    private HostFixture _host = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync();
        _admin = await Api.AsAsync(_host, "admin");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private static async Task<List<string>> CouncilIds(HttpClient client)
    {
        var body = await (await client.GetAsync("/api/councils")).JsonAsync();
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    [TestCase("advisor", new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" })]
    [TestCase("advisor.cotswold", new[] { "cotswold" })]
    [TestCase("cllr.cheltenham", new[] { "cheltenham" })]
    [TestCase("waste.officer", new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" })]
    [TestCase("auditor", new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" })]
    public async Task Each_caller_sees_only_the_councils_they_act_for(string user, string[] expected)
    {
        using var client = await Api.AsAsync(_host, user);
        Assert.That(await CouncilIds(client), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task The_partnership_admin_sees_every_council_with_name_and_contact_number()
    {
        var body = await (await _admin.GetAsync("/api/councils")).JsonAsync();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("id").GetString()), Is.SupersetOf(FourCouncils));
        var cotswold = items.Single(i => i.GetProperty("id").GetString() == "cotswold");
        Assert.That(cotswold.GetProperty("name").GetString(), Is.EqualTo("Cotswold District Council"));
        Assert.That(cotswold.GetProperty("contactNumber").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task A_council_carries_its_service_standards_and_bank_holidays()
    {
        var body = await (await _admin.GetAsync("/api/councils/forest-of-dean")).JsonAsync();
        Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("Forest of Dean District Council"));
        Assert.That(body.GetProperty("daysToResolve").GetProperty("complaint").GetInt32(), Is.GreaterThan(0));
        var holidays = body.GetProperty("bankHolidays").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.That(holidays, Does.Contain("2025-12-25").And.Contain("2026-12-28").And.Contain("2027-03-26"));
        // Past the published list, by the usual rules: New Year's substitute, Easter, Christmas.
        Assert.That(holidays, Does.Contain("2028-01-03").And.Contain("2028-04-14").And.Contain("2028-04-17").And.Contain("2040-12-25")
            .And.Not.Contain("2028-01-01"));
    }

    [Test]
    public async Task A_fifth_council_onboarded_while_running_is_usable_at_once()
    {
        var created = await _admin.PostAsJsonAsync("/api/councils",
            new { id = "stroud", name = "Stroud District Council", contactNumber = "01453 766321" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Contains("X-Event-Position"), Is.True);
        Assert.That((await created.JsonAsync()).GetProperty("id").GetString(), Is.EqualTo("stroud"));

        Assert.That(await CouncilIds(_admin), Does.Contain("stroud"));
        Assert.That((await _admin.GetAsync("/api/councils/stroud")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var sharing = await _admin.PutAsJsonAsync("/api/councils/stroud/data-sharing/cotswold", new { shareCustomerIdentity = true });
        Assert.That(sharing.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var again = await _admin.PostAsJsonAsync("/api/councils", new { id = "stroud", name = "Stroud again", contactNumber = "01453 766321" });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        await using var db = await _host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*) from es.events where tenant_id = 'stroud' and event_type = 'tenancy.council-onboarded'", db);
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo(1L), "onboarding is recorded as an event of the new council");
    }

    [TestCase("Bad_Id")]
    [TestCase("x")]
    [TestCase("a-council-id-that-is-far-longer-than-forty-characters")]
    public async Task A_malformed_council_id_is_a_400_naming_the_field(string id)
    {
        var response = await _admin.PostAsJsonAsync("/api/councils", new { id, name = "Some Council", contactNumber = "01234 567890" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.JsonAsync()).GetProperty("errors").TryGetProperty("id", out _), Is.True);
    }

    [Test]
    public async Task Only_a_partnership_admin_onboards_councils_or_records_data_sharing()
    {
        using var advisor = await Api.AsAsync(_host, "advisor");
        var onboard = await advisor.PostAsJsonAsync("/api/councils", new { id = "tewkesbury", name = "Tewkesbury Borough Council", contactNumber = "01684 295010" });
        Assert.That(onboard.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var share = await advisor.PutAsJsonAsync("/api/councils/cotswold/data-sharing/cheltenham", new { shareCustomerIdentity = true });
        Assert.That(share.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(share.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_council_you_do_not_serve_is_403_and_an_unknown_one_leaks_nothing()
    {
        using var cotswoldOnly = await Api.AsAsync(_host, "advisor.cotswold");
        Assert.That((await cotswoldOnly.GetAsync("/api/councils/cotswold")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await cotswoldOnly.GetAsync("/api/councils/cheltenham")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await cotswoldOnly.GetAsync("/api/councils/no-such-council")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "a caller who does not serve every council cannot tell an unknown council from one they do not serve");
        var unknown = await _admin.GetAsync("/api/councils/no-such-council");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Data_sharing_is_recorded_as_events_and_belongs_to_the_sharing_council()
    {
        var put = await _admin.PutAsJsonAsync("/api/councils/cheltenham/data-sharing/forest-of-dean", new { shareCustomerIdentity = true });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(put.Headers.Contains("X-Event-Position"), Is.True);
        Assert.That((await _admin.GetAsync("/api/councils/cheltenham/data-sharing/forest-of-dean")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // The agreement is cheltenham's: asked for under another council it does not exist (404, row-level security underneath).
        Assert.That((await _admin.GetAsync("/api/councils/forest-of-dean/data-sharing/cheltenham")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var sharing = (Platform.Web.IDataSharing)_host.Services.GetService(typeof(Platform.Web.IDataSharing))!;
        Assert.That(await sharing.SharesCustomerIdentityAsync("cheltenham", "forest-of-dean"), Is.True);
        Assert.That(await sharing.SharesCustomerIdentityAsync("forest-of-dean", "cheltenham"), Is.False);
        Assert.That(await sharing.CouncilsSharingCustomerIdentityWithAsync("forest-of-dean"), Does.Contain("cheltenham"));
        Assert.That(await sharing.CouncilsSharingCustomerIdentityWithAsync("cheltenham"), Does.Not.Contain("forest-of-dean"), "agreements are directional");

        var withdraw = await _admin.PutAsJsonAsync("/api/councils/cheltenham/data-sharing/forest-of-dean", new { shareCustomerIdentity = false });
        Assert.That(withdraw.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await sharing.SharesCustomerIdentityAsync("cheltenham", "forest-of-dean"), Is.False);
        Assert.That(await sharing.CouncilsSharingCustomerIdentityWithAsync("forest-of-dean"), Does.Not.Contain("cheltenham"), "withdrawn at once");

        await using var db = await _host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*) from es.events where tenant_id = 'cheltenham' and event_type = 'tenancy.data-sharing-changed'", db);
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo(2L));
    }

    [Test]
    public async Task Data_sharing_validates_its_body_and_the_other_council()
    {
        var missing = await _admin.PutAsJsonAsync("/api/councils/cheltenham/data-sharing/cotswold", new { });
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var unknown = await _admin.PutAsJsonAsync("/api/councils/cheltenham/data-sharing/nowhere", new { shareCustomerIdentity = true });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var self = await _admin.PutAsJsonAsync("/api/councils/cheltenham/data-sharing/cheltenham", new { shareCustomerIdentity = true });
        Assert.That(self.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
