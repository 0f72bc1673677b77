using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAccess.Platform.Database;
using Npgsql;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>One address of a property as the rest of the module sees it.</summary>
internal sealed record GazetteerAddress(long Uprn, IReadOnlyList<string> Lines, string? Postcode, short LogicalStatus)
{
    /// <summary>Historical (8) addresses are kept for the record but not offered for new contacts.</summary>
    public bool IsCurrent => LogicalStatus != LogicalStatuses.Historical;
}

internal static class LogicalStatuses
{
    public const short Approved = 1;
    public const short Alternative = 3;
    public const short Provisional = 6;
    public const short Historical = 8;
}

/// <summary>Reads the gazetteer within a council's transaction (row-level security confines it to that council).</summary>
internal static partial class GazetteerQueries
{
    public const int MinimumQueryLength = 3;

    /// <summary>
    /// The property's preferred address (approved, else provisional, alternative, historical), or null
    /// when this council's gazetteer has no such UPRN.
    /// </summary>
    public static async Task<GazetteerAddress?> FindAsync(TenantTransaction tx, long uprn, CancellationToken ct = default)
    {
        await using var cmd = tx.Command("""
            select uprn, lines, postcode, logical_status from customer.addresses
            where uprn = $1
            order by case logical_status when 1 then 0 when 6 then 1 when 3 then 2 else 3 end,
                     (language = 'ENG') desc, lpi_key
            limit 1
            """);
        cmd.Parameters.AddWithValue(uprn);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadAddress(reader) : null;
    }

    /// <summary>
    /// Address lookup for new contacts (historical addresses left out). A query that looks like a
    /// postcode or its start ("gl50 1aa", "GL501AA", "gl50") is a postcode prefix search on the
    /// normalised postcode index; anything else matches every word: numbers as whole words ("12",
    /// "12A"), other words as word prefixes ("high", "chelt"), against the trigram-indexed search text.
    /// </summary>
    public static async Task<(IReadOnlyList<GazetteerAddress> Items, bool More)> SearchAsync(
        TenantTransaction tx, string query, int limit, int offset, CancellationToken ct = default)
    {
        var normalised = AddressRenderer.Normalise(query);
        var compact = normalised.Replace(" ", "", StringComparison.Ordinal);
        await using var cmd = tx.Command("");
        string where;
        if (PostcodePrefix().IsMatch(compact))
        {
            // text_pattern_ops range: leakproof operators, so the index is usable under row-level security.
            where = "postcode_key ~>=~ $1 and postcode_key ~<~ $2";
            cmd.Parameters.AddWithValue(compact);
            cmd.Parameters.AddWithValue(compact + "\u007f");
        }
        else
        {
            var tokens = normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Take(8).ToList();
            var conditions = new List<string>();
            foreach (var token in tokens)
            {
                var wholeWord = token.Any(char.IsAsciiDigit);
                cmd.Parameters.AddWithValue(wholeWord ? "% " + token + " %" : "% " + token + "%");
                conditions.Add($"search like ${cmd.Parameters.Count}");
            }
            where = string.Join(" and ", conditions);
        }
        cmd.Parameters.AddWithValue(limit + 1);
        var limitParameter = cmd.Parameters.Count;
        cmd.Parameters.AddWithValue(offset);
        cmd.CommandText = $"""
            select uprn, lines, postcode, logical_status from customer.addresses
            where logical_status <> {LogicalStatuses.Historical} and {where}
            order by postcode_key, pao_start_number nulls last, pao_text, sao_start_number nulls last, sao_text, lpi_key
            limit ${limitParameter} offset ${limitParameter + 1}
            """;
        var items = new List<GazetteerAddress>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) items.Add(ReadAddress(reader));
        var more = items.Count > limit;
        if (more) items.RemoveAt(items.Count - 1);
        return (items, more);
    }

    /// <summary>A UK postcode or the start of one, without spaces: "GL50", "GL501", "GL501AA", "OX28".</summary>
    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?([0-9][A-Z]{0,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PostcodePrefix();

    private static GazetteerAddress ReadAddress(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetFieldValue<string[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt16(3));

    /// <summary>Reads an LPI back from "lpi_key, uprn, usrn, language, logical_status, dates..., sao..., pao..., level, ...".</summary>
    internal static LpiRecord ReadLpi(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        int? I(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
        DateOnly? D(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
        return new LpiRecord(0, ChangeType.Update, r.GetInt64(1), r.GetString(0), S(3), r.GetInt16(4), D(5), D(6), D(7),
            new NumberRange(I(8), S(9), I(10), S(11)), S(12), new NumberRange(I(13), S(14), I(15), S(16)), S(17),
            r.GetInt64(2), S(18), S(19), S(20), S(21), S(22));
    }

    /// <summary>"123" → 123 when it can be a UPRN (1 to 12 digits).</summary>
    public static bool TryParseUprn(string text, out long uprn)
    {
        uprn = 0;
        return text.Length is > 0 and <= 12 && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uprn);
    }
}
