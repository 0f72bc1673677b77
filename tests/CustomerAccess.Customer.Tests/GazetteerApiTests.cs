using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Customer.Tests;

/// <summary>The contract's Addresses section through HTTP, on the seeded local gazetteer.</summary>
public class GazetteerApiTests
{
    private CustomerHost _host = null!;
    private HttpClient _advisor = null!;
    private HttpClient _cotswoldAdvisor = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await CustomerHost.StartAsync();
        _advisor = _host.ClientAs("advisor", Roles.Advisor, "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire");
        _cotswoldAdvisor = _host.ClientAs("advisor.cotswold", Roles.Advisor, "cotswold");
        _admin = _host.ClientAs("admin", Roles.PartnershipAdmin, AccessClaims.AllCouncils);
        // Imports into councils of their own, so the seeded gazetteers stay as they are.
        foreach (var council in new[] { "import-test", "import-test-2", "import-test-3" })
        {
            var onboarded = await _admin.PostAsJsonAsync("/api/councils", new { id = council, name = "Test " + council, contactNumber = "01632 960000" });
            Assert.That(onboarded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await onboarded.Content.ReadAsStringAsync());
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _cotswoldAdvisor.Dispose();
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private sealed record Item(long Uprn, string[] Lines, string? Postcode);

    private sealed record Page(Item[] Items, string? Next);

    private static async Task<Page> Lookup(HttpClient client, string council, string q)
    {
        var response = await client.GetAsync($"/api/councils/{council}/addresses?q={Uri.EscapeDataString(q)}&limit=100");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Page>())!;
    }

    [Test]
    public async Task Lookup_by_street_returns_uprn_lines_and_postcode()
    {
        var page = await Lookup(_advisor, "cheltenham", "suffolk road");
        Assert.That(page.Items, Is.Not.Empty);
        Assert.That(page.Items, Has.All.Matches<Item>(i => i.Lines.Any(l => l.EndsWith("Suffolk Road", StringComparison.Ordinal))));
        Assert.That(page.Items, Has.All.Matches<Item>(i => i.Postcode!.StartsWith("GL50 2", StringComparison.Ordinal)));
        var json = await _advisor.GetStringAsync("/api/councils/cheltenham/addresses?q=suffolk+road&limit=1");
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("items")[0].TryGetProperty("uprn", out _), Is.True);
        Assert.That(doc.RootElement.TryGetProperty("next", out _), Is.True);
    }

    [Test]
    public async Task Lookup_by_postcode_with_or_without_the_space_in_any_case()
    {
        var sample = (await Lookup(_advisor, "cheltenham", "12 hales road")).Items.Single();
        var postcode = sample.Postcode!;
        foreach (var q in new[] { postcode, postcode.ToLowerInvariant(), postcode.Replace(" ", "", StringComparison.Ordinal), " " + postcode.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal) + " " })
        {
            var page = await Lookup(_advisor, "cheltenham", q);
            Assert.That(page.Items.Select(i => i.Uprn), Does.Contain(sample.Uprn), q);
            Assert.That(page.Items, Has.All.Matches<Item>(i => i.Postcode == postcode), q);
        }
        Assert.That(sample.Lines[0], Is.EqualTo("12 Hales Road"));
    }

    [Test]
    public async Task Lookup_by_house_name_and_town_across_seeded_councils()
    {
        Assert.That((await Lookup(_advisor, "cotswold", "cirencester")).Items, Is.Not.Empty);
        Assert.That((await Lookup(_advisor, "forest-of-dean", "GL16")).Items, Has.All.Matches<Item>(i => i.Postcode!.StartsWith("GL16", StringComparison.Ordinal)));
        Assert.That((await Lookup(_advisor, "west-oxfordshire", "corn street witney")).Items, Is.Not.Empty);
        Assert.That((await Lookup(_advisor, "cheltenham", "old smithy")).Items, Is.Empty, "historical addresses are not offered");
    }

    [Test]
    public async Task A_councils_lookup_never_returns_another_councils_addresses()
    {
        Assert.That((await Lookup(_advisor, "cotswold", "GL50")).Items, Is.Empty);
        Assert.That((await Lookup(_advisor, "cotswold", "montpellier walk")).Items, Is.Empty);
        Assert.That((await Lookup(_advisor, "cheltenham", "cirencester")).Items, Is.Empty);
    }

    [Test]
    public async Task One_address_by_uprn_and_404_from_another_council()
    {
        var sample = (await Lookup(_advisor, "cheltenham", "12 hales road")).Items.Single();
        var one = await _advisor.GetFromJsonAsync<Item>($"/api/councils/cheltenham/addresses/{sample.Uprn}");
        Assert.That(one, Is.EqualTo(sample with { }).Using<Item>((a, b) => a.Uprn == b.Uprn && a.Lines.SequenceEqual(b.Lines) && a.Postcode == b.Postcode));

        var other = await _advisor.GetAsync($"/api/councils/cotswold/addresses/{sample.Uprn}");
        await AssertProblem(other, HttpStatusCode.NotFound);
        await AssertProblem(await _advisor.GetAsync("/api/councils/cheltenham/addresses/999999999999"), HttpStatusCode.NotFound);
    }

    [TestCase("abc")]
    [TestCase("1234567890123")]
    [TestCase("-5")]
    public async Task A_uprn_that_is_not_a_number_is_a_400(string uprn) =>
        await AssertProblem(await _advisor.GetAsync($"/api/councils/cheltenham/addresses/{uprn}"), HttpStatusCode.BadRequest);

    [TestCase("")]
    [TestCase("ab")]
    [TestCase(" ,  ")]
    public async Task An_empty_or_too_short_query_is_a_400(string q) =>
        await AssertProblem(await _advisor.GetAsync($"/api/councils/cheltenham/addresses?q={Uri.EscapeDataString(q)}"), HttpStatusCode.BadRequest);

    [Test]
    public async Task A_missing_query_is_a_400() =>
        await AssertProblem(await _advisor.GetAsync("/api/councils/cheltenham/addresses"), HttpStatusCode.BadRequest);

    [Test]
    public async Task Paging_hands_out_a_cursor_until_the_last_page()
    {
        var first = await (await _advisor.GetAsync("/api/councils/cheltenham/addresses?q=GL5&limit=50")).Content.ReadFromJsonAsync<Page>();
        Assert.That(first!.Next, Is.Not.Null);
        var second = await _advisor.GetFromJsonAsync<Page>($"/api/councils/cheltenham/addresses?q=GL5&limit=50&cursor={first.Next}");
        Assert.That(second!.Items.Select(i => i.Uprn), Is.Not.SubsetOf(first.Items.Select(i => i.Uprn)));
    }

    [Test]
    public async Task Councils_the_caller_does_not_serve_are_403_and_no_sign_in_is_401()
    {
        Assert.That((await _cotswoldAdvisor.GetAsync("/api/councils/cheltenham/addresses?q=hales")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var anonymous = _host.CreateClient();
        Assert.That((await anonymous.GetAsync("/api/councils/cheltenham/addresses?q=hales")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static readonly string ImportFile = Dtf.File(
        Dtf.Header(),
        Dtf.Street(90000001),
        Dtf.Descriptor(90000001, "Test Lane", null, "Testbury"),
        Dtf.Blpu(900000000001),
        Dtf.Lpi(900000000001, "9000L000000001", 90000001, "GL50 9ZZ", pao: Dtf.Part(1)),
        Dtf.Lpi(900000000002, "9000L000000002", 90000001, "GL50 9ZZ", pao: Dtf.Part(2)),
        Dtf.Trailer(7));

    private sealed record Report(int Imported, int Updated, int Deleted, Rejection[] Rejected);

    private sealed record Rejection(int Line, string Reason);

    [Test]
    public async Task Import_reports_counts_and_rejections_and_a_second_run_changes_nothing()
    {
        var first = await Post(_admin, "import-test", ImportFile, "text/csv");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        var report = await first.Content.ReadFromJsonAsync<Report>();
        Assert.That((report!.Imported, report.Updated, report.Deleted), Is.EqualTo((4, 0, 0)));
        Assert.That(report.Rejected.Single().Line, Is.EqualTo(6));
        Assert.That(report.Rejected.Single().Reason, Does.Contain("has no BLPU"));

        var again = await (await Post(_admin, "import-test", ImportFile, "text/csv; charset=utf-8")).Content.ReadFromJsonAsync<Report>();
        Assert.That((again!.Imported, again.Updated, again.Deleted), Is.EqualTo((0, 0, 0)));

        var found = await Lookup(_admin, "import-test", "test lane");
        Assert.That(found.Items.Single().Lines, Is.EqualTo(new[] { "1 Test Lane", "Testbury" }));
    }

    [Test]
    public async Task Import_answers_with_an_event_position_a_read_can_wait_for()
    {
        // The import appends no event; it answers with the council's latest position after it committed
        // (its onboarding at least), which a read can name in X-Min-Position and see the import at once.
        var response = await Post(_admin, "import-test-3", ImportFile, "text/csv");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.TryGetValues(EventPositionHeader.Written, out var values), Is.True, "every successful write says its position");
        var position = long.Parse(values!.Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(position, Is.GreaterThan(0));

        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/councils/import-test-3/addresses?q=test%20lane");
        read.Headers.Add(EventPositionHeader.MinPosition, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var found = await _admin.SendAsync(read);
        Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(found.Headers.Contains("X-Read-Model-Stale"), Is.False, "the position exists and is caught up to");
        Assert.That((await found.Content.ReadFromJsonAsync<Page>())!.Items, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Import_of_another_content_type_is_a_415_and_needs_a_partnership_admin()
    {
        await AssertProblem(await Post(_admin, "import-test-2", ImportFile, "application/json"), HttpStatusCode.UnsupportedMediaType);
        Assert.That((await Post(_advisor, "cheltenham", ImportFile, "text/csv")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string council, string csv, string contentType)
    {
        var content = new StringContent(csv, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync($"/api/councils/{council}/gazetteer/imports", content);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        using var doc = JsonDocument.Parse(body);
        Assert.That(doc.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
    }
}
