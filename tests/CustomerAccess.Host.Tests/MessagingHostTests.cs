using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerAccess.Platform.Web;
using CustomerAccess.Testing;
using Npgsql;

namespace CustomerAccess.Host.Tests;

public class MessagingHostTests
{
    private MessagingHostFixture _host = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await MessagingHostFixture.StartAsync();
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, string? roles = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (roles is not null) request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.User("test-user", roles, AccessClaims.AllCouncils));
        return request;
    }

    [Test]
    public async Task The_trace_of_an_HTTP_request_carries_through_the_event_and_the_outbox_to_the_handler_span()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore" || s.Name.StartsWith("CustomerAccess", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);

        var traceId = ActivityTraceId.CreateRandom();
        using var request = Request(HttpMethod.Post, "/test/send-ping");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var messageId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetGuid();

        var delivered = await Eventually.Until(
            () => Task.FromResult(HostPingHandler.Delivered.TryGetValue(messageId, out var d) ? d : default),
            d => d.TraceId is not null);
        Assert.That(delivered.TraceId, Is.EqualTo(traceId), "the handler's span is in the request's trace");
        Assert.That(delivered.SessionTraceParent, Does.Contain(traceId.ToString()), "events the handler appends carry the trace too");

        await using (var admin = await _host.Database.OpenAdminAsync())
        await using (var cmd = new NpgsqlCommand("select metadata->>'traceParent' from es.events where event_type = 'host-test.ping-sent' order by position desc limit 1", admin))
            Assert.That((string?)await cmd.ExecuteScalarAsync(), Does.Contain(traceId.ToString()), "the event's metadata carries the request's trace");
        bool Stopped(Func<Activity, bool> match) { lock (stopped) return stopped.Any(match); }
        // Spans are recorded when they end, a moment after the handler has returned.
        await Eventually.Until(() => Task.FromResult(Stopped(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId)),
            because: "the HTTP request span is in the trace");
        await Eventually.Until(() => Task.FromResult(Stopped(a => a.DisplayName == "message.handle host-test.ping" && a.TraceId == traceId && a.ParentSpanId != default)),
            because: "the handler span is a child within the same trace");
    }

    [Test]
    public async Task Dead_letter_routes_need_a_partnership_admin()
    {
        Assert.That((await _client.SendAsync(Request(HttpMethod.Get, "/api/admin/dead-letters"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _client.SendAsync(Request(HttpMethod.Get, "/api/admin/dead-letters", Roles.Advisor))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _client.SendAsync(Request(HttpMethod.Post, "/api/admin/dead-letters/1/retry", Roles.Auditor))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _client.SendAsync(Request(HttpMethod.Get, "/api/admin/dead-letters", Roles.PartnershipAdmin))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_admin_can_list_a_dead_letter_and_send_it_back_for_delivery()
    {
        var messageId = Guid.CreateVersion7();
        var id = await _host.Database.AddDeadLetterAsync("cheltenham", "host-test.ping", """{"note":"again"}""",
            "System.TimeoutException: the gateway timed out", messageId);

        var list = await (await _client.SendAsync(Request(HttpMethod.Get, "/api/admin/dead-letters", Roles.PartnershipAdmin))).Content.ReadFromJsonAsync<JsonElement>();
        var listed = list.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == id);
        Assert.That(listed.GetProperty("error").GetString(), Does.Contain("TimeoutException"));
        Assert.That(listed.GetProperty("messageType").GetString(), Is.EqualTo("host-test.ping"));

        var retry = await _client.SendAsync(Request(HttpMethod.Post, $"/api/admin/dead-letters/{id}/retry", Roles.PartnershipAdmin));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Eventually.Until(() => Task.FromResult(HostPingHandler.Delivered.ContainsKey(messageId)), because: "the retried message is delivered");

        var after = await (await _client.SendAsync(Request(HttpMethod.Get, "/api/admin/dead-letters", Roles.PartnershipAdmin))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(after.EnumerateArray().Any(e => e.GetProperty("id").GetInt64() == id), Is.False);
        var again = await _client.SendAsync(Request(HttpMethod.Post, $"/api/admin/dead-letters/{id}/retry", Roles.PartnershipAdmin));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(again.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task X_Min_Position_waits_for_read_models_and_a_bad_value_is_a_400_problem()
    {
        using var bad = Request(HttpMethod.Get, "/health/live");
        bad.Headers.Add(EventPositionHeader.MinPosition, "soon");
        var response = await _client.SendAsync(bad);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        var sent = await _client.SendAsync(Request(HttpMethod.Post, "/test/send-ping"));
        var position = sent.Headers.GetValues(EventPositionHeader.Written).Single();
        using var good = Request(HttpMethod.Get, "/health/live");
        good.Headers.Add(EventPositionHeader.MinPosition, position);
        var ok = await _client.SendAsync(good);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ok.Headers.Contains("X-Read-Model-Stale"), Is.False);
    }
}
