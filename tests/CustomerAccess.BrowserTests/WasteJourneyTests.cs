using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The waste screens in a real browser: an advisor, JavaScript off, looks up bin days and takes a
/// garden waste subscription through to the payment due; every waste screen has one main, one h1
/// and no serious axe-core failures. (Missed-bin posts depend on the day's collections, so the
/// browser only scans that form; the page flow test covers its refusals with a fixed clock.)
/// </summary>
public class WasteJourneyTests
{
    private const long MondayArea = 16_150_000_001; // Cheltenham, on every seeded round (refuse, recycling, food, garden)
    private static long _nextUprn = 16_150_001_300;

    private static Task<IPage> SignedInAsync(IBrowserContext context, string username) => BrowserHost.SignInAsync(context, username);

    private static Task<string> RegisterCustomerAsync() => BrowserHost.RegisterCustomerAsync("Ivy", "Garden");

    [Test]
    public async Task Advisor_checks_bin_days_and_takes_a_garden_subscription_to_the_payment_due_with_no_serious_accessibility_failures()
    {
        var customer = await RegisterCustomerAsync();
        var uprn = Interlocked.Increment(ref _nextUprn);
        await using var context = await BrowserHost.NewContextAsync(javaScript: false);
        var page = await SignedInAsync(context, "advisor");
        var failures = new List<string>();
        async Task Scan(string name)
        {
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), name + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), name + ": one <h1>");
            // axe-core needs script, which this context has switched off: scan the same page in one with it on.
            await using var scanContext = await BrowserHost.NewContextAsync(javaScript: true);
            var scanner = await SignedInAsync(scanContext, "advisor");
            await scanner.GotoAsync(page.Url);
            failures.AddRange(await BrowserHost.AxeAsync(scanner, name));
        }

        await page.GotoAsync("/councils/cheltenham/waste/bin-days");
        await page.GetByLabel("Property UPRN").FillAsync(MondayArea.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show bin days" }).ClickAsync();
        await page.Locator("[data-testid=bin-days]").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=bin-days]").InnerTextAsync(), Does.Contain("Garden waste").And.Contain("Food waste"));
        Assert.That(await page.Locator("[data-testid=ics-link]").GetAttributeAsync("href"), Does.Contain("/waste/collections.ics?uprn="));
        await Scan("bin days");

        await page.GotoAsync($"/councils/cheltenham/waste/garden-subscriptions/new?customerId={customer}&uprn={uprn}");
        Assert.That(await page.Locator("[data-testid=garden-prices]").InnerTextAsync(), Does.Contain("£48.00 a bin"));
        await Scan("garden subscription form");
        await page.GetByLabel("Number of garden waste bins").FillAsync("9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        Assert.That(await page.Locator(".govuk-error-summary").InnerTextAsync(), Does.Contain("at most 5"));
        await page.GetByLabel("Number of garden waste bins").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }).ClickAsync();
        await page.Locator("[data-testid=payment-due]").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=payment-due]").InnerTextAsync(), Does.Contain("£96.00 to pay"));
        Assert.That(await page.Locator("[data-testid=subscription-status]").InnerTextAsync(), Is.EqualTo("Waiting for payment"));
        Assert.That(await page.Locator("[data-testid=take-payment]").GetAttributeAsync("href"),
            Does.StartWith($"/councils/cheltenham/payments/new?customerId={customer}&paymentRequestId="));
        await Scan("garden subscription");

        await page.GotoAsync($"/councils/cheltenham/waste/missed-bins/new?customerId={customer}&uprn={MondayArea}");
        await Scan("missed bin form");
        await page.GetByRole(AriaRole.Link, new() { Name = "Works orders" }).ClickAsync();
        await Scan("works orders");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
