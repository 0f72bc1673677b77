using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using CustomerAccess.Host.Ui;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CustomerAccess.Host.Tests.Admin;

/// <summary>
/// The Administration screens, server-rendered, through plain HTTP form posts (no JavaScript): who may see
/// them, and that each form goes through the API's own rules, so what it saves is what the API then answers.
/// (The browser journeys are in CustomerAccess.BrowserTests/AdminJourneyTests.)
/// </summary>
public partial class AdminPagesTests
{
    private HostFixture _host = null!;
    private static long _nextUprn = 16_150_000_140; // in Cheltenham's local gazetteer (about 250 properties from ...001) and on the seeded ranges

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient As(string name, string role, string council = "cheltenham", bool redirects = true)
    {
        var http = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = redirects });
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, role == "partnership-admin" ? "*" : council));
        http.DefaultRequestHeaders.Add("Accept", "text/html"); // a browser: refusals are the HTML status pages
        return http;
    }

    /// <summary>A partnership admin whose header serves <paramref name="council"/> (chosen with the header's switcher).</summary>
    private async Task<HttpClient> Admin(string council = "cheltenham", bool redirects = true)
    {
        var http = As("admin", "partnership-admin", council, redirects);
        await SwitchAsync(http, council);
        return http;
    }

    private static async Task SwitchAsync(HttpClient http, string council)
    {
        var form = await Page(await http.GetAsync("/council"));
        var switched = await PageForms.PostAsync(http, form, "/council", new() { ["council"] = council, ["returnUrl"] = "/" });
        Assert.That((int)switched.StatusCode, Is.EqualTo(200).Or.EqualTo(302));
    }

    private ApiClient AdminApi() => ApiClient.As(_host, "admin", "partnership-admin", "*");

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) => PageForms.ReadAsync(response, status);

    /// <summary>Gets the form page and posts <paramref name="fields"/> to <paramref name="action"/> with its antiforgery token and, when asked, the form's submission key.</summary>
    private static async Task<(HttpResponseMessage Response, Dictionary<string, string> Sent)> Post(HttpClient http, string formPage, string action,
        Dictionary<string, string> fields, string? keyOfForm = null)
    {
        var form = await Page(await http.GetAsync(formPage));
        if (keyOfForm is not null) fields["idempotencyKey"] = PageForms.FormKey(form, keyOfForm);
        fields.TryAdd("formCouncil", FormCouncil(form));
        return (await PageForms.PostAsync(http, form, action, fields), fields);
    }

    [GeneratedRegex("name=\"formCouncil\" value=\"([^\"]*)\"")]
    private static partial Regex FormCouncilField();

    private static string FormCouncil(string html) => FormCouncilField().Match(html).Groups[1].Value;

    private static readonly string[] Screens =
        ["/admin", "/admin/waste/rounds", "/admin/waste/garden-prices", "/admin/open311/keys", "/admin/bookings/resources", "/admin/bookings/resources/new", "/admin/dead-letters"];

    [Test]
    public async Task Only_partnership_admins_see_the_admin_screens_and_the_header_link()
    {
        using var advisor = As("advisor", "advisor");
        using var auditor = As("auditor", "auditor");
        foreach (var path in Screens)
        {
            var refused = await Page(await advisor.GetAsync(path), HttpStatusCode.Forbidden);
            Assert.That(refused, Does.Contain("You cannot see this page"), path);
            await Page(await auditor.GetAsync(path), HttpStatusCode.Forbidden);
        }
        Assert.That(await Page(await advisor.GetAsync("/")), Does.Not.Contain("href=\"/admin\""));

        using var admin = await Admin();
        Assert.That(await Page(await admin.GetAsync("/")), Does.Contain("href=\"/admin\"").And.Contain(">Administration<"));
        var landing = await Page(await admin.GetAsync("/admin"));
        foreach (var item in AdminScreens.Items)
            Assert.That(landing, Does.Contain($"href=\"{item.Href}\""), item.Text);
        foreach (var path in Screens) await Page(await admin.GetAsync(path));
        // A post without the page's antiforgery token changes nothing.
        var forged = await admin.PostAsync("/admin/open311/keys", new FormUrlEncodedContent(new Dictionary<string, string> { ["partner"] = "Forged", ["formCouncil"] = "cheltenham" }));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_round_added_on_screen_gets_properties_by_UPRN_and_bin_days_follow_while_a_bad_UPRN_changes_nothing()
    {
        using var admin = await Admin();
        var api = AdminApi();
        var id = "food-admin-" + Guid.NewGuid().ToString("N")[..6];
        var uprn = Interlocked.Increment(ref _nextUprn);

        // Refusals are the API's, field by field, in the error summary.
        var (bad, _) = await Post(admin, "/admin/waste/rounds", "/admin/waste/rounds",
            new() { ["id"] = id, ["name"] = "", ["container"] = "food", ["frequency"] = "fortnightly", ["weekday"] = "", ["anchor"] = "" });
        var badHtml = await Page(bad, HttpStatusCode.BadRequest);
        Assert.That(badHtml, Does.Contain("There is a problem").And.Contain("href=\"#name\"").And.Contain("href=\"#anchor\""));
        await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/rounds/{id}"), HttpStatusCode.NotFound);

        var (added, _) = await Post(admin, "/admin/waste/rounds", "/admin/waste/rounds",
            new() { ["id"] = id, ["name"] = "Food Tuesday (admin)", ["container"] = "food", ["frequency"] = "weekly", ["weekday"] = "2", ["anchor"] = "" });
        var roundHtml = await Page(added);
        Assert.That(added.RequestMessage!.RequestUri!.PathAndQuery, Is.EqualTo($"/admin/waste/rounds/{id}?done=created"));
        Assert.That(roundHtml, Does.Contain("Round added").And.Contain("No properties are on this round yet"));
        var round = await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/rounds/{id}"), HttpStatusCode.OK);
        Assert.That((round["weekday"]!.GetValue<int>(), round["frequency"]!.GetValue<string>()), Is.EqualTo((2, "weekly")));
        var (again, _) = await Post(admin, "/admin/waste/rounds", "/admin/waste/rounds",
            new() { ["id"] = id, ["name"] = "Another", ["container"] = "food", ["frequency"] = "weekly", ["weekday"] = "3" });
        Assert.That(await Page(again, HttpStatusCode.BadRequest), Does.Contain("already a round with this id"));

        // A UPRN the council's gazetteer does not hold is refused on the page and nothing is written.
        var page = $"/admin/waste/rounds/{id}";
        var (unknown, _) = await Post(admin, page, page + "?handler=AddProperty", new() { ["uprn"] = "16159999999" });
        var unknownHtml = await Page(unknown, HttpStatusCode.BadRequest);
        Assert.That(unknownHtml, Does.Contain("not a current address in the council&#x27;s gazetteer").And.Contain("href=\"#uprn\""));
        var (notANumber, _) = await Post(admin, page, page + "?handler=AddProperty", new() { ["uprn"] = "12ab" });
        await Page(notANumber, HttpStatusCode.BadRequest);
        var properties = await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/rounds/{id}/properties"), HttpStatusCode.OK);
        Assert.That(properties["items"]!.AsArray(), Is.Empty);

        var (put, _) = await Post(admin, page, page + "?handler=AddProperty", new() { ["uprn"] = uprn.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.That(await Page(put), Does.Contain("Property put on the round").And.Contain($"<td class=\"govuk-table__cell\">{uprn}</td>"));
        var collections = await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/collections?uprn={uprn}"), HttpStatusCode.OK);
        var food = collections["items"]!.AsArray().Single(i => i!["container"]!.GetValue<string>() == "food")!;
        Assert.That(food["round"]!.GetValue<string>(), Is.EqualTo(id), "the property's own round wins over the seeded range");

        // Settings: the weekday moves; the container is not on the form.
        var (saved, _) = await Post(admin, page, page + "?handler=Settings", new() { ["name"] = "Food Wednesday (admin)", ["frequency"] = "weekly", ["weekday"] = "3", ["anchor"] = "" });
        Assert.That(await Page(saved), Does.Contain("Round settings saved").And.Contain("Food Wednesday (admin)").And.Contain("Collected every Wednesday"));
        Assert.That((await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/rounds/{id}"), HttpStatusCode.OK))["weekday"]!.GetValue<int>(), Is.EqualTo(3));

        // Taking it off, sent twice (double click), takes it off once and the second says so without an error.
        var roundPage = await Page(await admin.GetAsync(page));
        var fields = new Dictionary<string, string>
        {
            ["uprn"] = uprn.ToString(System.Globalization.CultureInfo.InvariantCulture), ["formCouncil"] = "cheltenham",
        };
        var (first, second) = await PageForms.PostTwiceAsync(admin, roundPage, page + "?handler=RemoveProperty", fields, "handler=RemoveProperty");
        await Page(first);
        Assert.That(second.RequestMessage!.RequestUri!.Query, Does.Contain("replayed=1"));
        await Page(second);
        await using var db = await _host.Database.OpenAdminAsync();
        await using var count = new NpgsqlCommand(
            "select count(*) from es.events where tenant_id = 'cheltenham' and stream_id = $1 and event_type = 'waste.round-properties-changed'", db);
        count.Parameters.AddWithValue("waste-round-" + id);
        Assert.That((long)(await count.ExecuteScalarAsync())!, Is.EqualTo(2), "one add, one removal");
        var gone = await ApiClient.Expect(await api.GetAsync($"/api/councils/cheltenham/waste/collections?uprn={uprn}"), HttpStatusCode.OK);
        Assert.That(gone["items"]!.AsArray().Single(i => i!["container"]!.GetValue<string>() == "food")!["round"]!.GetValue<string>(), Is.Not.EqualTo(id));
    }

    [Test]
    public async Task A_form_for_another_council_than_the_header_now_shows_changes_nothing()
    {
        using var admin = await Admin("cheltenham");
        var form = await Page(await admin.GetAsync("/admin/waste/garden-prices"));
        Assert.That(FormCouncil(form), Is.EqualTo("cheltenham"));
        await SwitchAsync(admin, "cotswold"); // the header now serves Cotswold (another tab switched it)
        var response = await PageForms.PostAsync(admin, form, "/admin/waste/garden-prices",
            new() { ["formCouncil"] = "cheltenham", ["season"] = "2031-32", ["price"] = "99" });
        Assert.That(await Page(response, HttpStatusCode.Conflict), Does.Contain("Nothing was changed"));
        foreach (var council in new[] { "cheltenham", "cotswold" })
        {
            var prices = await ApiClient.Expect(await AdminApi().GetAsync($"/api/councils/{council}/waste/garden-prices"), HttpStatusCode.OK);
            Assert.That(prices["items"]!.AsArray().Select(p => p!["fromSeason"]!.GetValue<string>()), Does.Not.Contain("2031-32"), council);
        }
    }

    [Test]
    public async Task Garden_prices_are_set_in_pounds_and_the_API_answers_them()
    {
        using var admin = await Admin("forest-of-dean");
        var (bad, _) = await Post(admin, "/admin/waste/garden-prices", "/admin/waste/garden-prices", new() { ["season"] = "2030-31", ["price"] = "forty", ["maxBins"] = "" });
        Assert.That(await Page(bad, HttpStatusCode.BadRequest), Does.Contain("href=\"#price\""));
        var (tooMany, _) = await Post(admin, "/admin/waste/garden-prices", "/admin/waste/garden-prices", new() { ["season"] = "2030-31", ["price"] = "40", ["maxBins"] = "99" });
        Assert.That(await Page(tooMany, HttpStatusCode.BadRequest), Does.Contain("href=\"#maxBins\""));
        var (saved, _) = await Post(admin, "/admin/waste/garden-prices", "/admin/waste/garden-prices", new() { ["season"] = "2030-31", ["price"] = "£52.50", ["maxBins"] = "3" });
        Assert.That(await Page(saved), Does.Contain("Garden waste price from 2030-31 saved").And.Contain("&#xA3;52.50"));
        var price = await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/forest-of-dean/waste/garden-prices/2031-32"), HttpStatusCode.OK);
        Assert.That((price["fromSeason"]!.GetValue<string>(), price["pricePerBinPence"]!.GetValue<long>(), price["maxBins"]!.GetValue<int>()), Is.EqualTo(("2030-31", 5250L, 3)));
    }

    [Test]
    public async Task An_Open311_key_is_shown_once_in_the_response_never_in_a_URL_and_a_resent_form_issues_no_second_key()
    {
        using var admin = await Admin("west-oxfordshire", redirects: false);
        var partner = "Site " + Guid.NewGuid().ToString("N")[..8];
        var form = await Page(await admin.GetAsync("/admin/open311/keys"));
        var fields = new Dictionary<string, string> { ["partner"] = partner, ["formCouncil"] = "west-oxfordshire" };
        var (first, again) = await PageForms.PostTwiceAsync(admin, form, "/admin/open311/keys", fields);

        var issued = await Page(first);
        Assert.That(first.Headers.CacheControl?.NoStore, Is.True);
        var key = Regex.Match(issued, "data-testid=\"new-key\">(ca311_[A-Za-z0-9_-]+)<").Groups[1].Value;
        Assert.That(key, Is.Not.Empty);
        Assert.That(issued, Does.Contain("cannot be shown again"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(again.Headers.Location!.ToString(), Is.EqualTo("/admin/open311/keys?replayed=1"));

        var list = await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/west-oxfordshire/open311/keys"), HttpStatusCode.OK);
        var mine = list["items"]!.AsArray().Where(k => k!["partner"]!.GetValue<string>() == partner).ToList();
        Assert.That(mine, Has.Count.EqualTo(1), "two posts of one form issue one key");
        var fingerprint = mine[0]!["fingerprint"]!.GetValue<string>();
        var listed = await Page(await admin.GetAsync("/admin/open311/keys"));
        Assert.That(listed, Does.Contain(fingerprint).And.Not.Contain(key), "the list shows the fingerprint, never the key");

        // Revoking asks first, then refuses the key.
        var confirm = await Page(await admin.GetAsync($"/admin/open311/keys/{fingerprint}/revoke"));
        Assert.That(confirm, Does.Contain("will be refused from now on"));
        var revoked = await PageForms.PostAsync(admin, confirm, $"/admin/open311/keys/{fingerprint}/revoke", new() { ["formCouncil"] = "west-oxfordshire" });
        Assert.That(revoked.Headers.Location!.ToString(), Is.EqualTo($"/admin/open311/keys?revoked={fingerprint}"));
        var after = await ApiClient.Expect(await AdminApi().GetAsync("/api/councils/west-oxfordshire/open311/keys"), HttpStatusCode.OK);
        Assert.That(after["items"]!.AsArray().Single(k => k!["fingerprint"]!.GetValue<string>() == fingerprint)!["revoked"]!.GetValue<bool>(), Is.True);
        Assert.That((await admin.GetAsync("/admin/open311/keys/000000000000/revoke")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_resource_added_and_changed_on_screen_is_what_the_API_answers()
    {
        using var admin = await Admin("cotswold");
        var api = AdminApi();
        var id = "pitch-admin-" + Guid.NewGuid().ToString("N")[..6];
        var fields = new Dictionary<string, string>
        {
            ["id"] = id, ["type"] = "pitch", ["name"] = "Admin Park pitch", ["price"] = "30", ["capacity"] = "1",
            ["starts"] = "10:00, 11:00", ["slotMinutes"] = "120",
        };
        var (overlap, _) = await Post(admin, "/admin/bookings/resources/new", "/admin/bookings/resources/new", new(fields) { ["weekdays"] = "6" });
        Assert.That(await Page(overlap, HttpStatusCode.BadRequest), Does.Contain("must not overlap").And.Contain("href=\"#starts\""));
        await ApiClient.Expect(await api.GetAsync($"/api/councils/cotswold/resources/{id}"), HttpStatusCode.NotFound);

        var form = await Page(await admin.GetAsync("/admin/bookings/resources/new"));
        var content = new FormUrlEncodedContent(
        [
            .. new Dictionary<string, string>(fields) { ["starts"] = "10:00, 12:00", ["formCouncil"] = "cotswold", ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(form) },
            new("weekdays", "6"), new("weekdays", "7"),
        ]);
        var created = await admin.PostAsync("/admin/bookings/resources/new", content);
        Assert.That(await Page(created), Does.Contain("Resource added"));
        var resource = await ApiClient.Expect(await api.GetAsync($"/api/councils/cotswold/resources/{id}"), HttpStatusCode.OK);
        Assert.That(resource["pricePence"]!.GetValue<long>(), Is.EqualTo(3000));
        Assert.That(resource["weekdays"]!.AsArray().Select(d => d!.GetValue<int>()), Is.EqualTo(new[] { 6, 7 }));
        Assert.That(resource["starts"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "10:00", "12:00" }));
        var listed = await ApiClient.Expect(await api.GetAsync("/api/councils/cotswold/resources"), HttpStatusCode.OK);
        Assert.That(listed["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Does.Contain(id));
        Assert.That(await Page(await admin.GetAsync("/admin/bookings/resources")), Does.Contain($"href=\"/admin/bookings/resources/{id}\""));

        // Changing it keeps the type and shows the stored values.
        var edit = await Page(await admin.GetAsync($"/admin/bookings/resources/{id}"));
        Assert.That(edit, Does.Contain("value=\"30.00\"").And.Contain("value=\"10:00, 12:00\""));
        var change = new FormUrlEncodedContent(
        [
            new("formCouncil", "cotswold"), new("name", "Admin Park pitch"), new("price", "35.50"), new("capacity", "1"),
            new("starts", "10:00, 12:00"), new("slotMinutes", "120"), new("weekdays", "6"),
            new("__RequestVerificationToken", PageForms.AntiforgeryToken(edit)),
        ]);
        Assert.That(await Page(await admin.PostAsync($"/admin/bookings/resources/{id}", change)), Does.Contain("Resource saved"));
        var changed = await ApiClient.Expect(await api.GetAsync($"/api/councils/cotswold/resources/{id}"), HttpStatusCode.OK);
        Assert.That((changed["type"]!.GetValue<string>(), changed["pricePence"]!.GetValue<long>(), changed["weekdays"]!.AsArray().Count), Is.EqualTo(("pitch", 3550L, 1)));
        Assert.That((await admin.GetAsync("/admin/bookings/resources/no-such-resource")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Dead_letters_are_listed_and_retried_from_the_screen_and_a_second_retry_is_no_error_page()
    {
        var id = await _host.Database.AddDeadLetterAsync("cotswold", "admin-page-test.unknown", "{}",
            "AdminPageTestHandler: System.TimeoutException: the gateway timed out");
        using var admin = await Admin();
        var page = await Page(await admin.GetAsync("/admin/dead-letters"));
        Assert.That(page, Does.Contain($"data-dead-letter=\"{id}\"").And.Contain("admin-page-test.unknown").And.Contain("the gateway timed out"));

        var retried = await PageForms.PostAsync(admin, page, "/admin/dead-letters?handler=Retry", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var after = await Page(retried);
        Assert.That(after, Does.Contain($"Dead letter {id} is back in the outbox").And.Not.Contain($"data-dead-letter=\"{id}\""));
        var open = await ApiClient.Expect(await AdminApi().GetAsync("/api/admin/dead-letters"), HttpStatusCode.OK);
        Assert.That(open.AsArray().Any(d => d!["id"]!.GetValue<long>() == id), Is.False);

        var twice = await PageForms.PostAsync(admin, page, "/admin/dead-letters?handler=Retry", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.That(await Page(twice, HttpStatusCode.NotFound), Does.Contain("has been retried already"));
    }
}
