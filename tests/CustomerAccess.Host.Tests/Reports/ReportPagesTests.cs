using System.Globalization;
using System.Net;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Reports;

/// <summary>The report screens: the API's figures for the header's council, and the joint committee's table.</summary>
public class ReportPagesTests
{
    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient Page(string user, string role, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"{user};{role};{string.Join(',', councils)}");
        return http;
    }

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Test]
    public async Task The_header_councils_report_shows_its_contacts_and_failure_demand_by_reason()
    {
        using var api = ApiClient.As(_host, "advisor", "advisor", "cotswold", "forest-of-dean");
        const string Base = "/api/councils/cotswold";
        var customer = (await ApiClient.Expect(await api.PostAsync($"{Base}/customers", new { firstName = "Rory", lastName = "Report" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await ApiClient.Expect(await api.PostAsync($"{Base}/customers/{customer}/contacts",
            new { channel = "face-to-face", reason = "Bin", resolvedAtFirstContact = true, demand = "value" }), HttpStatusCode.Created);
        var last = await api.PostAsync($"{Base}/customers/{customer}/contacts",
            new { channel = "phone", reason = "Bin again", resolvedAtFirstContact = false, demand = "failure", failureReason = "unclear-information" });
        await ApiClient.Expect(last, HttpStatusCode.Created);
        // The screen reads what the subscriptions have written: wait for them as the API would.
        using (var wait = new HttpRequestMessage(HttpMethod.Get, $"{Base}/reports/performance"))
        {
            wait.Headers.Add("X-Min-Position", last.Headers.GetValues("X-Event-Position").Single());
            await ApiClient.Expect(await api.Http.SendAsync(wait), HttpStatusCode.OK);
        }

        using var advisor = Page("advisor", "advisor", "cotswold", "forest-of-dean");
        advisor.DefaultRequestHeaders.Add("Cookie", "ca-council=cotswold");
        var html = await PageForms.ReadAsync(await advisor.GetAsync($"/reports?from={Today}&to={Today}"));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("Cotswold District Council"));
            Assert.That(html, Does.Match("data-testid=\"contacts\">2<"));
            Assert.That(html, Does.Match("data-testid=\"failure-share\">50%"));
            Assert.That(html, Does.Contain("Our letter, website or advice was not clear"));
            Assert.That(html, Does.Contain("Face to face"));
            Assert.That(html, Does.Not.Contain("Every council, for the joint committee"), "an advisor is not offered the partnership table");
        });

        // The other council the advisor serves has its own figures.
        using var other = Page("advisor", "advisor", "cotswold", "forest-of-dean");
        other.DefaultRequestHeaders.Add("Cookie", "ca-council=forest-of-dean");
        var forest = await PageForms.ReadAsync(await other.GetAsync($"/reports?from={Today}&to={Today}"));
        Assert.That(forest, Does.Contain("Forest of Dean District Council").And.Match("data-testid=\"contacts\">0<").And.Contain("No failure demand recorded"));
    }

    [Test]
    public async Task A_bad_period_is_shown_back_with_the_error_and_no_figures()
    {
        using var advisor = Page("advisor", "advisor", "cheltenham");
        var html = await PageForms.ReadAsync(await advisor.GetAsync("/reports?from=yesterday&to=2026-01-01"), HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("govuk-error-summary").And.Contain("href=\"#from\""));
            Assert.That(html, Does.Contain("value=\"yesterday\""), "what was typed is shown back");
            Assert.That(html, Does.Not.Contain("data-testid=\"figures\""));
        });
        var backwards = await PageForms.ReadAsync(await advisor.GetAsync("/reports?from=2026-02-01&to=2026-01-01"), HttpStatusCode.BadRequest);
        Assert.That(backwards, Does.Contain("from must not be after to."));
    }

    [Test]
    public async Task The_partnership_table_is_for_auditors_and_lists_each_council()
    {
        using var advisor = Page("advisor", "advisor", "cheltenham");
        Assert.That((await advisor.GetAsync("/reports/partnership")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var auditor = Page("auditor", "auditor", "*");
        var html = await PageForms.ReadAsync(await auditor.GetAsync($"/reports/partnership?from={Today}&to={Today}"));
        Assert.That(html, Does.Contain("Cheltenham Borough Council").And.Contain("West Oxfordshire District Council"));
        var report = await PageForms.ReadAsync(await auditor.GetAsync("/reports"));
        Assert.That(report, Does.Contain("Every council, for the joint committee"));

        // The same table as CSV, one row per council, named for its period; a bad period gets the page, not a file.
        var csv = await auditor.GetAsync("/reports/partnership?handler=Csv&from=2026-01-01&to=2026-01-31");
        Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(csv.Content.Headers.ContentDisposition!.FileName, Does.Contain("partnership-performance-2026-01-01-to-2026-01-31.csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("council,name,contacts,"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.SupersetOf(new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" }));
            Assert.That(lines.Single(l => l.StartsWith("cheltenham,", StringComparison.Ordinal)), Does.StartWith("cheltenham,Cheltenham Borough Council,0,"));
        });
        // A council name a spreadsheet would run as a formula, with a comma and quotes: quoted, and defused.
        using var admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        await ApiClient.Expect(await admin.PostAsync("/api/councils", new { id = "formula-test", name = "=HYPERLINK(\"x\", \"y\") Council", contactNumber = "01000 000000" }),
            HttpStatusCode.Created);
        var withFormula = await (await auditor.GetAsync("/reports/partnership?handler=Csv&from=2026-01-01&to=2026-01-31")).Content.ReadAsStringAsync();
        Assert.That(withFormula, Does.Contain("\r\nformula-test,\"'=HYPERLINK(\"\"x\"\", \"\"y\"\") Council\",0,"));
        var refused = await auditor.GetAsync("/reports/partnership?handler=Csv&from=nonsense");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That((await advisor.GetAsync("/reports/partnership?handler=Csv")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
