using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Domain;
using CustomerAccess.Tenancy.Features;
using Microsoft.Extensions.Configuration;

namespace CustomerAccess.Tenancy;

/// <summary>
/// Local mode: the four partner councils (onboarded through the event store like any other) and the
/// users of ../shared/api-contract.md. Idempotent, and safe when two hosts start together.
/// </summary>
internal sealed class LocalSeed(EventStore store, ICouncilDirectory directory, PlatformDatabase db, IConfiguration configuration) : ILocalSeeder
{
    public const string DefaultPassword = "change-me-locally";

    internal static readonly (string Id, string Name, string ContactNumber)[] Councils =
    [
        (SeedCouncils.Cheltenham, "Cheltenham Borough Council", "01242 262626"),
        (SeedCouncils.Cotswold, "Cotswold District Council", "01285 623000"),
        (SeedCouncils.ForestOfDean, "Forest of Dean District Council", "01594 810000"),
        (SeedCouncils.WestOxfordshire, "West Oxfordshire District Council", "01993 861000"),
    ];

    internal static readonly (string Username, string[] Roles, string[] Councils, string? Team)[] Users =
    [
        ("advisor", [Roles.Advisor], [..SeedCouncils.All], null),
        ("advisor.cotswold", [Roles.Advisor], [SeedCouncils.Cotswold], null),
        ("cllr.cheltenham", [Roles.Member], [SeedCouncils.Cheltenham], null),
        ("waste.officer", [Roles.ServiceOfficer], [..SeedCouncils.All], "waste"),
        ("auditor", [Roles.Auditor], [..SeedCouncils.All], null),
        ("admin", [Roles.PartnershipAdmin], [AccessClaims.AllCouncils], null),
    ];

    public int Order => 0;

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (id, name, phone) in Councils)
        {
            if (await directory.ExistsAsync(id, ct).ConfigureAwait(false)) continue;
            var onboarded = new CouncilOnboarded(id, name, phone, ServiceStandards.DefaultThemes,
                ServiceStandards.DefaultDaysToResolve, ServiceStandards.EnglandAndWales, ReceiptPrefixes.Seeded[id]);
            try
            {
                await OnboardCouncil.OnboardAsync(store, directory, onboarded, EventContext.System("local-seed"), ct).ConfigureAwait(false);
            }
            catch (ApiProblemException)
            {
                // Another host seeded it a moment ago.
            }
        }

        var password = configuration["CUSTOMERACCESS_SEED_PASSWORD"] is { Length: > 0 } p ? p : DefaultPassword;
        foreach (var (username, roles, councils, team) in Users)
        {
            await using (var exists = db.System.CreateCommand("select 1 from tenancy.users where username = $1"))
            {
                exists.Parameters.AddWithValue(username);
                if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null) continue;
            }
            await using var cmd = db.System.CreateCommand("""
                insert into tenancy.users (username, password_hash, roles, councils, team) values ($1, $2, $3, $4, $5)
                on conflict (username) do nothing
                """);
            cmd.Parameters.AddWithValue(username);
            cmd.Parameters.AddWithValue(LocalSignIn.Hash(username, password));
            cmd.Parameters.AddWithValue(roles);
            cmd.Parameters.AddWithValue(councils);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)team ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
