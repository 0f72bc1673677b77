using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// Taking a payment in a real browser with JavaScript off (plain forms): from the header navigation to the
/// receipt, a partial refund on it, and the day's cash-up; then an accessibility scan of every payment screen.
/// </summary>
public class PaymentJourneyTests
{
    private static Task<IPage> SignedInAsync(IBrowserContext context, string username) => BrowserHost.SignInAsync(context, username);

    [Test]
    public async Task An_advisor_takes_a_cash_payment_refunds_part_of_it_and_sees_it_in_the_cash_up()
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await SignedInAsync(context, "advisor");
        await page.GetByRole(AriaRole.Link, new() { Name = "Take a payment" }).ClickAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Does.Match("^/councils/[a-z-]+/payments/new$"));

        await page.GetByLabel("Fund").SelectOptionAsync("bulky-waste");
        await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("36.00");
        await page.GetByLabel("Cash", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment" }).ClickAsync();
        await page.GetByText("Payment taken.").WaitForAsync();
        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.Match(@"^Receipt [A-Z]{3}-\d{6}$"));
        Assert.That(await page.Locator("[data-testid=payment-status]").InnerTextAsync(), Is.EqualTo("Succeeded"));
        Assert.That(await page.Locator("[data-testid=amount]").InnerTextAsync(), Is.EqualTo("£36.00"));

        await page.GetByLabel("Amount to refund").FillAsync("6");
        await page.GetByLabel("Reason").FillAsync("One item not collected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record refund" }).ClickAsync();
        await page.GetByText("Refund recorded.").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=refunds]").InnerTextAsync(), Does.Contain("One item not collected").And.Contain("£6.00"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Cash-up" }).ClickAsync();
        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.StartWith("Cash-up for "));
        Assert.That(await page.Locator("[data-testid=cashiers]").InnerTextAsync(), Does.Contain("advisor"));
    }

    [Test]
    public async Task The_payment_screens_have_one_main_one_h1_and_no_serious_accessibility_failures()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await SignedInAsync(context, "advisor");
        var failures = new List<string>();
        async Task Scan(string name)
        {
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), name + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), name + ": one <h1>");
            failures.AddRange(await BrowserHost.AxeAsync(page, name));
        }

        await page.GotoAsync("/payments/new");
        await Scan("take a payment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("take a payment with errors");
        await page.GetByLabel("Fund").SelectOptionAsync("parking");
        await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("2.50");
        await page.GetByLabel("Cheque", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take payment" }).ClickAsync();
        await page.Locator("[data-testid=receipt]").WaitForAsync();
        await Scan("receipt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record refund" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("receipt with refund errors");
        await page.GotoAsync("/payments/cash-up");
        await Scan("cash-up");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
