using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using CustomerAccess.Platform.Web;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAccess.Host.Tests;

/// <summary>POST /api/auth/token, bearer tokens, lockout and production mode (api-contract.md, Auth).</summary>
public class AuthTests
{
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task A_seeded_user_gets_a_bearer_token_with_their_roles_and_councils()
    {
        var response = await _client.PostAsJsonAsync("/api/auth/token", new { username = "advisor", password = Api.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.JsonAsync();
        Assert.That(body.GetProperty("tokenType").GetString(), Is.EqualTo("Bearer"));
        Assert.That(body.GetProperty("expiresIn").GetInt32(), Is.GreaterThan(0));
        var token = new JsonWebToken(body.GetProperty("accessToken").GetString());
        Assert.That(token.GetClaim("name").Value, Is.EqualTo("advisor"));
        Assert.That(token.Claims.Where(c => c.Type == "role").Select(c => c.Value), Is.EquivalentTo(new[] { "advisor" }));
        Assert.That(token.Claims.Where(c => c.Type == "council").Select(c => c.Value),
            Is.EquivalentTo(new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" }));

        var officer = new JsonWebToken(await Api.TokenAsync(_client, "waste.officer"));
        Assert.That(officer.GetClaim("team").Value, Is.EqualTo("waste"));
        var admin = new JsonWebToken(await Api.TokenAsync(_client, "admin"));
        Assert.That(admin.GetClaim("council").Value, Is.EqualTo("*"));
    }

    [TestCase("advisor", "wrong-password")]
    [TestCase("nobody", Api.Password)]
    public async Task Wrong_credentials_are_a_401_problem(string username, string password)
    {
        var response = await _client.PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_missing_password_is_a_400_with_field_errors()
    {
        var response = await _client.PostAsJsonAsync("/api/auth/token", new { username = "advisor" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _), Is.True);
    }

    [Test]
    public async Task Passwords_are_stored_hashed_never_plain()
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select password_hash from tenancy.users", admin);
        await using var reader = await cmd.ExecuteReaderAsync();
        var hashes = new List<string>();
        while (await reader.ReadAsync()) hashes.Add(reader.GetString(0));
        Assert.That(hashes, Has.Count.EqualTo(6));
        Assert.That(hashes, Has.None.Contains(Api.Password));
    }

    [Test]
    public async Task Repeated_failures_lock_the_account_and_the_answer_stays_the_same()
    {
        const string user = "auditor";
        for (var i = 0; i < 5; i++)
        {
            var wrong = await _client.PostAsJsonAsync("/api/auth/token", new { username = user, password = "guess-" + i });
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        var locked = await _client.PostAsJsonAsync("/api/auth/token", new { username = user, password = Api.Password });
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the right password is refused while locked");
        var unknown = await _client.PostAsJsonAsync("/api/auth/token", new { username = "no.such.user", password = "x" });
        Assert.That((await locked.JsonAsync()).GetProperty("detail").GetString(),
            Is.EqualTo((await unknown.JsonAsync()).GetProperty("detail").GetString()), "a locked account is not told apart from an unknown one");

        // The lock ends: move it into the past and the right password works again.
        await using (var admin = await _host.Database.OpenAdminAsync())
        await using (var cmd = new Npgsql.NpgsqlCommand("update tenancy.users set locked_until = now() - interval '1 second' where username = $1", admin))
        {
            cmd.Parameters.AddWithValue(user);
            Assert.That(await cmd.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }
        var after = await _client.PostAsJsonAsync("/api/auth/token", new { username = user, password = Api.Password });
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task No_token_is_a_401_problem()
    {
        var response = await _client.GetAsync("/api/councils");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_token_signed_with_a_foreign_key_is_refused()
    {
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LocalTokens.Issuer,
            Audience = LocalTokens.Audience,
            Subject = new ClaimsIdentity([new Claim("name", "mallory"), new Claim("role", Roles.PartnershipAdmin), new Claim("council", "*")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)) { KeyId = "local" },
                SecurityAlgorithms.HmacSha256),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/councils");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_token_is_accepted_by_another_host_over_the_same_database()
    {
        var token = await Api.TokenAsync(_client, "advisor");
        await using var second = new SameDatabaseHost(_host.Database);
        using var client = second.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/api/councils");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a restarted or second host shares the signing key through the database");
    }

    [Test]
    public async Task Production_refuses_local_sign_in()
    {
        await using var production = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["CustomerAccess:Auth:Authority"] = "https://login.councils.example/",
            ["CustomerAccess:Auth:Audience"] = "customeraccess",
        }, environment: "Production");
        using var client = production.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "advisor", password = Api.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var page = await client.GetStringAsync("/sign-in");
        Assert.That(page, Does.Contain("turned off in production"));
    }

    [Test]
    public async Task A_sign_in_or_sign_out_without_a_valid_form_token_shows_the_form_again_not_an_empty_page()
    {
        using var browser = _host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "advisor", ["password"] = Api.Password });
        var response = await browser.PostAsync("/sign-in", form);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(html, Does.Contain("<main").And.Contain("<h1").And.Contain("The sign-in form had expired"));
            Assert.That(PageForms.AntiforgeryToken(html), Is.Not.Empty, "a fresh form to sign in with");
            Assert.That(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(".AspNetCore.Cookies", StringComparison.Ordinal)),
                Is.False, "not signed in");
        });

        var signOut = await browser.PostAsync("/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>()));
        var signOutHtml = await signOut.Content.ReadAsStringAsync();
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(signOutHtml, Does.Contain("<main").And.Contain("Sign out").And.Contain("had expired"));
    }

    [Test]
    public async Task A_signed_in_user_without_the_role_gets_the_403_page_and_no_header_link_to_it()
    {
        using var browser = _host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var form = await (await browser.GetAsync("/sign-in")).Content.ReadAsStringAsync();
        var signedIn = await PageForms.PostAsync(browser, form, "/sign-in", new Dictionary<string, string> { ["username"] = "auditor", ["password"] = Api.Password });
        var home = await signedIn.Content.ReadAsStringAsync();
        Assert.That(home, Does.Contain("Sign out").And.Not.Contain("href=\"/payments/new\"").And.Not.Contain("href=\"/cases/new\""),
            "an auditor is offered no link that can only refuse");

        var refused = await browser.GetAsync("/payments/new");
        var html = await refused.Content.ReadAsStringAsync();
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("You cannot see this page").And.Not.Contain("name=\"password\""));
    }

    /// <summary>A second host process over an existing test database, as after a restart or behind a load balancer.</summary>
    private sealed class SameDatabaseHost(TestDatabase db) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var settings = HostSettings.For(db);
            builder.UseEnvironment("Development");
            foreach (var (k, v) in settings) builder.UseSetting(k, v);
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        }
    }
}
