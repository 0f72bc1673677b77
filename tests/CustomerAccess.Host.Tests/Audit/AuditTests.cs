using System.Globalization;
using System.Net;
using Npgsql;

namespace CustomerAccess.Host.Tests.Audit;

/// <summary>The contract's audit routes: the raw log for auditors and the tamper-evidence check.</summary>
public class AuditTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _auditor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham", "cotswold");
        _auditor = ApiClient.As(_host, "auditor", "auditor", "cheltenham", "cotswold");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _auditor.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> Register(string council, string first)
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/{council}/customers", new { firstName = first, lastName = "Audited" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    [Test]
    public async Task An_auditor_reads_a_customers_raw_events_with_actor_channel_time_and_correlation_id()
    {
        var id = await Register("cheltenham", "Ada");
        var correlation = Guid.NewGuid();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/customers/{id}/contacts")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { channel = "face-to-face", reason = "Housing", resolvedAtFirstContact = true }),
        })
        {
            request.Headers.Add("X-Correlation-Id", correlation.ToString());
            await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.Created);
        }
        var other = await Register("cotswold", "Other");

        var page = await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?customerId={id}"), HttpStatusCode.OK);
        var items = page["items"]!.AsArray();
        Assert.That(items.Select(i => i!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "customer.registered", "customer.contact-logged" }));
        var contact = items[1]!;
        Assert.Multiple(() =>
        {
            Assert.That(contact["actor"]!.GetValue<string>(), Is.EqualTo("advisor"));
            Assert.That(contact["channel"]!.GetValue<string>(), Is.EqualTo("face-to-face"));
            Assert.That(contact["correlationId"]!.GetValue<string>(), Is.EqualTo(correlation.ToString()));
            Assert.That(contact["occurredAt"], Is.Not.Null);
            Assert.That(contact["customerId"]!.GetValue<string>(), Is.EqualTo(id));
        });
        var cotswold = await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?customerId={other}"), HttpStatusCode.OK);
        Assert.That(cotswold["items"]!.AsArray(), Is.Empty, "another council's events never show");
    }

    [Test]
    public async Task The_council_log_pages_in_order_and_filters_by_time()
    {
        await Register("cheltenham", "Paged1");
        await Register("cheltenham", "Paged2");
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"), HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["position"]!.GetValue<long>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.That(seen, Is.Ordered.Ascending.And.Unique.And.Count.GreaterThanOrEqualTo(2));

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        Assert.That((await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?from={future}"), HttpStatusCode.OK))["items"]!.AsArray(), Is.Empty);
        await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?from=last-tuesday"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _auditor.GetAsync($"{Base}/audit/events?cursor=xyz"), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Verify_reports_an_intact_chain_and_finds_an_edited_event()
    {
        await Register("cotswold", "Chain");
        var ok = await ApiClient.Expect(await _auditor.GetAsync("/api/councils/cotswold/audit/verify"), HttpStatusCode.OK);
        Assert.That(ok["ok"]!.GetValue<bool>(), Is.True);
        Assert.That(ok["eventsChecked"]!.GetValue<long>(), Is.GreaterThan(0));

        long tampered;
        await using (var admin = await _host.Database.OpenAdminAsync())
        {
            await using var cmd = new NpgsqlCommand("""
                update es.events set data = jsonb_set(data, '{customerId}', '"someone-else"')
                where position = (select min(position) from es.events where tenant_id = 'cotswold' and event_type = 'customer.registered')
                returning position
                """, admin);
            tampered = (long)(await cmd.ExecuteScalarAsync())!;
        }
        var broken = await ApiClient.Expect(await _auditor.GetAsync("/api/councils/cotswold/audit/verify"), HttpStatusCode.OK);
        Assert.That(broken["ok"]!.GetValue<bool>(), Is.False);
        Assert.That(broken["firstBrokenPosition"]!.GetValue<long>(), Is.EqualTo(tampered));
    }

    [Test]
    public async Task Only_auditors_and_partnership_admins_read_the_audit_routes()
    {
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/audit/events"), HttpStatusCode.Forbidden);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/audit/verify"), HttpStatusCode.Forbidden);
        using var outsider = ApiClient.As(_host, "auditor.elsewhere", "auditor", "forest-of-dean");
        await ApiClient.Expect(await outsider.GetAsync($"{Base}/audit/verify"), HttpStatusCode.Forbidden);
    }
}
