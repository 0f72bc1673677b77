using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>The single customer timeline: fed by a subscription, read-your-writes with X-Min-Position.</summary>
public class TimelineTests
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

    private async Task<(string Id, long Position)> Register(string first, string last)
    {
        var response = await _advisor.PostAsync($"{Base}/customers", new { firstName = first, lastName = last });
        var body = await ApiClient.Expect(response, HttpStatusCode.Created);
        return (body["id"]!.GetValue<string>(), long.Parse(response.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<long> LogContact(string id, string channel, string reason)
    {
        var response = await _advisor.PostAsync($"{Base}/customers/{id}/contacts", new { channel, reason, notes = "private notes", resolvedAtFirstContact = false });
        await ApiClient.Expect(response, HttpStatusCode.Created);
        return long.Parse(response.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonNode> Timeline(string id, string query = "", long? minPosition = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{id}/timeline{query}");
        if (minPosition is { } p) request.Headers.Add("X-Min-Position", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
    }

    [Test]
    public async Task A_contact_is_on_the_timeline_at_once_with_X_Min_Position_newest_first_without_personal_data()
    {
        var (id, _) = await Register("Tim", "Line");
        await LogContact(id, "phone", "Missed bin");
        var position = await LogContact(id, "email", "Council tax bill");

        var items = (await Timeline(id, minPosition: position))["items"]!.AsArray();
        Assert.That(items.Select(i => i!["summary"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "Email contact: Council tax bill", "Phone contact: Missed bin", "Customer record created",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(items[0]!["module"]!.GetValue<string>(), Is.EqualTo("customer"));
            Assert.That(items[0]!["channel"]!.GetValue<string>(), Is.EqualTo("email"));
            Assert.That(items[0]!["actor"]!.GetValue<string>(), Is.EqualTo("advisor"));
            Assert.That(items[0]!["position"]!.GetValue<long>(), Is.EqualTo(position));
            Assert.That(items.ToJsonString(), Does.Not.Contain("private notes").And.Not.Contain("Tim"));
        });
    }

    [Test]
    public async Task Without_X_Min_Position_a_write_still_shows_within_two_seconds()
    {
        var (id, _) = await Register("Quick", "Read");
        await LogContact(id, "web", "Parking");
        await Eventually.Until(async () => (await Timeline(id))["items"]!.AsArray().Count == 2, TimeSpan.FromSeconds(2), "the timeline subscription should project within 2 s");
    }

    [Test]
    public async Task Paging_walks_the_whole_timeline_once_in_order_and_the_module_filter_applies()
    {
        var (id, _) = await Register("Page", "Turner");
        long last = 0;
        for (var i = 0; i < 5; i++) last = await LogContact(id, "phone", $"Call {i}");

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await Timeline(id, $"?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", last);
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["position"]!.GetValue<long>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.That(seen, Has.Count.EqualTo(6));
        Assert.That(seen, Is.Ordered.Descending);
        Assert.That(seen, Is.Unique);

        var ascending = (await Timeline(id, "?order=asc&limit=3", last))["items"]!.AsArray().Select(i => i!["position"]!.GetValue<long>()).ToList();
        Assert.That(ascending, Is.EqualTo(seen.OrderBy(p => p).Take(3)));
        Assert.That((await Timeline(id, "?module=payments", last))["items"]!.AsArray(), Is.Empty);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/timeline?cursor=nonsense"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}/timeline?module=gardening"), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task The_single_view_as_at_an_instant_shows_the_customer_as_they_stood_then()
    {
        var (id, _) = await Register("Stella", "Then");
        await ApiClient.Expect(await _advisor.PatchAsync($"{Base}/customers/{id}", new { phone = "01242 111111" }), HttpStatusCode.OK);
        await Task.Delay(50); // two instants the database clock can tell apart
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await ApiClient.Expect(await _advisor.PatchAsync($"{Base}/customers/{id}", new { phone = "01242 222222" }), HttpStatusCode.OK);
        await LogContact(id, "phone", "Council tax");

        var now = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}"), HttpStatusCode.OK);
        Assert.That(now["phone"]!.GetValue<string>(), Is.EqualTo("01242 222222"));
        var then = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}?asAt={Uri.EscapeDataString(between.ToString("O"))}"), HttpStatusCode.OK);
        Assert.That(then["phone"]!.GetValue<string>(), Is.EqualTo("01242 111111"), "nothing recorded later appears");
        Assert.That(then["contactCount"]!.GetValue<int>(), Is.Zero);
        Assert.That(then["lastName"]!.GetValue<string>(), Is.EqualTo("Then"));
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}?asAt=2000-01-01T00:00:00Z"), HttpStatusCode.NotFound);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{id}?asAt=yesterday"), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task As_at_shows_only_what_was_known_then_and_a_merge_joins_the_duplicates_timeline()
    {
        var (survivor, _) = await Register("Mia", "Merge");
        var (duplicate, _) = await Register("Mia", "Merge");
        await LogContact(duplicate, "letter", "Garden waste");
        var beforeMerge = DateTimeOffset.UtcNow;
        await Task.Delay(50); // two instants the database clock can tell apart
        var merge = await _advisor.PostAsync($"{Base}/customers/{survivor}/merge", new { duplicateId = duplicate });
        await ApiClient.Expect(merge, HttpStatusCode.OK);
        var afterMerge = long.Parse(merge.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var last = await LogContact(survivor, "phone", "Bulky waste");

        var now = (await Timeline(survivor, minPosition: last))["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).ToList();
        Assert.That(now, Does.Contain("Letter contact: Garden waste"), "the duplicate's contact joins the survivor's timeline");
        Assert.That(now, Does.Contain("Phone contact: Bulky waste"));

        var then = (await Timeline(survivor, "?asAt=" + Uri.EscapeDataString(beforeMerge.ToString("O"))))["items"]!.AsArray()
            .Select(i => i!["summary"]!.GetValue<string>()).ToList();
        Assert.That(then, Is.EqualTo(new[] { "Customer record created" }), "before the merge, the survivor had only its own history");

        // The same instant with its offset written unencoded ("+01:00" arrives as " 01:00") reads the same.
        var unencoded = "?asAt=" + beforeMerge.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That((await Timeline(survivor, unencoded))["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()),
            Is.EqualTo(new[] { "Customer record created" }));

        var duplicateThen = await Timeline(duplicate, "?asAt=" + Uri.EscapeDataString(beforeMerge.ToString("O")));
        Assert.That(duplicateThen["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()), Does.Contain("Letter contact: Garden waste"));
        var gone = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{duplicate}/timeline"), HttpStatusCode.NotFound);
        Assert.That(gone["mergedInto"]!.GetValue<string>(), Is.EqualTo(survivor));
        Assert.That(afterMerge, Is.LessThan(last));
    }
}
