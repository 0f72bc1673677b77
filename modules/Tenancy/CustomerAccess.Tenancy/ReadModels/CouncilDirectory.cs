using System.Collections.Concurrent;
using System.Text.Json;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Npgsql;

namespace CustomerAccess.Tenancy.ReadModels;

/// <summary>
/// The partnership's councils from tenancy.councils. Councils are never removed, so a positive
/// answer is remembered; a negative one is always asked again, so a council onboarded on another
/// host is usable here at once.
/// </summary>
internal sealed class CouncilDirectory(PlatformDatabase db) : ICouncilDirectory
{
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string councilId, CancellationToken ct = default)
    {
        if (_known.ContainsKey(councilId)) return true;
        await using var cmd = db.App.CreateCommand("select 1 from tenancy.councils where id = $1");
        cmd.Parameters.AddWithValue(councilId);
        var exists = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
        if (exists) _known[councilId] = true;
        return exists;
    }

    public async Task<CouncilInfo?> GetAsync(string councilId, CancellationToken ct = default) =>
        (await QueryAsync(councilId, ct).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<CouncilInfo>> ListAsync(CancellationToken ct = default) => QueryAsync(null, ct);

    private async Task<IReadOnlyList<CouncilInfo>> QueryAsync(string? councilId, CancellationToken ct)
    {
        await using var cmd = db.App.CreateCommand("""
            select c.id, c.name, c.contact_number, c.service_themes, c.days_to_resolve::text,
                   coalesce((select array_agg(h.date order by h.date) from tenancy.bank_holidays h where h.division = c.holiday_division), '{}'),
                   c.receipt_prefix
            from tenancy.councils c
            where $1::text is null or c.id = $1
            order by c.name
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)councilId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<CouncilInfo>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new CouncilInfo(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(4)) ?? [],
                reader.GetFieldValue<DateOnly[]>(5),
                reader.GetString(6),
                Domain.ReceiptPrefixes.ReferencePrefix(reader.GetString(0), reader.GetString(6))));
        }
        foreach (var c in list) _known[c.Id] = true;
        return list;
    }
}
