using System.Net;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>The customer screens' forms sent twice (double click, back and resubmit, a retry) record once.</summary>
public class CustomerPagesReplayTests
{
    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient Advisor()
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"advisor;advisor;{string.Join(',', SeedCouncils.All)}");
        return http;
    }

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) => PageForms.ReadAsync(response, status);

    [Test]
    public async Task Registering_logging_a_contact_and_setting_and_removing_a_flag_twice_each_record_once()
    {
        using var advisor = Advisor();
        const string council = "cheltenham";

        // Register: the same form twice is one customer, and the second lands on them.
        var form = await Page(await advisor.GetAsync($"/councils/{council}/customers/new"));
        var (registered, again) = await PageForms.PostTwiceAsync(advisor, form, $"/councils/{council}/customers/new", new()
        {
            ["Form.FirstName"] = "Dora", ["Form.LastName"] = "Double-" + Guid.NewGuid().ToString("N")[..8], ["Form.Phone"] = "07700 900123",
        });
        await Page(registered);
        var customerPath = registered.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(customerPath, Does.Match($"^/councils/{council}/customers/[0-9a-f-]+$"));
        Assert.That(again.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(customerPath));
        Assert.That(await Page(again), Does.Contain("data-testid=\"replayed\""));
        var customer = customerPath.Split('/')[^1];
        Task<long> Count(string type) => Recorded.EventsAsync(_host.Database, council, customer, type);
        Assert.That(await Count("customer.registered"), Is.EqualTo(1));

        // The single view's contact form, twice: one contact.
        var view = await Page(await advisor.GetAsync(customerPath));
        var (logged, loggedAgain) = await PageForms.PostTwiceAsync(advisor, view, customerPath + "?handler=Contact", new()
        {
            ["Contact.Channel"] = "phone", ["Contact.Reason"] = "Asked about bins", ["Contact.Resolved"] = "yes",
        }, "handler=Contact");
        await Page(logged);
        Assert.That(await Page(loggedAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Count("customer.contact-logged"), Is.EqualTo(1));

        // Set a flag twice: one flag. Remove it twice: one removal, and no "not found" page.
        var flags = await Page(await advisor.GetAsync(customerPath + "/flags"));
        var (set, setAgain) = await PageForms.PostTwiceAsync(advisor, flags, customerPath + "/flags", new()
        {
            ["Form.Kind"] = "interpreter", ["Form.Reason"] = "Asked on the phone", ["Form.Details"] = "Polish",
        }, "method=\"post\" novalidate");
        await Page(set);
        await Page(setAgain);
        Assert.That(await Count("customer.flag-set"), Is.EqualTo(1));
        var withFlag = await Page(await advisor.GetAsync(customerPath + "/flags"));
        var flagId = System.Text.RegularExpressions.Regex.Match(withFlag, "name=\"flagId\" value=\"([^\"]+)\"").Groups[1].Value;
        var (removed, removedAgain) = await PageForms.PostTwiceAsync(advisor, withFlag, customerPath + "/flags?handler=Remove",
            new() { ["flagId"] = flagId }, "handler=Remove");
        await Page(removed);
        Assert.That(await Page(removedAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Count("customer.flag-removed"), Is.EqualTo(1));

        // The API takes idempotencyKey on contacts and flags: a retry is 200 with the same id.
        var api = new ApiClient(advisor, "advisor");
        var key = Guid.NewGuid().ToString();
        var contact = new { channel = "email", reason = "Retry", resolvedAtFirstContact = false, idempotencyKey = key };
        var first = await ApiClient.Expect(await api.PostAsync($"/api/councils/{council}/customers/{customer}/contacts", contact), HttpStatusCode.Created);
        var retry = await ApiClient.Expect(await api.PostAsync($"/api/councils/{council}/customers/{customer}/contacts", contact), HttpStatusCode.OK);
        Assert.That(retry["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(await Count("customer.contact-logged"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_registration_retried_with_its_idempotency_key_registers_one_customer()
    {
        using var advisor = Advisor();
        var api = new ApiClient(advisor, "advisor");
        var key = Guid.NewGuid().ToString();
        var last = "Retry-" + Guid.NewGuid().ToString("N")[..8];
        var body = new { firstName = "Rita", lastName = last, phone = "01242 555123", idempotencyKey = key };
        var first = await ApiClient.Expect(await api.PostAsync("/api/councils/cotswold/customers", body), HttpStatusCode.Created);
        var retry = await ApiClient.Expect(await api.PostAsync("/api/councils/cotswold/customers", body), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(retry["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
            Assert.That(retry["lastName"]!.GetValue<string>(), Is.EqualTo(last));
        });
        await ApiClient.Expect(await api.PostAsync("/api/councils/cotswold/customers", new { firstName = "Other", lastName = last, idempotencyKey = key }),
            HttpStatusCode.Conflict);
        Assert.That(await Recorded.EventsAsync(_host.Database, "cotswold", first["id"]!.GetValue<string>(), "customer.registered"), Is.EqualTo(1));
        var found = await ApiClient.Expect(await api.GetAsync($"/api/councils/cotswold/customers?q={last}"), HttpStatusCode.OK);
        Assert.That(found["items"]!.AsArray(), Has.Count.EqualTo(1), "one customer, not one per retry");
    }

    [Test]
    public async Task A_merge_sent_twice_merges_once_without_an_error()
    {
        using var advisor = Advisor();
        var api = new ApiClient(advisor, "advisor");
        var survivor = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Mo", lastName = "Merge" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var duplicate = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Mo", lastName = "Merge" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
        var mergePath = $"/councils/cheltenham/customers/{survivor}/merge";
        var page = await Page(await advisor.GetAsync(mergePath + "?duplicateId=" + duplicate));
        var (merged, mergedAgain) = await PageForms.PostTwiceAsync(advisor, page, mergePath, new() { ["duplicateId"] = duplicate }, "method=\"post\"");
        await Page(merged);
        Assert.That(await Page(mergedAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Recorded.EventsAsync(_host.Database, "cheltenham", survivor, "customer.merged"), Is.EqualTo(1));
    }
}
