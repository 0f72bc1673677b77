using System.Net;
using System.Text.Json;

namespace CustomerAccess.Host.Tests;

public class OperationsTests
{
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task Live_and_ready_answer_200_once_migrations_have_run()
    {
        Assert.That((await _client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ready_is_503_when_a_migration_is_missing()
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using (var tx = await admin.BeginTransactionAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand("delete from platform.migrations where id like '%0001_event_store.sql'", admin, tx);
            await cmd.ExecuteNonQueryAsync();
            // Readiness is checked from another connection; commit, probe, then restore the row.
            await tx.CommitAsync();
        }
        try
        {
            var response = await _client.GetAsync("/health/ready");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
        finally
        {
            await using var restore = new Npgsql.NpgsqlCommand(
                "insert into platform.migrations (id, checksum) values ('CustomerAccess.Platform/0001_event_store.sql', $1)", admin);
            var migrator = (Platform.Database.Migrator)_host.Services.GetService(typeof(Platform.Database.Migrator))!;
            restore.Parameters.AddWithValue(migrator.Migrations.First(m => m.Id.EndsWith("0001_event_store.sql", StringComparison.Ordinal)).Checksum);
            await restore.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task OpenApi_document_is_served()
    {
        var response = await _client.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("openapi").GetString(), Does.StartWith("3."));
    }

    [Test]
    public async Task An_unknown_route_is_a_problem_response()
    {
        var response = await _client.GetAsync("/no/such/route");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
