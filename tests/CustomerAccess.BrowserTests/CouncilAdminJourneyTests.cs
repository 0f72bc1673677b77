using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The partner-council screens in a real browser: an advisor is refused them; a partnership admin reaches them from
/// Administration, onboards a council (a refused id shown in the error summary first), agrees on screen that it shares
/// its customers' identity with Cheltenham, and the API answers both. No serious axe-core failures on any of them.
/// </summary>
public class CouncilAdminJourneyTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Test]
    public async Task An_admin_onboards_a_council_on_screen_and_agrees_its_data_sharing_while_an_advisor_is_refused()
    {
        await using (var advisorContext = await BrowserHost.NewContextAsync())
        {
            var advisor = await BrowserHost.SignInAsync(advisorContext, "advisor");
            Assert.That((await advisor.GotoAsync("/admin/councils"))!.Status, Is.EqualTo(403));
            Assert.That(await advisor.Locator("h1").InnerTextAsync(), Is.EqualTo("You cannot see this page"));
            Assert.That((await advisor.GotoAsync("/admin/councils/cheltenham/data-sharing"))!.Status, Is.EqualTo(403));
        }

        // Named to sort after Cheltenham: the header serves the first council by name, and other journeys expect Cheltenham.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = "stroud-" + suffix;
        var name = "Stroud Browser Council " + suffix;
        using var api = await BrowserHost.ApiAsAsync("admin");
        await using var context = await BrowserHost.NewContextAsync();
        var page = await BrowserHost.SignInAsync(context, "admin");
        var failures = new List<string>();

        await page.Locator("#navigation").GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Partner councils" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/councils");
        Assert.That(await page.Locator("[data-testid=councils] tbody tr").CountAsync(), Is.GreaterThanOrEqualTo(4));
        Assert.That(await page.Locator("tr[data-council=cheltenham]").InnerTextAsync(), Does.Contain("Cheltenham Borough Council").And.Contain("CHL"));
        failures.AddRange(await BrowserHost.AxeAsync(page, "councils"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Onboard a council" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/councils/new");
        await page.GetByLabel("Council id").FillAsync("Stroud DC");
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Telephone number").FillAsync("01453 766321");
        await page.GetByRole(AriaRole.Button, new() { Name = "Onboard council" }).ClickAsync();
        await page.Locator(".govuk-error-summary a[href='#id']").WaitForAsync();
        Assert.That(await page.Locator("#id-error").InnerTextAsync(), Does.Contain("lowercase letters, digits or hyphens"));
        Assert.That(await page.GetByLabel("Name").InputValueAsync(), Is.EqualTo(name), "what was typed is kept");
        failures.AddRange(await BrowserHost.AxeAsync(page, "onboard with errors"));
        await JsonAsync(await api.GetAsync("/api/councils/stroud dc"), HttpStatusCode.NotFound);

        await page.GetByLabel("Council id").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Onboard council" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == $"/admin/councils/{id}/data-sharing");
        Assert.That(await page.Locator("[data-testid=done]").InnerTextAsync(), Does.Contain($"{name} has joined the partnership"));
        var council = await JsonAsync(await api.GetAsync($"/api/councils/{id}"), HttpStatusCode.OK);
        Assert.That(council.GetProperty("name").GetString(), Is.EqualTo(name));
        var prefix = council.GetProperty("receiptPrefix").GetString();
        Assert.That(await page.Locator("[data-testid=receipt-prefix]").InnerTextAsync(), Is.EqualTo(prefix));
        failures.AddRange(await BrowserHost.AxeAsync(page, "data sharing"));

        var cheltenham = page.GetByLabel("Cheltenham Borough Council");
        Assert.That(await cheltenham.IsCheckedAsync(), Is.False, "a new council shares nothing");
        await cheltenham.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save agreements" }).ClickAsync();
        await page.Locator("[data-testid=done]", new() { HasText = "1 agreement changed." }).WaitForAsync();
        Assert.That(await page.GetByLabel("Cheltenham Borough Council").IsCheckedAsync(), Is.True);
        var agreement = await JsonAsync(await api.GetAsync($"/api/councils/{id}/data-sharing/cheltenham"), HttpStatusCode.OK);
        Assert.That(agreement.GetProperty("shareCustomerIdentity").GetBoolean(), Is.True);
        await JsonAsync(await api.GetAsync($"/api/councils/cheltenham/data-sharing/{id}"), HttpStatusCode.NotFound); // one way only

        // Cheltenham's page shows the new council among those sharing with it.
        await page.GotoAsync("/admin/councils/cheltenham/data-sharing");
        Assert.That(await page.Locator("[data-testid=sharing-with-this]").InnerTextAsync(), Does.Contain(name));
        await page.GotoAsync("/admin/councils");
        Assert.That(await page.Locator($"tr[data-council={id}]").InnerTextAsync(), Does.Contain(name).And.Contain("01453 766321").And.Contain(prefix!));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
