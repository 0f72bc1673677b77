using System.Net;
using CustomerAccess.Testing;
using Npgsql;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>Outside Development with no contractor configured, works orders are handled but stay raised.</summary>
public class UnconfiguredContractorTests
{
    [Test]
    public async Task In_production_without_a_contractor_works_orders_stay_raised()
    {
        await using var host = await HostFixture.StartAsync(environment: "Production", testAuth: true);
        var clock = new TestWasteClock();
        clock.SetLocal(2026, 12, 21, 17);
        await using var clocked = clock.Attach(host);
        var http = clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        using var advisor = new ApiClient(http, "advisor");

        var customer = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Pro", lastName = "Duction" }), HttpStatusCode.Created);
        var report = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/waste/missed-bins",
            new { customerId = customer["id"]!.GetValue<string>(), uprn = WasteUprns.CheltenhamMondayA, container = "refuse" }), HttpStatusCode.Created);

        await using var admin = await host.Database.OpenAdminAsync();
        await Eventually.Until(async () =>
        {
            await using var cmd = new NpgsqlCommand("select count(*) from platform.inbox where tenant_id = 'cheltenham' and handler like '%SendWorksOrder%'", admin);
            return (long)(await cmd.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(15), "the send message should be handled");
        var order = await ApiClient.Expect(await advisor.GetAsync($"/api/councils/cheltenham/waste/works-orders/{report["worksOrderId"]}"), HttpStatusCode.OK);
        Assert.That(order["status"]!.GetValue<string>(), Is.EqualTo("raised"));
        await using var dead = new NpgsqlCommand("select count(*) from platform.dead_letters", admin);
        Assert.That((long)(await dead.ExecuteScalarAsync())!, Is.Zero);
    }
}
