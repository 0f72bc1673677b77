using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CustomerAccess.Host.Tests;

/// <summary>
/// Input that would otherwise fail deep in a handler (text PostgreSQL cannot store, a field of the
/// wrong type) is a 400 naming the field, and changes nothing; the framework's own refusals (sign-in,
/// method, media type) are problems that say what happened.
/// </summary>
public class InputProblemsTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostRaw(string url, string json) =>
        await _advisor.Http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var body = await ApiClient.Json(response);
        Assert.That(body["detail"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "every problem says what happened");
        return body;
    }

    private async Task<int> CustomersNamed(string lastName) =>
        (await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers?q={lastName}&limit=50"), HttpStatusCode.OK))["items"]!.AsArray()
            .Count(c => c!["lastName"]?.GetValue<string>()?.StartsWith(lastName, StringComparison.Ordinal) == true);

    [Test]
    public async Task A_NUL_character_in_a_JSON_field_is_a_400_naming_the_field_and_creates_nothing()
    {
        var body = await Problem(await PostRaw($"{Base}/customers", """{"firstName":"Nul\u0000la","lastName":"Nulcheck"}"""), HttpStatusCode.BadRequest);
        Assert.That(body["errors"]!["firstName"]!.AsArray().Single()!.GetValue<string>(), Does.Contain("NUL"));
        Assert.That(await CustomersNamed("Nulcheck"), Is.Zero);

        // Also on a contact's reason and a token request: never a 500.
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Ada", lastName = "Nulcheck" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var contact = await Problem(await PostRaw($"{Base}/customers/{customer}/contacts",
            """{"channel":"phone","reason":"bin\u0000day","resolvedAtFirstContact":true}"""), HttpStatusCode.BadRequest);
        Assert.That(contact["errors"]!["reason"], Is.Not.Null);
        var token = await _host.CreateClient().PostAsync("/api/auth/token",
            new StringContent("""{"username":"adv\u0000isor","password":"x"}""", Encoding.UTF8, "application/json"));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_NUL_character_in_a_query_parameter_is_a_400_naming_it()
    {
        var body = await Problem(await _advisor.GetAsync($"{Base}/customers?q=abc%00def"), HttpStatusCode.BadRequest);
        Assert.That(body["errors"]!["q"], Is.Not.Null);
    }

    [Test]
    public async Task A_query_parameter_that_does_not_bind_is_a_400_naming_it()
    {
        var body = await Problem(await _advisor.GetAsync($"{Base}/customers?q=Ada&limit=abc"), HttpStatusCode.BadRequest);
        Assert.That(body["errors"]!["limit"], Is.Not.Null);
        Assert.That(body.ToJsonString(), Does.Not.Contain("abc"), "the caller's value is not echoed");
    }

    [Test]
    public async Task A_retried_or_repeated_write_still_answers_with_an_event_position()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Rita", lastName = "Retry", phone = "01242 262626" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var key = Guid.NewGuid().ToString();
        var contact = new { channel = "phone", reason = "bin day", resolvedAtFirstContact = true, idempotencyKey = key };
        var first = await _advisor.PostAsync($"{Base}/customers/{customer}/contacts", contact);
        await ApiClient.Expect(first, HttpStatusCode.Created);
        var retry = await _advisor.PostAsync($"{Base}/customers/{customer}/contacts", contact);
        await ApiClient.Expect(retry, HttpStatusCode.OK);
        Assert.That(long.Parse(retry.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture),
            Is.GreaterThanOrEqualTo(long.Parse(first.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture)));

        // A change of details that changes nothing, and a second erasure, are successful writes too.
        var same = await _advisor.PatchAsync($"{Base}/customers/{customer}", new { phone = "01242 262626" });
        await ApiClient.Expect(same, HttpStatusCode.OK);
        Assert.That(same.Headers.Contains("X-Event-Position"), Is.True);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{customer}/erasure", new { reason = "subject request" }), HttpStatusCode.OK);
        var again = await _advisor.PostAsync($"{Base}/customers/{customer}/erasure", new { reason = "subject request" });
        await ApiClient.Expect(again, HttpStatusCode.OK);
        Assert.That(again.Headers.Contains("X-Event-Position"), Is.True);
    }

    [Test]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var body = await Problem(await PostRaw($"{Base}/customers", """{"firstName":{"a":1},"lastName":"Typecheck"}"""), HttpStatusCode.BadRequest);
        Assert.That(body["errors"]!["firstName"], Is.Not.Null);
        Assert.That(await CustomersNamed("Typecheck"), Is.Zero);
    }

    [Test]
    public async Task The_single_view_as_at_an_instant_before_the_customer_existed_is_a_page_that_says_so()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Early", lastName = "Asatcheck" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/councils/cheltenham/customers/{customer}?asAt=2020-01-01T00:00:00Z");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await _advisor.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("<main").And.Contain("<h1").And.Contain("Nothing was recorded about this customer by 2020-01-01T00:00:00Z"));
        });
    }

    [TestCase("/councils/cheltenham/customers?q=4111111111111111", "card number")]
    [TestCase("/councils/cheltenham/customers?q=a%00b", "cannot be saved")]
    public async Task A_screen_refused_by_a_guard_is_an_error_page_not_raw_json(string url, string message)
    {
        foreach (var accept in new[] { "text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd(accept);
            var response = await _advisor.Http.SendAsync(request);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), accept);
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"), accept);
                Assert.That(html, Does.Contain("<main").And.Contain("<h1").And.Contain(message), accept);
                Assert.That(html, Does.Not.Contain("4111111111111111"));
            });
        }
        // A form post too (the status page renders for a re-executed POST).
        using var post = new HttpRequestMessage(HttpMethod.Post, "/councils/cheltenham/customers/new")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["firstName"] = "4111 1111 1111 1111" }),
        };
        post.Headers.Accept.ParseAdd("text/html");
        var posted = await _advisor.Http.SendAsync(post);
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await posted.Content.ReadAsStringAsync(), Does.Contain("card number"));
    }

    [Test]
    public async Task The_frameworks_own_refusals_say_what_happened()
    {
        using var anonymous = _host.CreateClient();
        await Problem(await anonymous.GetAsync($"{Base}/customers?q=x"), HttpStatusCode.Unauthorized);
        await Problem(await _advisor.Http.PutAsync($"{Base}/customers", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.MethodNotAllowed);
        await Problem(await _advisor.Http.PostAsync($"{Base}/customers", new StringContent("firstName=a", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType);
        using var auditor = ApiClient.As(_host, "auditor", "auditor", "cheltenham");
        await Problem(await auditor.PostAsync($"{Base}/customers", new { firstName = "A", lastName = "B" }), HttpStatusCode.Forbidden);
    }
}
