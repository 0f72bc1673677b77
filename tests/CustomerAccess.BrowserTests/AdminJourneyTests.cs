using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The Administration screens in a real browser, each journey checked where it takes effect: the API (bin days,
/// garden prices, resources, dead letters) or a reporting site's Open311 POST. An advisor is refused /admin and
/// never offered the link; every admin screen has one main, one h1 and no serious axe-core failures.
/// </summary>
public class AdminJourneyTests
{
    private static long _nextUprn = 16_150_000_060; // in Cheltenham's local gazetteer (about 250 properties from ...001)

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Test]
    public async Task An_advisor_is_refused_administration_and_not_offered_it_while_an_admin_reaches_every_screen_with_no_serious_accessibility_failures()
    {
        await using (var advisorContext = await BrowserHost.NewContextAsync())
        {
            var advisor = await BrowserHost.SignInAsync(advisorContext, "advisor");
            Assert.That(await advisor.Locator("#navigation").GetByRole(AriaRole.Link, new() { Name = "Administration" }).CountAsync(), Is.Zero);
            var refused = await advisor.GotoAsync("/admin");
            Assert.That(refused!.Status, Is.EqualTo(403));
            Assert.That(await advisor.Locator("h1").InnerTextAsync(), Is.EqualTo("You cannot see this page"));
            Assert.That((await advisor.GotoAsync("/admin/open311/keys"))!.Status, Is.EqualTo(403));
        }

        await using var context = await BrowserHost.NewContextAsync();
        var page = await BrowserHost.SignInAsync(context, "admin");
        await page.Locator("#navigation").GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin");
        var failures = new List<string>();
        var screens = await page.Locator("[data-testid=admin-screens] a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.That(screens, Is.SupersetOf(new[] { "/admin/waste/rounds", "/admin/waste/garden-prices", "/admin/open311/keys", "/admin/bookings/resources", "/admin/dead-letters" }));
        foreach (var path in new[] { "/admin" }.Concat(screens).Append("/admin/bookings/resources/new").Append("/admin/waste/rounds/food-mon"))
        {
            var response = await page.GotoAsync(path);
            Assert.That(response!.Status, Is.EqualTo(200), path);
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), path + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), path + ": one <h1>");
            failures.AddRange(await BrowserHost.AxeAsync(page, path));
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public async Task An_admin_adds_a_round_and_a_property_on_screen_and_the_collections_API_answers_for_that_UPRN_while_a_bad_UPRN_changes_nothing()
    {
        var uprn = Interlocked.Increment(ref _nextUprn).ToString(CultureInfo.InvariantCulture);
        var id = "garden-browser-" + Guid.NewGuid().ToString("N")[..6];
        using var api = await BrowserHost.ApiAsAsync("admin");
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await BrowserHost.SignInAsync(context, "admin");

        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Waste collection rounds" }).ClickAsync();
        await page.GetByLabel("Round id").FillAsync(id);
        await page.GetByLabel("Name").FillAsync("Garden Thursday (browser)");
        await page.GetByLabel("Bin").SelectOptionAsync("garden");
        await page.GetByLabel("How often").SelectOptionAsync("fortnightly");
        await page.GetByLabel("A collection date").FillAsync("2027-01-07");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add round" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/admin/waste/rounds/{id}");
        Assert.That(await page.Locator("[data-testid=done]").InnerTextAsync(), Does.Contain("Round added"));

        await page.GetByLabel("Put a property on this round").FillAsync("16159999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add property" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        Assert.That(await page.Locator(".govuk-error-summary").InnerTextAsync(), Does.Contain("not a current address in the council's gazetteer"));
        var none = await JsonAsync(await api.GetAsync($"/api/councils/cheltenham/waste/rounds/{id}/properties"), HttpStatusCode.OK);
        Assert.That(none.GetProperty("items").GetArrayLength(), Is.Zero, "a refused UPRN changes nothing");

        await page.GetByLabel("Put a property on this round").FillAsync(uprn);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add property" }).ClickAsync();
        await page.Locator("[data-testid=properties]").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=properties]").InnerTextAsync(), Does.Contain(uprn));

        var collections = await JsonAsync(await api.GetAsync($"/api/councils/cheltenham/waste/collections?uprn={uprn}"), HttpStatusCode.OK);
        var garden = collections.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("container").GetString() == "garden");
        Assert.That(garden.GetProperty("round").GetString(), Is.EqualTo(id));
        Assert.That(DateOnly.ParseExact(garden.GetProperty("nextCollection").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayOfWeek,
            Is.EqualTo(DayOfWeek.Thursday).Or.EqualTo(DayOfWeek.Friday).Or.EqualTo(DayOfWeek.Saturday), "Thursdays, moved on by a bank holiday at most");

        // The garden price screen, set in pounds, is what the API answers.
        await page.GotoAsync("/admin/waste/garden-prices");
        await page.GetByLabel("Season").FillAsync("2035-36");
        await page.GetByLabel("Price per bin").FillAsync("61.25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save price" }).ClickAsync();
        await page.Locator("[data-testid=done]").WaitForAsync();
        var price = await JsonAsync(await api.GetAsync("/api/councils/cheltenham/waste/garden-prices/2035-36"), HttpStatusCode.OK);
        Assert.That(price.GetProperty("pricePerBinPence").GetInt64(), Is.EqualTo(6125));
    }

    [Test]
    public async Task An_Open311_key_issued_on_screen_is_shown_once_and_takes_a_report_until_it_is_revoked()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await BrowserHost.SignInAsync(context, "admin");
        await page.GotoAsync("/admin/open311/keys");
        await page.GetByLabel("Reporting site").FillAsync("Browser Street Reports");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue key" }).ClickAsync();
        await page.Locator("[data-testid=new-key]").WaitForAsync();
        var key = await page.Locator("[data-testid=new-key]").InnerTextAsync();
        var fingerprint = await page.Locator("[data-testid=fingerprint]").InnerTextAsync();
        Assert.That(key, Does.StartWith("ca311_"));
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain("cannot be shown again"));
        Assert.That(page.Url, Does.Not.Contain(key));

        using var site = new HttpClient { BaseAddress = BrowserHost.BaseAddress };
        Task<HttpResponseMessage> Report() => site.PostAsync("/open311/v2/cheltenham/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key, ["service_code"] = "fly-tipping", ["lat"] = "51.8994", ["long"] = "-2.0783", ["description"] = "Mattress by the bins",
        }));
        var accepted = await JsonAsync(await Report(), HttpStatusCode.Created);
        Assert.That(accepted[0].GetProperty("service_request_id").GetString(), Is.Not.Empty);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to Open311 API keys" }).ClickAsync();
        var row = page.Locator($"tr[data-fingerprint='{fingerprint}']");
        Assert.That(await row.InnerTextAsync(), Does.Contain("Browser Street Reports").And.Contain("In use").And.Not.Contain(key));
        await row.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Revoke") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke this key" }).ClickAsync();
        await page.Locator("[data-testid=done]").WaitForAsync();
        Assert.That(await row.InnerTextAsync(), Does.Contain("Revoked"));

        var refused = await Report();
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await refused.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_admin_adds_a_bookable_resource_and_retries_a_dead_letter_on_screen()
    {
        using var api = await BrowserHost.ApiAsAsync("admin");
        var id = "room-browser-" + Guid.NewGuid().ToString("N")[..6];
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await BrowserHost.SignInAsync(context, "admin");

        await page.GotoAsync("/admin/bookings/resources");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a resource" }).ClickAsync(); // a link styled and named as a button
        await page.GetByLabel("Resource id").FillAsync(id);
        await page.GetByLabel("Type").SelectOptionAsync("room");
        await page.GetByLabel("Name").FillAsync("Browser meeting room");
        await page.GetByLabel("Price a booking").FillAsync("12.50");
        await page.GetByLabel("Places in each slot").FillAsync("2");
        await page.GetByLabel("Tuesday").CheckAsync();
        await page.GetByLabel("Slot start times").FillAsync("09:00, 10:00");
        await page.GetByLabel("Slot length in minutes").FillAsync("60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add resource" }).ClickAsync();
        await page.Locator("[data-testid=done]").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=done]").InnerTextAsync(), Does.Contain("Resource added"));

        var resources = await JsonAsync(await api.GetAsync("/api/councils/cheltenham/resources"), HttpStatusCode.OK);
        var added = resources.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.That((added.GetProperty("type").GetString(), added.GetProperty("pricePence").GetInt64(), added.GetProperty("capacity").GetInt32()),
            Is.EqualTo(("room", 1250L, 2)));

        var deadLetter = await BrowserHost.Database.AddDeadLetterAsync("cheltenham", "browser-test.unknown", "{}",
            "BrowserTestHandler: System.TimeoutException: the gateway timed out");
        await page.GotoAsync("/admin/dead-letters");
        var row = page.Locator($"tr[data-dead-letter='{deadLetter}']");
        Assert.That(await row.InnerTextAsync(), Does.Contain("browser-test.unknown").And.Contain("the gateway timed out"));
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Retry") }).ClickAsync();
        await page.Locator("[data-testid=done]").WaitForAsync();
        Assert.That(await row.CountAsync(), Is.Zero);
        var open = await JsonAsync(await api.GetAsync("/api/admin/dead-letters"), HttpStatusCode.OK);
        Assert.That(open.EnumerateArray().Any(d => d.GetProperty("id").GetInt64() == deadLetter), Is.False, "retried: back in the outbox");
    }
}
