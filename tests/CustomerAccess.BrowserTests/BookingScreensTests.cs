using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The booking screens in a real browser: an advisor books the community room from the calendar and
/// holds a bulky waste collection through the wizard; every screen has one main, one h1 and no
/// serious axe-core failures.
/// </summary>
public class BookingScreensTests
{
    private static Task<IPage> SignedInAsync(IBrowserContext context, string username) => BrowserHost.SignInAsync(context, username);

    private static Task<string> RegisterCustomerAsync() => BrowserHost.RegisterCustomerAsync("Bo", "Oking");

    [Test]
    public async Task The_booking_screens_work_and_have_no_serious_accessibility_failures()
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

        await page.GotoAsync($"/councils/cheltenham/bookings?customerId={customer}");
        await Scan("resources");
        await page.GetByRole(AriaRole.Link, new() { Name = "Community room" }).ClickAsync();
        await page.Locator("[data-testid=availability]").WaitForAsync();
        await Scan("calendar");
        await page.Locator("[data-testid=availability]").GetByRole(AriaRole.Link, new() { Name = "Book" }).First.ClickAsync();
        await Scan("new booking");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
        await page.Locator("[data-testid=booking-status]").WaitForAsync();
        Assert.That(await page.Locator("[data-testid=booking-status]").InnerTextAsync(), Is.EqualTo("Confirmed"));
        await Scan("booking");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel booking" }).ClickAsync();
        await page.GetByText("Booking cancelled").WaitForAsync();

        await page.GotoAsync($"/councils/cheltenham/waste/bulky-collections/new?customerId={customer}");
        await Scan("bulky wizard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("bulky wizard with errors");
        await page.GetByLabel("Property reference (UPRN) of the collection address").FillAsync("16150000001");
        await page.GetByLabel("Items to collect, one per line").FillAsync("sofa\nfridge");
        await page.Locator("input[name=slotId]").First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.Locator("[data-testid=check-answers]").WaitForAsync();
        await Scan("bulky check answers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and hold the day" }).ClickAsync();
        await page.Locator("[data-testid=payment-due]").WaitForAsync();
        await Scan("bulky collection");
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "Take payment" }).GetAttributeAsync("href"),
            Does.StartWith($"/councils/cheltenham/payments/new?customerId={customer}&paymentRequestId="));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
