using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>The report screens in a real browser: reached from the header, a period chosen, no serious axe failures.</summary>
public class ReportScreensTests
{
    [Test]
    public async Task An_auditor_opens_the_reports_from_the_header_changes_the_period_and_reaches_the_partnership_table()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await BrowserHost.SignInAsync(context, "auditor");
        await page.Locator("#navigation").GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/reports");
        var failures = new List<string>(await BrowserHost.AxeAsync(page, "report"));
        Assert.That(await page.Locator("[data-testid=figures]").CountAsync(), Is.EqualTo(1));

        // A period the wrong way round: the error summary, linked to the field, and no figures.
        await page.GetByLabel("From").FillAsync("2026-02-01");
        await page.GetByLabel("To").FillAsync("2026-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the report" }).ClickAsync();
        await page.Locator(".govuk-error-summary a[href='#from']").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=figures]").CountAsync(), Is.Zero);
        failures.AddRange(await BrowserHost.AxeAsync(page, "report with errors"));

        await page.GetByLabel("From").FillAsync("2026-01-01");
        await page.GetByLabel("To").FillAsync("2026-01-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the report" }).ClickAsync();
        await page.Locator("h2", new() { HasText = "1 January 2026 to 31 January 2026" }).WaitForAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Every council, for the joint committee" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/reports/partnership");
        Assert.That(await page.Locator("[data-testid=partnership] tbody tr").CountAsync(), Is.GreaterThanOrEqualTo(4));
        Assert.That(await page.GetByLabel("From").InputValueAsync(), Is.EqualTo("2026-01-01"), "the period carries over");
        failures.AddRange(await BrowserHost.AxeAsync(page, "partnership"));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
