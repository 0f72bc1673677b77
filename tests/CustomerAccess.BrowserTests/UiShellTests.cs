using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>The UI shell in a real browser: sign in, errors, council switching, sign out, accessibility.</summary>
public class UiShellTests
{
    private const string Password = "change-me-locally";

    private static Task<IPage> SignedInAsync(IBrowserContext context, string username) => BrowserHost.SignInAsync(context, username);

    private static Task<string> CouncilNameAsync(IPage page) => page.Locator("[data-testid=council-name]").InnerTextAsync();

    [TestCase(true)]
    [TestCase(false)]
    public async Task Signing_in_leads_to_the_home_page_with_the_customer_search(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context, "advisor");
        Assert.That(await page.GetByLabel("Find a customer").IsVisibleAsync(), Is.True);
        Assert.That(await CouncilNameAsync(page), Is.EqualTo("Cheltenham Borough Council"));
        Assert.That(await page.Locator("[data-testid=council-phone]").InnerTextAsync(), Is.EqualTo("01242 262626"));
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync(), Is.True);

        await page.GetByLabel("Find a customer").FillAsync("Smith");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/customers");
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain("No customers found"));
    }

    [Test]
    public async Task A_wrong_password_shows_an_error_on_the_page()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Username").FillAsync("advisor.cotswold");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        Assert.That(await page.Locator(".govuk-error-summary").InnerTextAsync(), Does.Contain("username or password is not right"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/sign-in"));
        Assert.That(await page.GetByLabel("Username").InputValueAsync(), Is.EqualTo("advisor.cotswold"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task An_advisor_serving_several_councils_switches_council_from_the_header(bool javaScript)
    {
        await using var context = await BrowserHost.NewContextAsync(javaScript);
        var page = await SignedInAsync(context, "advisor");
        Assert.That(await CouncilNameAsync(page), Is.EqualTo("Cheltenham Borough Council"));
        await page.GetByLabel("Switch council").SelectOptionAsync(new SelectOptionValue { Label = "Cotswold District Council" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=council-name]')?.textContent === 'Cotswold District Council'",
            null, new() { Timeout = 10_000 }).ConfigureAwait(false);
        Assert.That(await page.Locator("[data-testid=council-phone]").InnerTextAsync(), Is.EqualTo("01285 623000"));

        // The choice is remembered across pages.
        await page.GotoAsync("/customers");
        Assert.That(await CouncilNameAsync(page), Is.EqualTo("Cotswold District Council"));
    }

    [Test]
    public async Task A_user_serving_one_council_has_no_switcher()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await SignedInAsync(context, "advisor.cotswold");
        Assert.That(await CouncilNameAsync(page), Is.EqualTo("Cotswold District Council"));
        Assert.That(await page.GetByLabel("Switch council").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Signing_out_ends_the_session()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await SignedInAsync(context, "advisor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/sign-in");
        await page.GotoAsync("/");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/sign-in"), "the home page needs signing in again");
    }

    [Test]
    public async Task Every_page_has_a_main_landmark_one_h1_and_no_serious_accessibility_violations()
    {
        await using var context = await BrowserHost.NewContextAsync();
        var page = await context.NewPageAsync();
        var failures = new List<string>();

        async Task Scan(string name)
        {
            Assert.That(await page.Locator("main").CountAsync(), Is.EqualTo(1), name + ": one <main>");
            Assert.That(await page.Locator("h1").CountAsync(), Is.EqualTo(1), name + ": one <h1>");
            failures.AddRange(await BrowserHost.AxeAsync(page, name));
        }

        await page.GotoAsync("/sign-in");
        await Scan("sign-in");
        await page.GetByLabel("Username").FillAsync("advisor");
        await page.GetByLabel("Password").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator(".govuk-error-summary").WaitForAsync();
        await Scan("sign-in with an error");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        await Scan("home");
        foreach (var path in new[] { "/customers", "/customers?q=Smith", "/council", "/sign-out" })
        {
            await page.GotoAsync(path);
            await Scan(path);
        }
        Assert.That(failures, Is.Empty);
    }
}
