using System.Net;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerAccess.Host.Tests.Admin;

/// <summary>
/// The partner-council screens (/admin/councils...), server-rendered, through plain HTTP form posts: only
/// partnership admins see them, onboarding keeps POST /api/councils's rules (and onboards once when sent twice),
/// and the data-sharing checkboxes record what PUT .../data-sharing/{other} would, and nothing when unchanged.
/// </summary>
public class CouncilAdminPagesTests
{
    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient As(string name, string role, string councils = "cheltenham")
    {
        var http = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true });
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        http.DefaultRequestHeaders.Add("Accept", "text/html"); // a browser: refusals are the HTML status pages
        return http;
    }

    private HttpClient Admin() => As("admin", "partnership-admin", "*");

    private ApiClient AdminApi() => ApiClient.As(_host, "admin", "partnership-admin", "*");

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) =>
        PageForms.ReadAsync(response, status).ContinueWith(t => WebUtility.HtmlDecode(t.Result), TaskScheduler.Default);

    private static string PathOf(HttpResponseMessage response) => response.RequestMessage!.RequestUri!.PathAndQuery;

    private static async Task<HttpResponseMessage> Onboard(HttpClient http, Dictionary<string, string> fields)
    {
        var form = await PageForms.ReadAsync(await http.GetAsync("/admin/councils/new"));
        fields["idempotencyKey"] = PageForms.FormKey(form);
        return await PageForms.PostAsync(http, form, "/admin/councils/new", fields);
    }

    private static async Task<HttpResponseMessage> SaveSharing(HttpClient http, string council, params string[] ticked)
    {
        var path = $"/admin/councils/{council}/data-sharing";
        var form = await PageForms.ReadAsync(await http.GetAsync(path));
        var body = ticked.Select(t => new KeyValuePair<string, string>("share", t))
            .Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(form)));
        return await http.PostAsync(path, new FormUrlEncodedContent(body));
    }

    private async Task<bool?> SharesAsync(string council, string other)
    {
        var response = await AdminApi().GetAsync($"/api/councils/{council}/data-sharing/{other}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return (await ApiClient.Expect(response, HttpStatusCode.OK))["shareCustomerIdentity"]!.GetValue<bool>();
    }

    private static readonly string[] Screens = ["/admin/councils", "/admin/councils/new", "/admin/councils/cheltenham/data-sharing"];

    [Test]
    public async Task Only_partnership_admins_see_the_council_screens_which_list_every_council_with_its_number_and_receipt_prefix()
    {
        using var advisor = As("advisor", "advisor", "cheltenham,cotswold,forest-of-dean,west-oxfordshire");
        using var auditor = As("auditor", "auditor", "cheltenham,cotswold,forest-of-dean,west-oxfordshire");
        foreach (var path in Screens)
        {
            Assert.That(await Page(await advisor.GetAsync(path), HttpStatusCode.Forbidden), Does.Contain("You cannot see this page"), path);
            await Page(await auditor.GetAsync(path), HttpStatusCode.Forbidden);
        }
        // Refused before anything else: a post is a 403 too, and onboards nothing.
        var posted = await advisor.PostAsync("/admin/councils/new", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["id"] = "advisor-made", ["name"] = "Advisor Council", ["contactNumber"] = "01234 567890" }));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/advisor-made"), HttpStatusCode.NotFound);

        using var admin = Admin();
        Assert.That(await Page(await admin.GetAsync("/admin")), Does.Contain("href=\"/admin/councils\""), "the Administration page lists the screen");
        var list = await Page(await admin.GetAsync("/admin/councils"));
        foreach (var (id, name, prefix) in new[]
                 {
                     ("cheltenham", "Cheltenham Borough Council", "CHL"), ("cotswold", "Cotswold District Council", "COT"),
                     ("forest-of-dean", "Forest of Dean District Council", "FOD"), ("west-oxfordshire", "West Oxfordshire District Council", "WOX"),
                 })
        {
            var row = Row(list, id);
            Assert.That(row, Does.Contain(name).And.Contain($"<code>{id}</code>").And.Contain($">{prefix}<").And.Contain($"href=\"/admin/councils/{id}/data-sharing\""), id);
        }
        var phone = (await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/cotswold"), HttpStatusCode.OK))["contactNumber"]!.GetValue<string>();
        Assert.That(Row(list, "cotswold"), Does.Contain(phone));
        await Page(await admin.GetAsync("/admin/councils/no-such-council/data-sharing"), HttpStatusCode.NotFound);
        // Antiforgery, as on every form: a post without the page's token onboards nothing.
        var forged = await admin.PostAsync("/admin/councils/new", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["id"] = "forged", ["name"] = "Forged Council", ["contactNumber"] = "01234 567890" }));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/forged"), HttpStatusCode.NotFound);
    }

    private static string Row(string html, string council)
    {
        var start = html.IndexOf($"data-council=\"{council}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), $"a row for {council}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Test]
    public async Task Onboarding_on_screen_keeps_the_APIs_rules_shows_refusals_by_field_and_onboards_once_when_sent_twice()
    {
        using var admin = Admin();
        var api = AdminApi();

        var bad = await Onboard(admin, new() { ["id"] = "Stroud_DC", ["name"] = "", ["contactNumber"] = "call us", ["receiptPrefix"] = "" });
        var badHtml = await Page(bad, HttpStatusCode.BadRequest);
        Assert.That(badHtml, Does.Contain("There is a problem").And.Contain("href=\"#id\"").And.Contain("href=\"#name\"").And.Contain("href=\"#contactNumber\""));
        Assert.That(badHtml, Does.Contain("value=\"Stroud_DC\""), "what was typed is shown back");
        Assert.That(badHtml, Does.Not.Contain("href=\"#receiptPrefix\""), "an empty prefix means choose one");
        await ApiClient.Expect(await api.GetAsync("/api/councils/stroud_dc"), HttpStatusCode.NotFound);

        // A double click: the same form, key and token, twice. One council, and the second lands on it too.
        var form = await PageForms.ReadAsync(await admin.GetAsync("/admin/councils/new"));
        var (first, again) = await PageForms.PostTwiceAsync(admin, form, "/admin/councils/new",
            new() { ["id"] = "stroud", ["name"] = "Stroud District Council", ["contactNumber"] = "01453 766321", ["receiptPrefix"] = "" });
        var onboarded = await Page(first);
        Assert.That(PathOf(first), Is.EqualTo("/admin/councils/stroud/data-sharing?done=onboarded"));
        Assert.That(onboarded, Does.Contain("Stroud District Council has joined the partnership"));
        await Page(again);
        Assert.That(PathOf(again), Is.EqualTo("/admin/councils/stroud/data-sharing?replayed=1"));
        Assert.That(await Recorded.EventsWithAsync(_host.Database, "stroud", "tenancy.council-onboarded", "councilId", "stroud"), Is.EqualTo(1));

        var council = await ApiClient.Expect(await api.GetAsync("/api/councils/stroud"), HttpStatusCode.OK);
        Assert.That(council["name"]!.GetValue<string>(), Is.EqualTo("Stroud District Council"));
        var prefix = council["receiptPrefix"]!.GetValue<string>();
        Assert.That(prefix, Does.Match("^[A-Z0-9]{2,5}$").And.Not.EqualTo("CHL"), "one no other council uses was chosen");
        Assert.That(onboarded, Does.Contain($"data-testid=\"receipt-prefix\">{prefix}<"));
        Assert.That(Row(await Page(await admin.GetAsync("/admin/councils")), "stroud"), Does.Contain("01453 766321").And.Contain($">{prefix}<"));

        // A fresh form for the same id is the API's 409, on the id field; a receipt prefix in use is one on the prefix.
        var taken = await Page(await Onboard(admin, new() { ["id"] = "stroud", ["name"] = "Stroud Again", ["contactNumber"] = "01453 000000" }), HttpStatusCode.Conflict);
        Assert.That(taken, Does.Contain("<a href=\"#id\">A council with the id 'stroud' already exists.</a>"));
        var prefixTaken = await Page(await Onboard(admin, new() { ["id"] = "tewkesbury", ["name"] = "Tewkesbury Borough Council", ["contactNumber"] = "01684 295010", ["receiptPrefix"] = "chl" }),
            HttpStatusCode.Conflict);
        Assert.That(prefixTaken, Does.Contain("href=\"#receiptPrefix\"").And.Contain("'CHL' is used by another council"));
        await ApiClient.Expect(await api.GetAsync("/api/councils/tewkesbury"), HttpStatusCode.NotFound);
        Assert.That((await ApiClient.Expect(await api.GetAsync("/api/councils/stroud"), HttpStatusCode.OK))["name"]!.GetValue<string>(), Is.EqualTo("Stroud District Council"));
    }

    /// <summary>The data-sharing form alone (the header's council switcher has options too).</summary>
    private static string SharingForm(string html)
    {
        var start = html.IndexOf("<form method=\"post\" action=\"/admin/councils/", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "the data-sharing form");
        return html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

    [Test]
    public async Task Ticking_a_council_records_the_agreement_the_API_answers_saving_it_again_records_nothing_and_unticking_withdraws_it()
    {
        using var admin = Admin();
        Assert.That(await SharesAsync("west-oxfordshire", "cotswold"), Is.Null, "no agreement to start with");
        var page = await Page(await admin.GetAsync("/admin/councils/west-oxfordshire/data-sharing"));
        Assert.That(page, Does.Contain("Which councils may see West Oxfordshire District Council's customers' identity?"));
        Assert.That(SharingForm(page), Does.Contain("value=\"cotswold\"").And.Contain("value=\"cheltenham\"").And.Not.Contain("value=\"west-oxfordshire\""),
            "every other council, not itself");
        Assert.That(page, Does.Contain("data-testid=\"since-cotswold\">No agreement<"));

        var saved = await SaveSharing(admin, "west-oxfordshire", "cotswold");
        var savedHtml = await Page(saved);
        Assert.That(PathOf(saved), Is.EqualTo("/admin/councils/west-oxfordshire/data-sharing?done=saved&changed=1"));
        Assert.That(savedHtml, Does.Contain("1 agreement changed.").And.Contain("data-testid=\"since-cotswold\">Agreed "));
        Assert.That(SharingForm(savedHtml), Does.Match("id=\"share[^\"]*\" name=\"share\" type=\"checkbox\" value=\"cotswold\" checked"));
        Assert.That(await SharesAsync("west-oxfordshire", "cotswold"), Is.True);
        Assert.That(await SharesAsync("west-oxfordshire", "cheltenham"), Is.Null, "an unticked council with no agreement gets none written");
        Assert.That(await SharesAsync("cotswold", "west-oxfordshire"), Is.Null, "an agreement works one way");
        var cotswold = await Page(await admin.GetAsync("/admin/councils/cotswold/data-sharing"));
        Assert.That(cotswold[cotswold.IndexOf("data-testid=\"sharing-with-this\"", StringComparison.Ordinal)..], Does.Contain("West Oxfordshire District Council"));

        // The same answers again (a second click, a resend): nothing is recorded.
        var again = await SaveSharing(admin, "west-oxfordshire", "cotswold");
        Assert.That(await Page(again), Does.Contain("Nothing changed"));
        Assert.That(PathOf(again), Does.EndWith("done=unchanged"));
        Assert.That(await Recorded.EventsWithAsync(_host.Database, "west-oxfordshire", "tenancy.data-sharing-changed", "otherCouncil", "cotswold"), Is.EqualTo(1));

        var withdrawn = await SaveSharing(admin, "west-oxfordshire");
        Assert.That(await Page(withdrawn), Does.Contain("1 agreement changed.").And.Contain("data-testid=\"since-cotswold\">Stopped "));
        Assert.That(await SharesAsync("west-oxfordshire", "cotswold"), Is.False);

        // A council not on the list (itself, or none such) is refused and changes nothing.
        var refused = await Page(await SaveSharing(admin, "west-oxfordshire", "cheltenham", "west-oxfordshire"), HttpStatusCode.BadRequest);
        Assert.That(refused, Does.Contain("<a href=\"#share\">Choose from the councils listed.</a>"));
        Assert.That(await SharesAsync("west-oxfordshire", "cheltenham"), Is.Null);
    }
}
