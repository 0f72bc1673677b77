using System.Net;
using System.Text.Json.Nodes;
using System.Net.Http.Json;
using CustomerAccess.Case.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerAccess.Host.Tests.Cases;

/// <summary>The contract's case routes, end to end through HTTP on a real database.</summary>
public class CaseApiTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _cotswoldAdvisor = null!;
    private ApiClient _wasteOfficer = null!;
    private ApiClient _safeguardingOfficer = null!;
    private ApiClient _member = null!;
    private ApiClient _otherMember = null!;
    private ApiClient _auditor = null!;
    private ApiClient _admin = null!;
    private string _customer = "";
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", SeedCouncils.All.ToArray());
        _cotswoldAdvisor = ApiClient.As(_host, "advisor.cotswold", "advisor", "cotswold");
        _wasteOfficer = WithTeam("waste.officer", "service-officer", "waste", SeedCouncils.All.ToArray());
        _safeguardingOfficer = WithTeam("safeguarding.officer", "service-officer", "safeguarding", "cheltenham");
        _member = ApiClient.As(_host, "cllr.cheltenham", "member", "cheltenham");
        _otherMember = ApiClient.As(_host, "cllr.other", "member", "cheltenham");
        _auditor = ApiClient.As(_host, "auditor", "auditor", "*");
        _admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        _customer = await Register(_advisor, "cheltenham");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _cotswoldAdvisor.Dispose();
        _wasteOfficer.Dispose();
        _safeguardingOfficer.Dispose();
        _member.Dispose();
        _otherMember.Dispose();
        _auditor.Dispose();
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private ApiClient WithTeam(string name, string role, string team, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"{name};{role};{string.Join(',', councils)};{team}");
        return new ApiClient(http, name);
    }

    private static async Task<string> Register(ApiClient client, string council)
    {
        var body = await ApiClient.Expect(await client.PostAsync($"/api/councils/{council}/customers",
            new { firstName = "Carol", lastName = "Case", email = $"carol.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> Raise(ApiClient? client = null, string type = "service-request", string service = "waste",
        string summary = "Green bin missed on Tuesday", string? safeguarding = null, bool? resolvedAtFirstContact = null)
    {
        var response = await (client ?? _advisor).PostAsync($"{Base}/cases",
            new { customerId = _customer, type, service, summary, details = "Bin was out at 6:30am by the gate.", safeguarding, resolvedAtFirstContact });
        var body = await ApiClient.Expect(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Contains(EventPositionHeader.Written), Is.True);
        return body;
    }

    private static async Task<JsonNode> Post(ApiClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsync(url, body);
        var json = await ApiClient.Expect(response, expected);
        if (expected == HttpStatusCode.OK) Assert.That(response.Headers.Contains(EventPositionHeader.Written), Is.True);
        return json;
    }

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static async Task<JsonNode> Get(ApiClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ApiClient.Expect(await client.GetAsync(url), expected);

    // ---- due dates -------------------------------------------------------------------------------

    [Test]
    public async Task Due_dates_count_working_days_across_the_christmas_bank_holidays()
    {
        var council = (await _host.Services.GetRequiredService<ICouncilDirectory>().GetAsync("cheltenham"))!;
        var raised = new DateTimeOffset(2026, 12, 23, 10, 0, 0, TimeSpan.Zero); // a Wednesday
        Assert.Multiple(() =>
        {
            // 24th, then 25th (Christmas), 26-27 (weekend), 28th (Boxing Day substitute) skipped: 29, 30, 31, then 1 Jan skipped: 4 Jan.
            Assert.That(CaseDueDates.For(council, "enquiry", null, raised), Is.EqualTo(new DateTimeOffset(2027, 1, 4, 23, 59, 59, TimeSpan.Zero)));
            // Service requests: 10 working days → 11 Jan.
            Assert.That(CaseDueDates.For(council, "service-request", null, raised), Is.EqualTo(new DateTimeOffset(2027, 1, 11, 23, 59, 59, TimeSpan.Zero)));
            // Complaint stage 1: 20 working days → 25 Jan; stage 2 with no council figure: 20 working days too.
            Assert.That(CaseDueDates.For(council, "complaint", 1, raised), Is.EqualTo(new DateTimeOffset(2027, 1, 25, 23, 59, 59, TimeSpan.Zero)));
            Assert.That(CaseDueDates.For(council, "complaint", 2, raised), Is.EqualTo(new DateTimeOffset(2027, 1, 25, 23, 59, 59, TimeSpan.Zero)));
        });
        var stricter = council with { DaysToResolve = new Dictionary<string, int>(council.DaysToResolve) { ["complaint-stage-2"] = 3 } };
        Assert.That(CaseDueDates.For(stricter, "complaint", 2, raised), Is.EqualTo(new DateTimeOffset(2026, 12, 30, 23, 59, 59, TimeSpan.Zero)));
    }

    [Test]
    public async Task A_council_that_joins_later_numbers_its_cases_under_its_own_prefix_never_a_seed_councils()
    {
        // "chedworth" starts like Cheltenham's case references (CHE-C-…): the old first-three-letters rule repeated them.
        var joined = await ApiClient.Expect(await _admin.PostAsync("/api/councils",
            new { id = "chedworth", name = "Chedworth Parish", contactNumber = "01285 720000" }), HttpStatusCode.Created);
        var prefix = joined["receiptPrefix"]!.GetValue<string>();
        Assert.That(prefix, Is.Not.AnyOf("CHE", "CHL", "COT", "FOD", "WO", "WOX"));
        var reserved = await _admin.PostAsync("/api/councils", new { id = "wolford", name = "Wolford", contactNumber = "01285 720001", receiptPrefix = "WO" });
        await ApiClient.Expect(reserved, HttpStatusCode.Conflict);

        using var advisor = ApiClient.As(_host, "advisor.chedworth", "advisor", "chedworth");
        var customer = (await ApiClient.Expect(await advisor.PostAsync("/api/councils/chedworth/customers",
            new { firstName = "Ched", lastName = "Worth" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        var raised = await ApiClient.Expect(await advisor.PostAsync("/api/councils/chedworth/cases",
            new { customerId = customer, type = "enquiry", service = "general", summary = "Parish notice board" }), HttpStatusCode.Created);
        Assert.That(raised["reference"]!.GetValue<string>(), Is.EqualTo(prefix + "-C-000001"));
    }

    [Test]
    public async Task References_are_prefixed_by_council()
    {
        var councils = _host.Services.GetRequiredService<ICouncilDirectory>();
        async Task<string> Reference(string council, long n) => CaseDueDates.Reference((await councils.GetAsync(council))!, n);
        Assert.That(await Reference("cheltenham", 123), Is.EqualTo("CHE-C-000123"));
        Assert.That(await Reference("forest-of-dean", 7), Is.EqualTo("FOD-C-000007"));
        Assert.That(await Reference("west-oxfordshire", 1), Is.EqualTo("WO-C-000001"));
    }

    // ---- raising ---------------------------------------------------------------------------------

    [Test]
    public async Task A_raised_case_is_open_with_a_sequential_reference_and_the_standard_due_date()
    {
        var council = (await _host.Services.GetRequiredService<ICouncilDirectory>().GetAsync("cheltenham"))!;
        var before = DateTimeOffset.UtcNow;
        var first = await Raise();
        var second = await Raise(type: "enquiry");
        var after = DateTimeOffset.UtcNow;
        Assert.Multiple(() =>
        {
            Assert.That(first["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(first["reference"]!.GetValue<string>(), Does.Match(@"^CHE-C-\d{6}$"));
            var n1 = int.Parse(first["reference"]!.GetValue<string>()[6..], System.Globalization.CultureInfo.InvariantCulture);
            var n2 = int.Parse(second["reference"]!.GetValue<string>()[6..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(n2, Is.EqualTo(n1 + 1));
            var due = first["dueAt"]!.GetValue<DateTimeOffset>();
            Assert.That(due, Is.AnyOf(council.DueAt("service-request", before), council.DueAt("service-request", after)));
            Assert.That(due, Is.GreaterThan(after.AddDays(10)));
        });
        var view = await Get(_advisor, $"{Base}/cases/{Id(first)}");
        Assert.Multiple(() =>
        {
            Assert.That(view["customerId"]!.GetValue<string>(), Is.EqualTo(_customer));
            Assert.That(view["type"]!.GetValue<string>(), Is.EqualTo("service-request"));
            Assert.That(view["service"]!.GetValue<string>(), Is.EqualTo("waste"));
            Assert.That(view["summary"]!.GetValue<string>(), Is.EqualTo("Green bin missed on Tuesday"));
            Assert.That(view["history"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(view["history"]![0]!["action"]!.GetValue<string>(), Is.EqualTo("raised"));
            Assert.That(view["history"]![0]!["actor"]!.GetValue<string>(), Is.EqualTo("advisor"));
        });
    }

    [TestCase("{\"type\":\"enquiry\",\"service\":\"waste\",\"summary\":\"x\"}", "customerId")]
    [TestCase("{\"customerId\":\"CUSTOMER\",\"type\":\"gripe\",\"service\":\"waste\",\"summary\":\"x\"}", "type")]
    [TestCase("{\"customerId\":\"CUSTOMER\",\"type\":\"enquiry\",\"summary\":\"x\"}", "service")]
    [TestCase("{\"customerId\":\"CUSTOMER\",\"type\":\"enquiry\",\"service\":\"waste\"}", "summary")]
    [TestCase("{\"customerId\":\"CUSTOMER\",\"type\":\"enquiry\",\"service\":\"waste\",\"summary\":\"x\",\"safeguarding\":\"pets\"}", "safeguarding")]
    [TestCase("{\"customerId\":\"no-such-customer\",\"type\":\"enquiry\",\"service\":\"waste\",\"summary\":\"x\"}", "customerId")]
    public async Task Bad_cases_are_a_400_naming_the_field_and_write_nothing(string json, string field)
    {
        var before = await Count("select count(*) from cases.cases");
        var response = await _advisor.Http.PostAsync($"{Base}/cases",
            new StringContent(json.Replace("CUSTOMER", _customer, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        Assert.That(await Count("select count(*) from cases.cases"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_customer_of_another_council_cannot_have_a_case_here_and_case_ids_do_not_cross_councils()
    {
        var cotswoldCustomer = await Register(_advisor, "cotswold");
        var problem = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/cases",
            new { customerId = cotswoldCustomer, type = "enquiry", service = "waste", summary = "x" }), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["customerId"], Is.Not.Null);

        var id = Id(await Raise());
        await Get(_advisor, $"/api/councils/cotswold/cases/{id}", HttpStatusCode.NotFound);
        await Post(_advisor, $"/api/councils/cotswold/cases/{id}/notes", new { text = "x" }, HttpStatusCode.NotFound);
        await Get(_cotswoldAdvisor, $"{Base}/cases/{id}", HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Concurrent_raises_take_consecutive_references_without_gaps_and_a_racing_resolve_is_409()
    {
        var raised = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Raise(type: "enquiry")));
        var numbers = raised.Select(r => int.Parse(r["reference"]!.GetValue<string>()[6..], System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToList();
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(numbers[0], 12)));

        var id = Id(raised[0]);
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            _advisor.PostAsync($"{Base}/cases/{id}/resolution", new { outcome = $"Answered {i}" })));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await CaseEvents(id)).Count(e => e.Data is CaseResolved), Is.EqualTo(1));
    }

    [Test]
    public async Task Ten_parallel_notes_and_an_escalation_on_one_case_all_land_and_a_racing_resolve_still_refuses_the_second()
    {
        // The audit: ten parallel notes gave two 200s and eight 409s "changed by someone else".
        var id = Id(await Raise());
        var notes = Enumerable.Range(0, 10).Select(i => _advisor.PostAsync($"{Base}/cases/{id}/notes", new { text = $"Parallel note {i}" }));
        var escalation = _advisor.PostAsync($"{Base}/cases/{id}/escalations", new { team = "waste", reason = "Crew to revisit" });
        var responses = await Task.WhenAll(notes.Append(escalation));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var events = await CaseEvents(id);
        Assert.That(events.Count(e => e.Data is CaseNoteAdded), Is.EqualTo(10), "every note is on the case once");
        Assert.That(events.Count(e => e.Data is CaseEscalated), Is.EqualTo(1));

        // Retrying re-reads the case, so a refusal the winner caused is still a refusal.
        var resolves = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            _advisor.PostAsync($"{Base}/cases/{id}/resolution", new { outcome = $"Done {i}" })));
        Assert.That(resolves.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(resolves.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Conflict));
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    [Test]
    public async Task Escalate_start_note_resolve_then_resolving_again_is_409_and_reopening_works_only_when_resolved()
    {
        var id = Id(await Raise());
        var url = $"{Base}/cases/{id}";
        await Post(_advisor, $"{url}/reopening", new { reason = "not resolved" }, HttpStatusCode.Conflict);
        var escalated = await Post(_advisor, $"{url}/escalations", new { team = "waste", reason = "Needs a crew visit" });
        Assert.That(escalated["status"]!.GetValue<string>(), Is.EqualTo("escalated"));
        await Post(_advisor, $"{url}/escalations", new { team = "bins-r-us", reason = "x" }, HttpStatusCode.BadRequest);
        var started = await Post(_wasteOfficer, $"{url}/start", new { });
        Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("in-progress"));
        await Post(_wasteOfficer, $"{url}/notes", new { text = "Crew sent back on Wednesday" });
        var resolved = await Post(_wasteOfficer, $"{url}/resolution", new { outcome = "Collected on Wednesday" });
        Assert.That(resolved["status"]!.GetValue<string>(), Is.EqualTo("resolved"));
        await Post(_wasteOfficer, $"{url}/resolution", new { outcome = "again" }, HttpStatusCode.Conflict);
        await Post(_auditor, $"{url}/notes", new { text = "auditors only read" }, HttpStatusCode.Forbidden);

        var reopened = await Post(_advisor, $"{url}/reopening", new { reason = "Bin missed again" });
        Assert.That(reopened["status"]!.GetValue<string>(), Is.EqualTo("reopened"));
        var view = await Get(_auditor, url);
        var actions = view["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(actions, Is.EqualTo(new[] { "raised", "escalated", "started", "note-added", "resolved", "reopened" }));
            Assert.That(view["team"]!.GetValue<string>(), Is.EqualTo("waste"));
            Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo("reopened"));
            Assert.That(view["history"]![3]!["details"]!.GetValue<string>(), Is.EqualTo("Crew sent back on Wednesday"));
            Assert.That(view["history"]![3]!["actor"]!.GetValue<string>(), Is.EqualTo("waste.officer"));
            Assert.That(view["history"]![3]!["at"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Resolve_reopen_and_stage_2_retried_with_their_idempotency_key_act_once_and_answer_200()
    {
        var complaint = await Raise(type: "complaint", service: "waste", summary: "Retried resolution");
        var url = $"{Base}/cases/{Id(complaint)}";
        var key = Guid.NewGuid().ToString();
        async Task<long> Count(string type)
        {
            await using var connection = await _host.Database.OpenAdminAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("select count(*) from es.events where tenant_id = 'cheltenham' and stream_id = $1 and event_type = $2", connection);
            cmd.Parameters.AddWithValue("case-" + Id(complaint));
            cmd.Parameters.AddWithValue(type);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }

        // A retry records nothing, so it carries no X-Event-Position of its own.
        async Task<JsonNode> Retry(string path, object body) => await ApiClient.Expect(await _advisor.PostAsync($"{url}/{path}", body), HttpStatusCode.OK);
        var resolved = await Post(_advisor, $"{url}/resolution", new { outcome = "Apology given", idempotencyKey = key + "-resolve" });
        var again = await Retry("resolution", new { outcome = "Apology given", idempotencyKey = key + "-resolve" });
        Assert.That(again["status"]!.GetValue<string>(), Is.EqualTo(resolved["status"]!.GetValue<string>()));
        await Post(_advisor, $"{url}/resolution", new { outcome = "Something else", idempotencyKey = key + "-resolve" }, HttpStatusCode.Conflict);
        await Post(_advisor, $"{url}/resolution", new { outcome = "Apology given" }, HttpStatusCode.Conflict); // without a key, as before

        await Post(_advisor, $"{url}/reopening", new { reason = "Still unhappy", idempotencyKey = key + "-reopen" });
        await Retry("reopening", new { reason = "Still unhappy", idempotencyKey = key + "-reopen" });
        await Post(_advisor, $"{url}/resolution", new { outcome = "Second apology" });
        var stage2 = await Post(_advisor, $"{url}/complaint-stage-2", new { reason = "Wants a review", idempotencyKey = key + "-stage2" });
        var stage2Again = await Retry("complaint-stage-2", new { reason = "Wants a review", idempotencyKey = key + "-stage2" });
        Assert.That(stage2Again["stage"]!.GetValue<int>(), Is.EqualTo(stage2["stage"]!.GetValue<int>()));
        Assert.Multiple(async () =>
        {
            Assert.That(await Count("case.resolved"), Is.EqualTo(2), "one per real resolution, none for the retry");
            Assert.That(await Count("case.reopened"), Is.EqualTo(1));
            Assert.That(await Count("case.complaint-escalated"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Complaints_go_to_stage_2_with_a_later_due_date_and_other_types_cannot()
    {
        var complaint = await Raise(type: "complaint", service: "waste", summary: "Crew rude to resident");
        Assert.That(complaint["stage"]!.GetValue<int>(), Is.EqualTo(1));
        var url = $"{Base}/cases/{Id(complaint)}";
        await Post(_advisor, $"{url}/resolution", new { outcome = "Apology given" });
        var stage2 = await Post(_advisor, $"{url}/complaint-stage-2", new { reason = "Not satisfied with the apology" });
        Assert.Multiple(() =>
        {
            Assert.That(stage2["stage"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(stage2["team"]!.GetValue<string>(), Is.EqualTo("complaints"));
            Assert.That(stage2["status"]!.GetValue<string>(), Is.EqualTo("escalated"));
            Assert.That(stage2["dueAt"]!.GetValue<DateTimeOffset>(), Is.GreaterThanOrEqualTo(complaint["dueAt"]!.GetValue<DateTimeOffset>()));
            Assert.That(stage2["dueAt"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(25)));
        });
        await Post(_advisor, $"{url}/complaint-stage-2", new { reason = "again" }, HttpStatusCode.Conflict);
        var enquiry = await Raise(type: "enquiry");
        await Post(_advisor, $"{Base}/cases/{Id(enquiry)}/complaint-stage-2", new { reason = "x" }, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task A_team_queue_lists_open_cases_soonest_due_first_with_overdue_flagged()
    {
        var service = await Raise(type: "service-request", service: "planning");
        var enquiry = await Raise(type: "enquiry", service: "planning");
        var late = await Raise(type: "complaint", service: "planning");
        var done = await Raise(type: "enquiry", service: "planning");
        foreach (var c in new[] { service, enquiry, late, done })
            await Post(_advisor, $"{Base}/cases/{Id(c)}/escalations", new { team = "planning", reason = "For the planning team" });
        await Post(_advisor, $"{Base}/cases/{Id(done)}/resolution", new { outcome = "Answered" });
        // The complaint is made overdue in the read model (the clock cannot be wound on in this host).
        await using (var admin = await _host.Database.OpenAdminAsync())
        await using (var cmd = new NpgsqlCommand("update cases.cases set due_at = now() - interval '1 day' where id = $1", admin))
        {
            cmd.Parameters.AddWithValue(Id(late));
            await cmd.ExecuteNonQueryAsync();
        }

        var queue = await Get(_advisor, $"{Base}/queues/planning");
        var items = queue["items"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { Id(late), Id(enquiry), Id(service) }));
            Assert.That(items.Select(i => i!["overdue"]!.GetValue<bool>()), Is.EqualTo(new[] { true, false, false }));
            Assert.That(items[0]!["reference"]!.GetValue<string>(), Is.EqualTo(late["reference"]!.GetValue<string>()));
            Assert.That(queue["next"], Is.Null);
        });
        var page = await Get(_advisor, $"{Base}/queues/planning?limit=2");
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(2));
        var rest = await Get(_advisor, $"{Base}/queues/planning?limit=2&cursor={page["next"]!.GetValue<string>()}");
        Assert.That(rest["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { Id(service) }));
        await Get(_advisor, $"{Base}/queues/not-a-team", HttpStatusCode.NotFound);
        await Get(_member, $"{Base}/queues/planning", HttpStatusCode.Forbidden);
        foreach (var bad in new[] { "0", "-3", "201" })
            Assert.That((await Get(_advisor, $"{Base}/queues/planning?limit={bad}", HttpStatusCode.BadRequest))["errors"]!["limit"], Is.Not.Null);
    }

    // ---- safeguarding ----------------------------------------------------------------------------

    [Test]
    public async Task A_safeguarding_case_is_hidden_from_advisors_and_visible_to_the_safeguarding_team()
    {
        var raised = await Raise(summary: "Resident mentioned neighbour's child left alone", safeguarding: "child");
        var id = Id(raised);
        Assert.That(raised["team"]!.GetValue<string>(), Is.EqualTo("safeguarding"));
        await Get(_advisor, $"{Base}/cases/{id}", HttpStatusCode.NotFound);
        await Post(_advisor, $"{Base}/cases/{id}/notes", new { text = "x" }, HttpStatusCode.NotFound);
        await Get(_wasteOfficer, $"{Base}/cases/{id}", HttpStatusCode.NotFound);
        var seen = await Get(_safeguardingOfficer, $"{Base}/cases/{id}");
        Assert.That(seen["safeguarding"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "child" }));
        await Get(_auditor, $"{Base}/cases/{id}");
        await Get(_admin, $"{Base}/cases/{id}");

        var queue = await Get(_safeguardingOfficer, $"{Base}/queues/safeguarding");
        Assert.That(queue["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Contain(id));
        var advisorView = await Get(_advisor, $"{Base}/queues/safeguarding");
        Assert.That(advisorView["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(id));

        // Flagging an existing case: it moves to the safeguarding queue and out of sight.
        var other = Id(await Raise(service: "housing"));
        await Post(_advisor, $"{Base}/cases/{other}/escalations", new { team = "housing", reason = "Damp" });
        await Post(_advisor, $"{Base}/cases/{other}/safeguarding", new { concern = "adult", reason = "Tenant appears to be neglected" });
        await Get(_advisor, $"{Base}/cases/{other}", HttpStatusCode.NotFound);
        var housing = await Get(_advisor, $"{Base}/queues/housing");
        Assert.That(housing["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(other));
        var safeguarding = await Get(_safeguardingOfficer, $"{Base}/queues/safeguarding");
        Assert.That(safeguarding["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Contain(other));
        await Post(_safeguardingOfficer, $"{Base}/cases/{other}/resolution", new { outcome = "Referred to adult social care" });

        // On the customer's timeline the restricted steps say only "Restricted case".
        var events = await CaseEvents(other);
        var restricted = events.Where(e => e.Data is SafeguardingFlagged or CaseResolved).Select(e => ((ITimelineEntry)e.Data).TimelineSummary).ToList();
        Assert.That(restricted, Has.Count.EqualTo(2).And.All.EqualTo("Restricted case"));
        Assert.That(((ITimelineEntry)(await CaseEvents(id))[0].Data).TimelineSummary, Is.EqualTo("Restricted case"));
    }

    // ---- members ---------------------------------------------------------------------------------

    [Test]
    public async Task A_member_raising_a_case_makes_a_member_enquiry_on_their_own_casework_list()
    {
        var raised = await Raise(_member, type: "enquiry", service: "parking", summary: "Parking on the verge, Hales Road");
        Assert.That(raised["type"]!.GetValue<string>(), Is.EqualTo("member-enquiry"));
        var mine = await Get(_member, $"{Base}/members/me/cases");
        var item = mine["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == Id(raised))!;
        Assert.That(item["status"]!.GetValue<string>(), Is.EqualTo("open"));
        await Post(_advisor, $"{Base}/cases/{Id(raised)}/resolution", new { outcome = "Enforcement visit booked" });
        mine = await Get(_member, $"{Base}/members/me/cases");
        item = mine["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == Id(raised))!;
        Assert.That(item["status"]!.GetValue<string>(), Is.EqualTo("resolved"));
        var theirs = await Get(_otherMember, $"{Base}/members/me/cases");
        Assert.That(theirs["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(Id(raised)));
    }

    [Test]
    public async Task An_advisor_raises_a_member_enquiry_with_the_contract_fields_alone()
    {
        var raised = await Raise(type: "member-enquiry", service: "parking", summary: "Councillor asked about verge parking");
        Assert.That(raised["type"]!.GetValue<string>(), Is.EqualTo("member-enquiry"));
        var read = await Get(_advisor, $"{Base}/cases/{Id(raised)}");
        Assert.That(read["type"]!.GetValue<string>(), Is.EqualTo("member-enquiry"));
        Assert.That(read["member"]?.GetValue<string>(), Is.Null);
        var mine = await Get(_member, $"{Base}/members/me/cases");
        Assert.That(mine["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(Id(raised)));
    }

    // ---- first contact and the read model ---------------------------------------------------------

    [Test]
    public async Task First_contact_resolution_is_recorded_for_reports()
    {
        var atOnce = await Raise(type: "enquiry", summary: "When is my bin day", resolvedAtFirstContact: true);
        Assert.That(atOnce["status"]!.GetValue<string>(), Is.EqualTo("resolved"));
        var sameDay = Id(await Raise(type: "enquiry"));
        await Post(_advisor, $"{Base}/cases/{sameDay}/resolution", new { outcome = "Told them" });
        var escalated = Id(await Raise(type: "enquiry"));
        await Post(_advisor, $"{Base}/cases/{escalated}/escalations", new { team = "waste", reason = "x" });
        await Post(_advisor, $"{Base}/cases/{escalated}/resolution", new { outcome = "Done" });

        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(
            "select id, resolved_at_first_contact, resolved_within_standard from cases.cases where id = any($1)", admin);
        cmd.Parameters.AddWithValue(new[] { Id(atOnce), sameDay, escalated });
        var rows = new Dictionary<string, (bool, bool?)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows[r.GetString(0)] = (r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetBoolean(2));
        Assert.Multiple(() =>
        {
            Assert.That(rows[Id(atOnce)], Is.EqualTo((true, (bool?)true)));
            Assert.That(rows[sameDay], Is.EqualTo((true, (bool?)true)));
            Assert.That(rows[escalated], Is.EqualTo((false, (bool?)true)));
        });
    }

    [Test]
    public async Task Case_events_carry_the_customer_and_timeline_summaries_without_personal_data()
    {
        const string secret = "Mrs Smith at 4 Acacia Avenue says";
        var id = Id(await Raise(summary: secret));
        await Post(_advisor, $"{Base}/cases/{id}/notes", new { text = secret + " again" });
        await Post(_advisor, $"{Base}/cases/{id}/escalations", new { team = "waste", reason = secret });
        await Post(_advisor, $"{Base}/cases/{id}/resolution", new { outcome = secret });

        var events = await CaseEvents(id);
        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "case.raised", "case.note-added", "case.escalated", "case.resolved" }));
        var reference = ((CaseRaised)events[0].Data).Reference;
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Metadata.CustomerId), Is.All.EqualTo(_customer));
            Assert.That(events.Select(e => e.Metadata.Actor), Is.All.EqualTo("advisor"));
            var entries = events.Select(e => (ITimelineEntry)e.Data).ToList();
            Assert.That(entries.Select(t => t.TimelineModule), Is.All.EqualTo("case"));
            Assert.That(entries.Select(t => t.TimelineReference), Is.All.EqualTo(reference));
            Assert.That(entries[0].TimelineSummary, Is.EqualTo($"Case {reference} raised: service request (waste)"));
            Assert.That(entries[2].TimelineSummary, Is.EqualTo("Case escalated to waste team"));
            Assert.That(entries[3].TimelineSummary, Is.EqualTo("Case resolved at first contact").Or.EqualTo("Case resolved"));
            Assert.That(entries.Select(t => t.TimelineSummary), Has.None.Contains("Acacia"));
        });

        // Stored encrypted: the free text is not in the database in clear, nor in the read model.
        Assert.That(await Count($"select count(*) from es.events where stream_id = 'case-{id}' and data::text like '%Acacia%'"), Is.Zero);
        Assert.That(await Count($"select count(*) from es.events where stream_id = 'case-{id}' and data::text like '%$pii%'"), Is.EqualTo(4));
        Assert.That(await Count($"select count(*) from cases.cases c where c.id = '{id}' and c::text like '%Acacia%'"), Is.Zero);
    }

    [Test]
    public async Task Case_steps_reach_the_customer_timeline_and_erasure_makes_the_case_free_text_unreadable()
    {
        var customer = await Register(_advisor, "cheltenham");
        var raised = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/cases",
            new { customerId = customer, type = "complaint", service = "housing", summary = "Damp in the back bedroom", details = "Since October" }),
            HttpStatusCode.Created);
        var id = Id(raised);
        var reference = raised["reference"]!.GetValue<string>();
        await Post(_advisor, $"{Base}/cases/{id}/notes", new { text = "Tenant has asthma" });

        // Rebuilt from the events (asAt), so this does not wait on the timeline read model.
        var asAt = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(1).ToString("O"));
        var timeline = await Get(_advisor, $"/api/councils/cheltenham/customers/{customer}/timeline?asAt={asAt}&order=asc");
        var caseEntries = timeline["items"]!.AsArray().Where(i => i!["module"]!.GetValue<string>() == "case").ToList();
        Assert.That(caseEntries.Select(i => i!["summary"]!.GetValue<string>()),
            Is.EqualTo(new[] { $"Case {reference} raised: complaint (housing)", "Note added to case" }));
        Assert.That(caseEntries.Select(i => i!["reference"]!.GetValue<string>()), Is.All.EqualTo(reference));

        await Post(_advisor, $"/api/councils/cheltenham/customers/{customer}/erasure", new { reason = "Subject asked for erasure" });
        var view = await Get(_auditor, $"{Base}/cases/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(view["reference"]!.GetValue<string>(), Is.EqualTo(reference));
            Assert.That(view["summary"], Is.Null);
            Assert.That(view["details"], Is.Null);
            Assert.That(view["history"]!.AsArray().Select(h => h!["details"]), Is.All.Null);
            Assert.That(view["history"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    // ---- knowledge base --------------------------------------------------------------------------

    [Test]
    public async Task The_knowledge_base_is_seeded_searchable_and_edited_by_partnership_admins()
    {
        var waste = await Get(_advisor, $"{Base}/knowledge?service=waste");
        Assert.That(waste["items"]!.AsArray().Select(i => i!["service"]!.GetValue<string>()), Is.Not.Empty.And.All.EqualTo("waste"));
        var found = await Get(_advisor, $"{Base}/knowledge?q=missed%20bin");
        Assert.That(found["items"]!.AsArray().First()!["title"]!.GetValue<string>(), Is.EqualTo("Missed bin: call script"));

        var article = new { kind = "article", service = "leisure", title = "Swimming lessons", body = "Term-time lessons for ages 4 to 11." };
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/knowledge", article), HttpStatusCode.Forbidden);
        var created = await _admin.PostAsync($"{Base}/knowledge", article);
        var body = await ApiClient.Expect(created, HttpStatusCode.Created);
        Assert.That(created.Headers.Contains(EventPositionHeader.Written), Is.True);
        var updated = await _admin.Http.PutAsJsonAsync($"{Base}/knowledge/{Id(body)}", article with { title = "Swimming lessons for children" });
        await ApiClient.Expect(updated, HttpStatusCode.OK);
        Assert.That(updated.Headers.Contains(EventPositionHeader.Written), Is.True);
        var lessons = await Get(_advisor, $"{Base}/knowledge?service=leisure&q=swimming");
        Assert.That(lessons["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()), Does.Contain("Swimming lessons for children"));
        var cotswold = await Get(_advisor, "/api/councils/cotswold/knowledge?service=leisure&q=swimming");
        Assert.That(cotswold["items"]!.AsArray(), Is.Empty);
        await ApiClient.Expect(await _admin.PostAsync($"{Base}/knowledge", new { kind = "poem", service = "leisure", title = "x", body = "y" }), HttpStatusCode.BadRequest);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private async Task<IReadOnlyList<StoredEvent>> CaseEvents(string id)
    {
        var store = _host.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync("cheltenham", EventContext.System("test"));
        return await session.ReadStreamAsync(CaseState.StreamId(id));
    }

    private async Task<long> Count(string sql)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
