using System.Net;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>A card number (PAN) typed into a payment is refused, and leaves no trace in the database or the logs.</summary>
public class CardNumberTests
{
    private const string Pan = "4111 1111 1111 1111";
    private const string PanDigits = "4111111111111111";

    [Test]
    public async Task A_card_number_in_the_reference_is_a_400_and_is_neither_stored_nor_logged()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        var logs = new LogCapture();
        await using var logged = logs.Attach(host);
        using var http = logged.CreateClient();
        http.DefaultRequestHeaders.Add(Testing.TestAuthHandler.Header, Testing.TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        using var advisor = new ApiClient(http, "advisor");

        // Something real first, so the scans below look at non-empty tables.
        await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "council-tax", amountPence = 1000, channel = "cash", reference = "CT 12345678", idempotencyKey = "k-ok" }), HttpStatusCode.Created);
        var before = await Counts(host);

        foreach (var (reference, channel) in new[] { (Pan, "cash"), (PanDigits, "telephone"), ("card 4111-1111-1111-1111 exp 12/29", "web") })
        {
            var response = await advisor.PostAsync("/api/councils/cheltenham/payments",
                new { fund = "council-tax", amountPence = 1000, channel, reference, idempotencyKey = Keys.New() });
            var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!["reference"], Is.Not.Null, problem.ToJsonString());
            Assert.That(problem.ToJsonString(), Does.Not.Contain("4111"));
        }
        var refund = await advisor.PostAsync("/api/councils/cheltenham/payments/x/refunds", new { amountPence = 1, reason = "card was " + PanDigits });
        await ApiClient.Expect(refund, HttpStatusCode.BadRequest);

        Assert.That(await Counts(host), Is.EqualTo(before), "nothing written");
        await using var admin = await host.Database.OpenAdminAsync();
        foreach (var table in new[] { "es.events", "payments.payments", "payments.refunds", "payments.idempotency", "payments.declarations" })
        {
            await using var cmd = new NpgsqlCommand(
                $"select count(*) from {table} t where regexp_replace(t::text, '[^0-9]', '', 'g') like '%' || $1 || '%'", admin);
            cmd.Parameters.AddWithValue(PanDigits);
            Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero, $"the card number is in {table}");
        }
        Assert.That(logs.Lines, Is.Not.Empty, "the capture saw the host's logs");
        Assert.That(logs.All.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), Does.Not.Contain(PanDigits));
    }

    private static async Task<long> Counts(HostFixture host)
    {
        await using var admin = await host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("""
            select (select count(*) from es.events) + (select count(*) from payments.payments) + (select count(*) from payments.refunds)
                 + (select count(*) from payments.idempotency)
            """, admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
