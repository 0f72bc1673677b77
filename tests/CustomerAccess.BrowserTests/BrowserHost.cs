using System.Net.Http.Json;
using CustomerAccess.Host;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace CustomerAccess.BrowserTests;

/// <summary>
/// The real host on Kestrel at 127.0.0.1 on a free port (a browser needs a real socket), over a fresh
/// seeded database, and headless Chromium from /usr/bin/chromium driven by Playwright.
/// </summary>
[SetUpFixture]
public sealed class BrowserHost
{
    private static TestDatabase? _db;
    private static WebApplication? _app;
    private static IPlaywright? _playwright;

    public static Uri BaseAddress { get; private set; } = null!;
    /// <summary>The host's database, for a test to set up what no screen makes (a dead letter, say).</summary>
    public static TestDatabase Database => _db ?? throw new InvalidOperationException("The browser host has not started.");
    public static IBrowser Browser { get; private set; } = null!;
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            "--contentRoot=" + Path.Combine(RepositoryRoot, "host", "CustomerAccess.Host"),
        };
        args.AddRange(HostSettings.For(_db).Select(s => $"--{s.Key}={s.Value}"));
        _app = await HostComposition.BuildAsync([.. args]);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });

        // Warm the host and the browser once, so no test's first step pays for a cold start (JIT, the
        // first Razor page, subscriptions catching up on the seed): on a fresh clone the first sign-in
        // once took over Playwright's 30 s default.
        using (var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) })
            (await http.GetAsync(new Uri("/sign-in", UriKind.Relative))).EnsureSuccessStatusCode();
        await using var warm = await NewContextAsync(javaScript: false);
        await SignInAsync(warm, "advisor", TimeSpan.FromMinutes(2));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_db is not null) await _db.DisposeAsync();
    }

    /// <summary>The seeded users' local password (CUSTOMERACCESS_SEED_PASSWORD is not set in tests).</summary>
    public const string Password = "change-me-locally";

    /// <summary>Signs <paramref name="username"/> in through the sign-in form and waits for the home page.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string username, TimeSpan? timeout = null)
    {
        var page = await context.NewPageAsync();
        if (timeout is { } t) page.SetDefaultTimeout((float)t.TotalMilliseconds);
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        }
        catch (TimeoutException e)
        {
            // Say where the browser stopped instead (a refused sign-in, an error page), not only that it waited.
            var heading = await page.Locator("h1").AllInnerTextsAsync();
            throw new TimeoutException($"Signing in as {username} did not reach the home page: the browser is at {page.Url}, " +
                $"headed \"{string.Join(" / ", heading)}\".", e);
        }
        return page;
    }

    /// <summary>An API client signed in (bearer token) as <paramref name="username"/>, to check what a screen did.</summary>
    public static async Task<HttpClient> ApiAsAsync(string username)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        var token = await http.PostAsJsonAsync("/api/auth/token", new { username, password = Password });
        using var tokenJson = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            tokenJson.RootElement.GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>Registers a Cheltenham customer through the API as the advisor; returns the id.</summary>
    public static async Task<string> RegisterCustomerAsync(string firstName, string lastName, long? uprn = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "advisor", password = Password });
        using var tokenJson = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            tokenJson.RootElement.GetProperty("accessToken").GetString());
        var created = await http.PostAsJsonAsync("/api/councils/cheltenham/customers", new { firstName, lastName, uprn });
        Assert.That((int)created.StatusCode, Is.EqualTo(201));
        using var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>axe-core's serious and critical violations on the page (WCAG 2.2 AA and best practice), one line each.</summary>
    public static async Task<List<string>> AxeAsync(IPage page, string name)
    {
        await page.AddScriptTagAsync(new() { Path = Path.Combine(RepositoryRoot, "node_modules", "axe-core", "axe.min.js") });
        var violations = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }))
              .violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).join(' | ') }))
            """);
        var failures = new List<string>();
        foreach (var v in violations.EnumerateArray())
        {
            var impact = v.GetProperty("impact").GetString();
            if (impact is "serious" or "critical")
                failures.Add($"{name}: {impact} {v.GetProperty("id").GetString()} – {v.GetProperty("help").GetString()} at {v.GetProperty("nodes").GetString()}");
        }
        return failures;
    }

    /// <summary>A fresh browser context (own cookies). CSP is bypassed only so the tests can inject axe-core.</summary>
    public static Task<IBrowserContext> NewContextAsync(bool javaScript = true) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        JavaScriptEnabled = javaScript,
        BypassCSP = true,
    });

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CustomerAccess.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CustomerAccess.sln not found above the test binaries.");
    }
}
