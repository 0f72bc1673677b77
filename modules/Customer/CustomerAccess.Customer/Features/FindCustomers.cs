using System.Globalization;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// GET /customers?q=: one box that finds by name (typo-tolerant, trigram), email, phone, postcode
/// or UPRN. Every branch is an index lookup. <c>items</c> are the council's own customers only; the
/// additive <c>sharedMatches</c> (always present, empty when none) holds matching customers of councils
/// that share identity with this one (<see cref="SharedIdentity"/>), on the first page, for roles that
/// may see them.
/// </summary>
internal static class FindCustomers
{
    internal sealed record Match(string Id, string? FirstName, string? LastName, string? Email, string? Phone, AddressView? Address);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/customers", Handle).RequireAuthorization(Policies.Read).WithName("FindCustomers");

    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private const int MaxOffset = 10_000; // as the address lookup: a search that needs more pages needs a better query

    private static async Task<IResult> Handle(string? q, int? limit, string? cursor, HttpContext http, PlatformDatabase db, IAddressBook addresses,
        CancellationToken ct)
    {
        var text = q?.Trim() ?? "";
        var v = new Validator();
        v.Require(text.Length >= 2, "q", "Enter at least 2 characters: a name, email, phone number, postcode or UPRN.");
        v.Require(text.Length <= 200, "q", "The search is too long.");
        v.Require(limit is null or (>= 1 and <= MaxLimit), "limit", $"limit is from 1 to {MaxLimit}.");
        var offset = 0;
        // The cursor is the offset of the next page: opaque to clients, and free of the names it was ordered by.
        v.Require(cursor is null || (int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset <= MaxOffset),
            "cursor", "cursor is not one this API gave.");
        v.ThrowIfInvalid();

        var take = limit ?? DefaultLimit;
        List<Match> items;
        bool more;
        await using (var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false))
        {
            (var rows, more) = await SearchPageAsync(tx, text, take, offset, ct).ConfigureAwait(false);
            items = await WithAddressesAsync(tx, rows, addresses, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        // Other councils' matches come with the first page only, so a client paging through items never sees them twice.
        var sharedMatches = offset == 0 && cursor is null && await SharedIdentity.MaySeeAsync(http).ConfigureAwait(false)
            ? await SharedIdentity.SearchAsync(http.Council(), text, http.RequestServices, ct).ConfigureAwait(false)
            : [];
        return Results.Ok(new { items, next = more ? (offset + take).ToString(CultureInfo.InvariantCulture) : null, sharedMatches });
    }

    /// <summary>Search rows as the contract shapes them (address lines from the gazetteer); the search screen shows the same.</summary>
    internal static async Task<List<Match>> WithAddressesAsync(TenantTransaction tx, IEnumerable<Row> rows, IAddressBook addresses, CancellationToken ct)
    {
        var items = new List<Match>();
        foreach (var m in rows)
        {
            var address = m.Uprn is { } u ? await addresses.FindAsync(tx, u, ct).ConfigureAwait(false) : null;
            items.Add(new Match(m.Id, m.FirstName, m.LastName, m.Email, m.Phone, AddressView.From(address)));
        }
        return items;
    }

    internal sealed record Row(string Id, string? FirstName, string? LastName, string? Email, string? Phone, long? Uprn);

    /// <summary>The first <paramref name="take"/> matches, best first (the search and merge screens).</summary>
    internal static async Task<List<Row>> SearchAsync(TenantTransaction tx, string text, int take, CancellationToken ct) =>
        (await SearchPageAsync(tx, text, take, 0, ct).ConfigureAwait(false)).Rows;

    /// <summary>One page of matches from <paramref name="offset"/>, and whether another page follows.</summary>
    internal static async Task<(List<Row> Rows, bool More)> SearchPageAsync(TenantTransaction tx, string text, int take, int offset, CancellationToken ct)
    {
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var phone = CustomerProjection.Digits(text);
        var postcode = AddressRecord.Key(text);
        long? uprn = CustomerInput.TryUprn(text, out var u) ? u : null;
        var looksLikePhone = digits.Length >= 6 && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')');
        // customer.search_customers (Schema/0003, paged since 0007) filters by the transaction's council itself so
        // that the trigram index can be used despite row-level security.
        await using var cmd = tx.Command("select id, first_name, last_name, email, phone, uprn from customer.search_customers($1, $2, $3, $4, $5, $6)");
        cmd.Parameters.AddWithValue(text);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, looksLikePhone ? phone! : DBNull.Value);
        cmd.Parameters.AddWithValue(postcode);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, uprn is null ? DBNull.Value : uprn.Value);
        cmd.Parameters.AddWithValue(take + 1); // one more than the page says whether there is a next
        cmd.Parameters.AddWithValue(offset);
        var rows = new List<Row>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            rows.Add(new Row(reader.GetString(0), Str(reader, 1), Str(reader, 2), Str(reader, 3), Str(reader, 4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        return (rows, more);
    }

    private static string? Str(Npgsql.NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
