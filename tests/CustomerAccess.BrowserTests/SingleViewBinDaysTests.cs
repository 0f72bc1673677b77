namespace CustomerAccess.BrowserTests;

/// <summary>
/// The single view shows the customer's bin days from the Waste module's page: brought in by htmx
/// with JavaScript on, a link to the page with it off.
/// </summary>
public class SingleViewBinDaysTests
{
    // A seeded Cheltenham address that is on every container's round (the first 2,000 UPRNs are).
    private const long Uprn = 16_150_000_024;

    [TestCase(true)]
    [TestCase(false)]
    public async Task Bin_days_for_the_customers_address_are_on_the_single_view(bool javaScript)
    {
        var customer = await BrowserHost.RegisterCustomerAsync("Bina", "Days", Uprn);
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await BrowserHost.SignInAsync(context, "advisor");
        await page.GotoAsync($"/councils/cheltenham/customers/{customer}");
        var section = page.GetByTestId("single-view-bin-days");
        if (javaScript)
        {
            var table = section.GetByTestId("bin-days");
            await table.WaitForAsync();
            Assert.That(await table.InnerTextAsync(), Does.Contain("refuse").IgnoreCase);
        }
        else
        {
            var link = section.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "See the bin collection days for this address" });
            Assert.That(await link.GetAttributeAsync("href"), Is.EqualTo($"/councils/cheltenham/waste/bin-days?uprn={Uprn}"));
            await link.ClickAsync();
            Assert.That(await page.GetByTestId("bin-days").IsVisibleAsync(), Is.True);
        }
    }
}
