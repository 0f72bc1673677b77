using System.Net;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Cases;

/// <summary>The case screens, server-rendered, through plain HTTP form posts (no JavaScript).</summary>
public partial class CasePagesTests
{
    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient As(string name, string role, string? team, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"{name};{role};{string.Join(',', councils)}" + (team is null ? "" : ";" + team));
        return http;
    }

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) => PageForms.ReadAsync(response, status);

    private static async Task<HttpResponseMessage> Post(HttpClient http, string formPage, string action, Dictionary<string, string> fields)
    {
        var form = await Page(await http.GetAsync(formPage));
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(form);
        return await http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [Test]
    public async Task An_advisor_raises_and_escalates_an_officer_resolves_from_the_queue_and_the_member_sees_the_status()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        using var officer = As("waste.officer", "service-officer", "waste", SeedCouncils.All.ToArray());
        using var member = As("cllr.cheltenham", "member", null, "cheltenham");
        var api = new ApiClient(advisor, "advisor");
        var customer = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Pat", lastName = "Page" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();

        // The raise form shows guidance for the chosen service.
        var form = await Page(await advisor.GetAsync($"/cases/new?service=waste&customerId={customer}"));
        Assert.That(form, Does.Contain("Missed bin: call script"));

        // A bad form is re-shown with the problem, not an error page.
        var bad = await Post(advisor, "/cases/new", "/cases/new", new() { ["customerId"] = customer, ["type"] = "enquiry" });
        Assert.That(await Page(bad, HttpStatusCode.BadRequest), Does.Contain("There is a problem"));

        // Member raises one (member enquiry) for their casework.
        var raised = await Post(member, "/cases/new", "/cases/new", new()
        {
            ["customerId"] = customer, ["service"] = "waste", ["summary"] = "Bins left on pavement after collection",
        });
        var casePage = await Page(raised);
        Assert.That(casePage, Does.Contain("Member enquiry"));
        var caseUrl = raised.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(caseUrl, Does.Match("^/councils/cheltenham/cases/[0-9a-f-]+$"));

        // Advisor escalates it to waste.
        var escalated = await Post(advisor, caseUrl, caseUrl + "?handler=Escalate", new() { ["team"] = "waste", ["reason"] = "Crew to return" });
        Assert.That(await Page(escalated), Does.Contain("Case escalated to the Waste team"));

        // The waste officer finds it in the queue and resolves it.
        var queue = await Page(await officer.GetAsync("/cases/queue"));
        var reference = Regex.Match(casePage, "Case (CHE-C-\\d{6})").Groups[1].Value;
        Assert.That(queue, Does.Contain(reference));
        var resolved = await Post(officer, caseUrl, caseUrl + "?handler=Resolve", new() { ["outcome"] = "Bins returned to the property" });
        Assert.That(await Page(resolved), Does.Contain("data-testid=\"case-status\">Resolved"));

        // The member sees it resolved.
        var mine = await Page(await member.GetAsync("/cases/mine"));
        Assert.That(mine, Does.Contain(reference).And.Contain(">Resolved<"));

        // Queue pages are not for members; another council's case is a 404.
        await Page(await member.GetAsync("/cases/queue"), HttpStatusCode.Forbidden);
        var notFound = await advisor.GetAsync(caseUrl.Replace("cheltenham", "cotswold", StringComparison.Ordinal));
        Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Flagging_a_safeguarding_concern_on_the_case_page_hands_it_to_the_safeguarding_team()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        using var safeguarding = As("sg.officer", "service-officer", "safeguarding", "cheltenham");
        var api = new ApiClient(advisor, "advisor");
        var customer = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Sam", lastName = "Guard" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var raised = await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/cases",
            new { customerId = customer, type = "complaint", service = "housing", summary = "Repairs not done" }), HttpStatusCode.Created);
        var caseUrl = $"/councils/cheltenham/cases/{raised["id"]!.GetValue<string>()}";
        var reference = raised["reference"]!.GetValue<string>();

        var stage2 = await Post(advisor, caseUrl, caseUrl + "?handler=Stage2", new() { ["reason"] = "Wants a review" });
        Assert.That(await Page(stage2), Does.Contain("Complaint escalated to stage 2").And.Contain("(stage 2)"));

        var missing = await Post(advisor, caseUrl, caseUrl + "?handler=Safeguarding", new() { ["reason"] = "x" });
        Assert.That(await Page(missing, HttpStatusCode.BadRequest), Does.Contain("The concern is adult or child."));

        var flagged = await Post(advisor, caseUrl, caseUrl + "?handler=Safeguarding", new() { ["concern"] = "adult", ["reason"] = "Carer shouting" });
        Assert.That(flagged.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo("/cases/new"));
        Assert.That(await Page(flagged), Does.Contain($"Safeguarding concern recorded for case {reference}"));
        Assert.That((await advisor.GetAsync(caseUrl)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Page(await safeguarding.GetAsync("/cases/queue")), Does.Contain(reference));
        Assert.That(await Page(await safeguarding.GetAsync(caseUrl)), Does.Contain("Restricted"));
    }

    [Test]
    public async Task A_case_form_sent_twice_raises_notes_escalates_and_resolves_once()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        var api = new ApiClient(advisor, "advisor");
        var customer = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Rita", lastName = "Replay" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        Task<long> Count(string type) => Recorded.EventsAsync(_host.Database, "cheltenham", customer, type);

        // Raise: the same form twice (a double click) is one case; the second lands on it with a notice.
        var form = await Page(await advisor.GetAsync($"/cases/new?customerId={customer}"));
        var (raised, raisedAgain) = await PageForms.PostTwiceAsync(advisor, form, "/cases/new", new()
        {
            ["customerId"] = customer, ["type"] = "enquiry", ["service"] = "waste", ["summary"] = "Bin not emptied",
        });
        await Page(raised);
        var caseUrl = raised.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(raisedAgain.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(caseUrl));
        Assert.That(await Page(raisedAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Count("case.raised"), Is.EqualTo(1));

        // Note, escalate and resolve forms, each sent twice: one of each, and no error page.
        var casePage = await Page(await advisor.GetAsync(caseUrl));
        var (noted, notedAgain) = await PageForms.PostTwiceAsync(advisor, casePage, caseUrl + "?handler=Note", new() { ["text"] = "Called back" }, "handler=Note");
        await Page(noted);
        Assert.That(await Page(notedAgain), Does.Contain("data-testid=\"replayed\""));
        var (escalated, escalatedAgain) = await PageForms.PostTwiceAsync(advisor, casePage, caseUrl + "?handler=Escalate",
            new() { ["team"] = "waste", ["reason"] = "Crew to return" }, "handler=Escalate");
        await Page(escalated);
        await Page(escalatedAgain);
        var (resolved, resolvedAgain) = await PageForms.PostTwiceAsync(advisor, casePage, caseUrl + "?handler=Resolve",
            new() { ["outcome"] = "Bin emptied" }, "handler=Resolve");
        await Page(resolved);
        Assert.That(await Page(resolvedAgain), Does.Contain("data-testid=\"case-status\">Resolved"));
        Assert.Multiple(async () =>
        {
            Assert.That(await Count("case.note-added"), Is.EqualTo(1));
            Assert.That(await Count("case.escalated"), Is.EqualTo(1));
            Assert.That(await Count("case.resolved"), Is.EqualTo(1));
        });

        // The same note form sent back with other text records nothing and says so; a fresh form records it.
        var changed = await advisor.PostAsync(caseUrl + "?handler=Note", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(casePage), ["idempotencyKey"] = PageForms.FormKey(casePage, "handler=Note"),
            ["text"] = "Something else",
        }));
        Assert.That(await Page(changed, HttpStatusCode.Conflict), Does.Contain("already used for a different request"));
        Assert.That(await Count("case.note-added"), Is.EqualTo(1));

        // The API takes the same key as idempotencyKey: a retry adds one note.
        var caseId = caseUrl.Split('/')[^1];
        var key = Guid.NewGuid().ToString();
        var first = await api.PostAsync($"/api/councils/cheltenham/cases/{caseId}/notes", new { text = "By API", idempotencyKey = key });
        var retry = await api.PostAsync($"/api/councils/cheltenham/cases/{caseId}/notes", new { text = "By API", idempotencyKey = key });
        var other = await api.PostAsync($"/api/councils/cheltenham/cases/{caseId}/notes", new { text = "Other", idempotencyKey = key });
        Assert.That((first.StatusCode, retry.StatusCode, other.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict)));
        Assert.That(await Count("case.note-added"), Is.EqualTo(2));
        var apiRaise = new { customerId = customer, type = "enquiry", service = "waste", summary = "By API", idempotencyKey = key + "-raise" };
        var r1 = await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/cases", apiRaise), HttpStatusCode.Created);
        var r2 = await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/cases", apiRaise), HttpStatusCode.OK);
        Assert.That(r2["reference"]!.GetValue<string>(), Is.EqualTo(r1["reference"]!.GetValue<string>()));
        Assert.That(await Count("case.raised"), Is.EqualTo(2));
    }
}
