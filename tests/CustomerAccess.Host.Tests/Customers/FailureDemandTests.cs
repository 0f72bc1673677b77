using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>
/// Contacts classified as value or failure demand (with why), on the API and the single view's
/// form, and the figures the performance report builds from them.
/// </summary>
public class FailureDemandTests
{
    private const string Council = "west-oxfordshire";
    private const string Base = "/api/councils/" + Council;

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonNode> ReportAfter(ApiClient advisor, HttpResponseMessage last)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/reports/performance?from={Today}&to={Today}");
        request.Headers.Add("X-Min-Position", last.Headers.GetValues("X-Event-Position").Single());
        return await ApiClient.Expect(await advisor.Http.SendAsync(request), HttpStatusCode.OK);
    }

    [Test]
    public async Task Classified_contacts_give_the_failure_demand_share_and_its_reasons_and_bad_classifications_record_nothing()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", Council);
        var customer = (await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers", new { firstName = "Fay", lastName = "Lure" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        Task<HttpResponseMessage> Log(object body) => advisor.PostAsync($"{Base}/customers/{customer}/contacts", body);

        await ApiClient.Expect(await Log(new { channel = "phone", reason = "New bin", resolvedAtFirstContact = true, demand = "value" }), HttpStatusCode.Created);
        await ApiClient.Expect(await Log(new { channel = "phone", reason = "Where is my bin", resolvedAtFirstContact = false, demand = "failure", failureReason = "progress-chasing" }), HttpStatusCode.Created);
        await ApiClient.Expect(await Log(new { channel = "email", reason = "Still no bin", resolvedAtFirstContact = false, demand = "failure", failureReason = "progress-chasing" }), HttpStatusCode.Created);
        await ApiClient.Expect(await Log(new { channel = "web", reason = "Wrong bin left", resolvedAtFirstContact = true, demand = "failure", failureReason = "done-wrong" }), HttpStatusCode.Created);
        var last = await Log(new { channel = "phone", reason = "Council tax", resolvedAtFirstContact = true });
        await ApiClient.Expect(last, HttpStatusCode.Created);

        // Each refused, with the field named, and none of them logged.
        var unknown = await ApiClient.Expect(await Log(new { channel = "phone", reason = "x", resolvedAtFirstContact = true, demand = "maybe" }), HttpStatusCode.BadRequest);
        var noReason = await ApiClient.Expect(await Log(new { channel = "phone", reason = "x", resolvedAtFirstContact = true, demand = "failure" }), HttpStatusCode.BadRequest);
        var badReason = await ApiClient.Expect(await Log(new { channel = "phone", reason = "x", resolvedAtFirstContact = true, demand = "failure", failureReason = "bad-luck" }), HttpStatusCode.BadRequest);
        var reasonForValue = await ApiClient.Expect(await Log(new { channel = "phone", reason = "x", resolvedAtFirstContact = true, demand = "value", failureReason = "not-done" }), HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(unknown["errors"]!["demand"], Is.Not.Null);
            Assert.That(noReason["errors"]!["failureReason"], Is.Not.Null);
            Assert.That(badReason["errors"]!["failureReason"]![0]!.GetValue<string>(), Does.Contain("progress-chasing"));
            Assert.That(reasonForValue["errors"]!["failureReason"], Is.Not.Null);
        });

        var report = await ReportAfter(advisor, last);
        Assert.Multiple(() =>
        {
            Assert.That(report["contactsByChannel"]!.AsObject().Sum(c => c.Value!.GetValue<int>()), Is.EqualTo(5), "the refused contacts logged nothing");
            Assert.That(report["classifiedContacts"]!.GetValue<int>(), Is.EqualTo(4), "the unclassified contact is neither value nor failure");
            Assert.That(report["failureDemand"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(report["failureDemandShare"]!.GetValue<double>(), Is.EqualTo(0.75).Within(0.0001));
            Assert.That(report["failureDemandByReason"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()),
                Is.EquivalentTo(new Dictionary<string, int> { ["progress-chasing"] = 2, ["done-wrong"] = 1 }));
        });

        // The timeline says it, in words; the subject access export carries the classification.
        using var timelineRequest = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{customer}/timeline");
        timelineRequest.Headers.Add("X-Min-Position", last.Headers.GetValues("X-Event-Position").Single());
        var timeline = await ApiClient.Expect(await advisor.Http.SendAsync(timelineRequest), HttpStatusCode.OK);
        Assert.That(timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()),
            Has.Some.Contains("failure demand (something was done wrong)"));
        var export = await ApiClient.Expect(await advisor.GetAsync($"{Base}/customers/{customer}/export"), HttpStatusCode.OK);
        Assert.That(export["contacts"]!.AsArray().Count(c => c!["failureReason"]?.GetValue<string>() == "progress-chasing"), Is.EqualTo(2));

        // The joint committee's rows carry the same figures; another council's are its own.
        using var auditor = ApiClient.As(host, "auditor", "auditor", "*");
        var partnership = await ApiClient.Expect(await auditor.GetAsync($"/api/partnership/reports/performance?from={Today}&to={Today}"), HttpStatusCode.OK);
        var rows = partnership["items"]!.AsArray();
        Assert.That(rows.Single(r => r!["council"]!.GetValue<string>() == Council)!["classifiedContacts"]!.GetValue<int>(), Is.EqualTo(4));
        var cheltenham = rows.Single(r => r!["council"]!.GetValue<string>() == "cheltenham")!;
        Assert.Multiple(() =>
        {
            Assert.That(cheltenham["classifiedContacts"]!.GetValue<int>(), Is.Zero);
            Assert.That(cheltenham["failureDemandShare"], Is.Null, "no classified contacts: no share, not 0%");
        });
    }

    [Test]
    public async Task The_single_view_form_classifies_a_contact_and_asks_why_when_it_was_failure_demand()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var api = ApiClient.As(host, "advisor", "advisor", Council);
        var customer = (await ApiClient.Expect(await api.PostAsync($"{Base}/customers", new { firstName = "Fenella", lastName = "Form" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        using var advisor = host.CreateClient();
        advisor.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"advisor;advisor;{Council}");
        var path = $"/councils/{Council}/customers/{customer}";
        var page = await PageForms.ReadAsync(await advisor.GetAsync(path));
        Assert.That(page, Does.Contain("name=\"Contact.Demand\"").And.Contain("id=\"failure-reason-not-done\""));

        // Failure demand without a reason: the form again, saying what is missing, and nothing logged.
        var missing = await PageForms.ReadAsync(await PageForms.PostAsync(advisor, page, path + "?handler=Contact", new()
        {
            ["Contact.Channel"] = "phone", ["Contact.Reason"] = "Bin not emptied", ["Contact.Resolved"] = "no", ["Contact.Demand"] = "failure",
        }), HttpStatusCode.BadRequest);
        Assert.That(missing, Does.Contain("govuk-error-summary").And.Contain("Say why it was failure demand").And.Contain("href=\"#failure-reason-progress-chasing\""));
        Assert.That(await Recorded.EventsAsync(host.Database, Council, customer, "customer.contact-logged"), Is.Zero);

        var logged = await PageForms.PostAsync(advisor, missing, path + "?handler=Contact", new()
        {
            ["Contact.Channel"] = "phone", ["Contact.Reason"] = "Bin not emptied", ["Contact.Resolved"] = "no", ["Contact.Demand"] = "failure",
            ["Contact.FailureReason"] = "not-done",
        });
        await PageForms.ReadAsync(logged);
        // A reason left picked after switching to value demand is dropped, not an error.
        var value = await PageForms.PostAsync(advisor, page, path + "?handler=Contact", new()
        {
            ["Contact.Channel"] = "web", ["Contact.Reason"] = "Asked for a bin", ["Contact.Resolved"] = "yes", ["Contact.Demand"] = "value",
            ["Contact.FailureReason"] = "not-done",
        });
        var shown = await PageForms.ReadAsync(value);
        Assert.That(shown, Does.Contain("failure demand (something we should have done was not done)"));
        Assert.Multiple(async () =>
        {
            Assert.That(await Recorded.EventsWithAsync(host.Database, Council, "customer.contact-logged", "failureReason", "not-done"), Is.EqualTo(1));
            Assert.That(await Recorded.EventsWithAsync(host.Database, Council, "customer.contact-logged", "demand", "value"), Is.EqualTo(1));
        });
    }
}
