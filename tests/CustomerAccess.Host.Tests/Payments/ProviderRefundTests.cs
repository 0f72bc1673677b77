using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// Refunds of web and telephone payments reach the provider's refund API (GOV.UK Pay shape) through the outbox:
/// recorded first, sent after commit, retried when the provider does not answer, and never refunded twice.
/// </summary>
public class ProviderRefundTests
{
    private FakeGovUkPay _fake = null!;
    private PaymentsHostFixture _host = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _fake = await FakeGovUkPay.StartAsync();
        _host = await PaymentsHostFixture.StartAsync(_fake, new() { ["Payments:Provider:MaxRetries"] = "2" });
        _advisor = _host.Client("advisor", "advisor", "cheltenham");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private async Task<string> SucceededWebPayment(long amount)
    {
        var started = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments",
            new { fund = "parking", amountPence = amount, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        var id = started["id"]!.GetValue<string>();
        _fake.Finish(id, "success");
        var done = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        return id;
    }

    private async Task<JsonNode> Refund(string id, long amount)
    {
        var refund = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = amount, reason = "Overpaid" }),
            HttpStatusCode.Created);
        Assert.That(refund["providerRefund"]!.GetValue<string>(), Is.EqualTo("queued"));
        return refund;
    }

    /// <summary>Waits until every refund of the payment has the provider's answer recorded.</summary>
    private async Task<JsonArray> Answered(string id, int count) =>
        (await Eventually.Until(async () => (await ApiClient.Json(await _advisor.GetAsync($"{Base}/payments/{id}")))!["refunds"]!.AsArray(),
            a => a.Count == count && a.All(r => r!["providerStatus"] is not null), timeout: TimeSpan.FromSeconds(30),
            because: "the provider's answer is recorded"))!;

    [Test]
    public async Task A_refund_is_sent_to_the_provider_after_commit_and_a_second_one_states_what_is_left()
    {
        var id = await SucceededWebPayment(4101);
        var first = await Refund(id, 1000);
        var refunds = await Answered(id, 1);
        Assert.That(refunds[0]!["providerStatus"]!.GetValue<string>(), Is.EqualTo("submitted"));
        var atProvider = _fake.RefundsOf(id);
        Assert.That(atProvider.Select(r => r.Amount), Is.EqualTo(new[] { 1000L }));
        Assert.That(refunds[0]!["providerRefundId"]!.GetValue<string>(), Is.EqualTo(atProvider[0].Id));
        Assert.That(refunds[0]!["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));

        // The fake refuses a stale refund_amount_available (412), so this passing shows we sent 3101.
        await Refund(id, 3101);
        refunds = await Answered(id, 2);
        Assert.That(refunds.Select(r => r!["providerStatus"]!.GetValue<string>()), Is.EqualTo(new[] { "submitted", "submitted" }));
        Assert.That(_fake.RefundsOf(id).Sum(r => r.Amount), Is.EqualTo(4101));

        // The provider finishes them: reading the payment brings "submitted" refunds up to date.
        _fake.FinishRefunds(id, "success");
        var read = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);
        Assert.That(read["refunds"]!.AsArray().Select(r => r!["providerStatus"]!.GetValue<string>()), Is.EqualTo(new[] { "success", "success" }));
    }

    [Test]
    public async Task A_provider_that_does_not_answer_is_retried_through_the_outbox_and_refunds_once()
    {
        var id = await SucceededWebPayment(4102);
        _fake.For(4102).FailRefunds = 5; // more than one delivery's Polly attempts (1 + 2 retries)
        await Refund(id, 500);
        var refunds = await Answered(id, 1);
        Assert.That(refunds[0]!["providerStatus"]!.GetValue<string>(), Is.EqualTo("submitted"));
        Assert.That(_fake.RefundsOf(id), Has.Count.EqualTo(1), "refunded once");
        Assert.That(_fake.For(4102).FailRefunds, Is.LessThan(0), "the failing calls were all made before it went through");
    }

    [Test]
    public async Task A_refund_whose_answer_was_lost_is_found_at_the_provider_rather_than_sent_twice()
    {
        var id = await SucceededWebPayment(4103);
        _fake.For(4103).HangRefundsAfterRefunding = 1;
        await Refund(id, 700);
        var refunds = await Answered(id, 1);
        var atProvider = _fake.RefundsOf(id);
        Assert.That(atProvider, Has.Count.EqualTo(1), "the retry was refused (412) instead of refunding again");
        Assert.That(refunds[0]!["providerRefundId"]!.GetValue<string>(), Is.EqualTo(atProvider[0].Id));
        Assert.That(refunds[0]!["providerStatus"]!.GetValue<string>(), Is.EqualTo("submitted"));
    }

    [Test]
    public async Task A_cash_refund_never_goes_to_the_provider()
    {
        var paid = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments",
            new { fund = "parking", amountPence = 4104, channel = "cash", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        var id = paid["id"]!.GetValue<string>();
        var refund = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 4104, reason = "Mistake" }),
            HttpStatusCode.Created);
        Assert.That(refund["providerRefund"], Is.Null);
        var read = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);
        Assert.That(read["refunds"]![0]!["providerStatus"], Is.Null);
    }
}
