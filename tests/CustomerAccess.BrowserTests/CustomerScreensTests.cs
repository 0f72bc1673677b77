using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The advisor's customer screens in a real browser, with JavaScript on (htmx enhancements) and off:
/// register (with possible duplicates), find as you type, open the single view, log a contact, change
/// details with the gazetteer lookup, flags, merge, council isolation, and an axe-core scan.
/// </summary>
public partial class CustomerScreensTests
{
    private static string Unique(string prefix) =>
        prefix + new string(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(5).Select(c => (char)('a' + (c - 'a') % 26)).ToArray()).PadRight(5, 'q');

    private static Task<IPage> SignedInAsync(IBrowserContext context, string username = "advisor") => BrowserHost.SignInAsync(context, username);

    private static async Task FindAndChooseAddressAsync(IPage page, string postcode)
    {
        await page.GetByLabel("Postcode or street").FillAsync(postcode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find address" }).ClickAsync();
        await page.Locator("#uprn-0").WaitForAsync();
        await page.Locator("#uprn-0").CheckAsync();
    }

    /// <summary>Registers through the screen; returns the single view's path.</summary>
    private static async Task<string> RegisterAsync(IPage page, string first, string last, string? email = null, string? phone = null,
        string? postcode = "GL50 1", bool expectDuplicates = false)
    {
        await page.GotoAsync("/councils/cheltenham/customers/new");
        await page.GetByLabel("First name").FillAsync(first);
        await page.GetByLabel("Last name").FillAsync(last);
        if (email is not null) await page.GetByLabel("Email (optional)").FillAsync(email);
        if (phone is not null) await page.GetByLabel("Phone (optional)").FillAsync(phone);
        if (postcode is not null) await FindAndChooseAddressAsync(page, postcode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register customer" }).ClickAsync();
        if (expectDuplicates) return "";
        await page.WaitForURLAsync(CustomerPath());
        return new Uri(page.Url).AbsolutePath;
    }

    [GeneratedRegex(@"/councils/cheltenham/customers/[0-9a-f-]{36}(\?.*)?$")]
    private static partial Regex CustomerPath();

    [TestCase(true)]
    [TestCase(false)]
    public async Task Search_open_the_customer_log_a_contact_and_see_it_on_the_single_view(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context);
        var last = Unique("Searchable");
        var path = await RegisterAsync(page, "Ada", last, email: $"{last.ToLowerInvariant()}@example.com", phone: "01242 " + Random.Shared.Next(100000, 999999));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo($"Ada {last}"));
        Assert.That(await page.Locator("[data-testid=contact-count]").InnerTextAsync(), Is.EqualTo("0"));

        await page.GotoAsync("/");
        await page.GetByLabel("Find a customer").FillAsync(last);
        if (javaScript)
        {
            // Found as you type: the results appear on the home page without submitting.
            await page.Locator("#search-results a", new() { HasText = $"Ada {last}" }).WaitForAsync(new() { Timeout = 10_000 });
            Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/"));
        }
        else
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/customers");
        }
        var result = page.Locator("#search-results li", new() { HasText = $"Ada {last}" });
        Assert.That(await result.InnerTextAsync(), Does.Contain($"{last.ToLowerInvariant()}@example.com").And.Contain("GL50"));
        await result.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == path);

        await page.GetByLabel("Channel").SelectOptionAsync("phone");
        await page.GetByLabel("Reason for contact").FillAsync("Asked about bin collection day");
        await page.GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("status=contact-logged", StringComparison.Ordinal));
        Assert.That(await page.Locator(".govuk-notification-banner").InnerTextAsync(), Does.Contain("Contact logged"));
        Assert.That(await page.Locator("[data-testid=contact-count]").InnerTextAsync(), Is.EqualTo("1"));
        Assert.That(await page.Locator("[data-testid=last-contact]").InnerTextAsync(), Is.Not.EqualTo("None yet"));
        // The timeline is fed by a subscription; the redirect carries the write's position so the page waits for it.
        var newest = page.Locator("[data-testid=timeline] .ca-timeline__item").First;
        Assert.That(await newest.InnerTextAsync(), Does.Contain("Phone contact: Asked about bin collection day"));
        Assert.That(await page.Locator("[data-testid=timeline] .ca-timeline__item").CountAsync(), Is.EqualTo(2), "the contact and the record's creation");
    }

    [Test]
    public async Task Failure_demand_reveals_its_reasons_and_the_timeline_says_why()
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript: true);
        var page = await SignedInAsync(context);
        await RegisterAsync(page, "Cass", Unique("Chaser"), postcode: null);
        var chasing = page.GetByLabel("Chasing progress on something already asked for");
        Assert.That(await chasing.IsVisibleAsync(), Is.False, "the reasons stay folded away until failure demand is picked");
        await page.GetByLabel("Channel").SelectOptionAsync("phone");
        await page.GetByLabel("Reason for contact").FillAsync("Where is my replacement bin");
        await page.GetByLabel("No", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Failure demand").CheckAsync();
        await chasing.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("status=contact-logged", StringComparison.Ordinal));
        var newest = page.Locator("[data-testid=timeline] .ca-timeline__item").First;
        Assert.That(await newest.InnerTextAsync(), Does.Contain("failure demand (chasing progress on something already asked for)"));
    }

    [Test]
    public async Task Logging_a_contact_without_the_required_answers_shows_an_error_summary_linked_to_the_fields()
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await SignedInAsync(context);
        await RegisterAsync(page, "Bea", Unique("Errorful"), postcode: null);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        var summary = page.Locator(".govuk-error-summary");
        await summary.WaitForAsync();
        Assert.That(await summary.Locator("a[href='#channel']").CountAsync(), Is.EqualTo(1));
        Assert.That(await summary.Locator("a[href='#reason']").CountAsync(), Is.EqualTo(1));
        Assert.That(await summary.Locator("a[href='#resolved-yes']").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.TitleAsync(), Does.StartWith("Error:"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Registering_offers_possible_duplicates_before_creating(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context);
        var phone = "07700 9" + Random.Shared.Next(10000, 99999);
        var last = Unique("Dupe");
        var first = await RegisterAsync(page, "Cai", last, phone: phone);

        await RegisterAsync(page, "Kai", last, phone: phone, expectDuplicates: true);
        var duplicates = page.Locator("[data-testid=duplicates]");
        await duplicates.WaitForAsync();
        Assert.That(await duplicates.InnerTextAsync(), Does.Contain($"Cai {last}"));
        Assert.That(await duplicates.GetByRole(AriaRole.Link).GetAttributeAsync("href"), Is.EqualTo(first));

        await page.GetByRole(AriaRole.Button, new() { Name = "Create a new record anyway" }).ClickAsync();
        await page.WaitForURLAsync(CustomerPath());
        Assert.That(new Uri(page.Url).AbsolutePath, Is.Not.EqualTo(first));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo($"Kai {last}"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Changing_details_with_the_address_lookup(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context);
        var last = Unique("Mover");
        await RegisterAsync(page, "Dee", last, postcode: null);
        await page.GetByRole(AriaRole.Link, new() { Name = "Change details" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync($"{last.ToLowerInvariant()}@example.org");
        await page.GetByLabel("Phone").FillAsync("01242 262626");
        await FindAndChooseAddressAsync(page, "GL52 6");
        var chosen = await page.Locator("label[for=uprn-0]").InnerTextAsync();
        Assert.That(await page.GetByLabel("Email").InputValueAsync(), Is.EqualTo($"{last.ToLowerInvariant()}@example.org"), "typed values survive the lookup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        if (!page.Url.Contains("status=details-changed", StringComparison.Ordinal)) Assert.Fail(page.Url + "\n" + await page.Locator("main").InnerTextAsync());
        var details = await page.Locator("[data-testid=details]").InnerTextAsync();
        Assert.That(details, Does.Contain($"{last.ToLowerInvariant()}@example.org").And.Contain("01242 262626").And.Contain(chosen.Split(',')[0]));
    }

    [Test]
    public async Task Flags_show_first_and_a_duplicate_can_be_merged()
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await SignedInAsync(context);
        var last = Unique("Flagged");
        var duplicate = await RegisterAsync(page, "Eve", last, postcode: null);
        var survivor = await RegisterAsync(page, "Eve", last + "x", postcode: null);

        await page.GetByRole(AriaRole.Link, new() { Name = "Set or remove flags" }).ClickAsync();
        await page.GetByLabel("Warning: abusive contact").CheckAsync();
        await page.GetByLabel("Why is it set?").FillAsync("Threatened staff on the phone");
        await page.GetByLabel("Review date (optional)").FillAsync("2030-01-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set flag" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("status=flag-set", StringComparison.Ordinal));
        var flags = await page.Locator("[data-testid=flags]").InnerTextAsync();
        Assert.That(flags, Does.Contain("Warning: abusive contact").And.Contain("Threatened staff").And.Contain("advisor").And.Contain("31 January 2030"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Merge a duplicate record into this one" }).ClickAsync();
        await page.GetByLabel("Find the duplicate").FillAsync(duplicate.Split('/')[^1]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.Locator("[data-testid=merge-confirm]").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge records" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("status=merged", StringComparison.Ordinal));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo(survivor));

        var response = await page.GotoAsync(duplicate);
        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await page.Locator("[data-testid=merged-into]").GetAttributeAsync("href"), Is.EqualTo(survivor));
    }

    [Test]
    public async Task Another_councils_customer_is_refused()
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await SignedInAsync(context);
        var path = await RegisterAsync(page, "Fay", Unique("Private"), postcode: null);
        await using var other = await BrowserHost.NewContextAsync(javaScript: false);
        var cotswold = await SignedInAsync(other, "advisor.cotswold");
        var response = await cotswold.GotoAsync(path);
        Assert.That(response!.Status, Is.EqualTo(403));
        Assert.That(await cotswold.Locator("main").InnerTextAsync(), Does.Not.Contain("Fay"));
        response = await cotswold.GotoAsync(path.Replace("cheltenham", "cotswold", StringComparison.Ordinal));
        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await cotswold.Locator("h1").InnerTextAsync(), Is.EqualTo("Page not found"));
    }

    [Test]
    public async Task The_customer_screens_have_no_serious_accessibility_violations()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await SignedInAsync(context);
        var failures = new List<string>();
        async Task Scan(string name)
        {
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), name + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), name + ": one <h1>");
            failures.AddRange(await BrowserHost.AxeAsync(page, name));
        }

        var last = Unique("Axe");
        var path = await RegisterAsync(page, "Gil", last, phone: "01242 111" + Random.Shared.Next(100, 999), email: $"{last.ToLowerInvariant()}@example.com");
        await Scan("single view");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log contact" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("single view with errors");
        await page.GotoAsync("/");
        await page.GetByLabel("Find a customer").FillAsync(last);
        await page.Locator("#search-results a").First.WaitForAsync();
        await Scan("home with results");
        foreach (var p in new[] { $"/customers?q={last}", path + "/details", path + "/flags", path + "/merge", path + "/merge?q=Gil", "/councils/cheltenham/customers/new", "/councils/cheltenham/customers/nobody" })
        {
            await page.GotoAsync(p);
            await Scan(p);
        }
        await page.GotoAsync(path + "/details");
        await FindAndChooseAddressAsync(page, "GL50 1");
        await Scan("details with addresses");
        await RegisterAsync(page, "Gil", last, phone: null, expectDuplicates: true);
        await page.Locator("[data-testid=duplicates]").WaitForAsync();
        await Scan("register with duplicates");
        Assert.That(failures, Is.Empty);
    }
}
