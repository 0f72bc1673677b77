using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// A case end to end in a real browser, JavaScript off (every step is a plain form): an advisor raises
/// a member enquiry and escalates it, the waste officer resolves it from the team queue, the
/// councillor sees it resolved on their casework list.
/// </summary>
public class CaseJourneyTests
{
    private static Task<IPage> SignedInAsync(IBrowserContext context, string username) => BrowserHost.SignInAsync(context, username);

    private static Task<string> RegisterCustomerAsync() => BrowserHost.RegisterCustomerAsync("Robin", "Journey");

    [Test]
    public async Task Advisor_raises_and_escalates_officer_resolves_from_the_queue_member_sees_the_status()
    {
        var customer = await RegisterCustomerAsync();

        await using var advisorContext = await BrowserHost.NewContextAsync(javaScript: false);
        var advisor = await SignedInAsync(advisorContext, "advisor");
        await advisor.GetByRole(AriaRole.Link, new() { Name = "Raise a case" }).ClickAsync();
        await advisor.GetByLabel("Customer ID").FillAsync(customer);
        await advisor.GetByLabel("Member enquiry").CheckAsync();
        await advisor.GetByLabel("Elected member").FillAsync("cllr.cheltenham");
        await advisor.GetByLabel("Service", new() { Exact = true }).SelectOptionAsync("waste");
        await advisor.GetByLabel("Summary").FillAsync("Overflowing litter bin by the bus stop");
        await advisor.GetByRole(AriaRole.Button, new() { Name = "Raise case" }).ClickAsync();
        await advisor.Locator("[data-testid=case-status]").WaitForAsync();
        var heading = await advisor.Locator("h1").InnerTextAsync();
        Assert.That(heading, Does.Match(@"^Case CHE-C-\d{6}$"));
        var reference = heading["Case ".Length..];
        Assert.That(await advisor.Locator("[data-testid=case-status]").InnerTextAsync(), Is.EqualTo("Open"));

        await advisor.GetByLabel("Escalate to team").SelectOptionAsync("waste");
        await advisor.GetByLabel("Reason for escalating").FillAsync("Needs the street cleansing crew");
        await advisor.GetByRole(AriaRole.Button, new() { Name = "Escalate case" }).ClickAsync();
        await advisor.GetByText("Case escalated to the Waste team").WaitForAsync();
        Assert.That(await advisor.Locator("[data-testid=case-status]").InnerTextAsync(), Is.EqualTo("Escalated"));

        await using var officerContext = await BrowserHost.NewContextAsync(javaScript: false);
        var officer = await SignedInAsync(officerContext, "waste.officer");
        await officer.GetByRole(AriaRole.Link, new() { Name = "Team queue" }).ClickAsync();
        await officer.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await officer.GetByLabel("Outcome").FillAsync("Bin emptied and cleaned");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Resolve case" }).ClickAsync();
        await officer.GetByText("Case resolved").First.WaitForAsync();
        Assert.That(await officer.Locator("[data-testid=case-status]").InnerTextAsync(), Is.EqualTo("Resolved"));

        await using var memberContext = await BrowserHost.NewContextAsync(javaScript: false);
        var member = await SignedInAsync(memberContext, "cllr.cheltenham");
        await member.GetByRole(AriaRole.Link, new() { Name = "My casework" }).ClickAsync();
        var row = member.Locator("[data-testid=casework] tr", new() { HasText = reference });
        Assert.That(await row.InnerTextAsync(), Does.Contain("Resolved"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_raise_form_shows_guidance_for_the_chosen_service(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context, "advisor");
        await page.GotoAsync("/cases/new");
        await page.GetByLabel("Summary").FillAsync("Moving house next month");
        await page.GetByLabel("Articles and scripts for").SelectOptionAsync("council-tax");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show guidance" }).ClickAsync();
        await page.GetByText("Single person discount").WaitForAsync();
        Assert.That(await page.Locator("#guidance-results").InnerTextAsync(), Does.Contain("Moving home: Council Tax call script"));
        // With JavaScript the panel is swapped in place and the form keeps what was typed.
        if (javaScript) Assert.That(await page.GetByLabel("Summary").InputValueAsync(), Is.EqualTo("Moving house next month"));
    }

    [Test]
    public async Task The_case_screens_have_one_main_one_h1_and_no_serious_accessibility_failures()
    {
        var customer = await RegisterCustomerAsync();
        await using var context = await BrowserHost.NewContextAsync();
        var page = await SignedInAsync(context, "advisor");
        var failures = new List<string>();
        async Task Scan(string name)
        {
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), name + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), name + ": one <h1>");
            failures.AddRange(await BrowserHost.AxeAsync(page, name));
        }

        await page.GotoAsync($"/cases/new?service=waste&customerId={customer}");
        await Scan("raise");
        await page.GetByRole(AriaRole.Button, new() { Name = "Raise case" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("raise with errors");
        await page.GetByLabel("Enquiry", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Service", new() { Exact = true }).SelectOptionAsync("waste");
        await page.GetByLabel("Summary").FillAsync("When is my recycling collected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Raise case" }).ClickAsync();
        await page.Locator("[data-testid=case-status]").WaitForAsync();
        await Scan("case");
        foreach (var path in new[] { "/cases/queue?team=waste", "/cases/mine" })
        {
            await page.GotoAsync(path);
            await Scan(path);
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
