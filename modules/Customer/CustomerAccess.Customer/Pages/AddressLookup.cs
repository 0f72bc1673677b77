using CustomerAccess.Customer.Gazetteer;
using CustomerAccess.Platform.Database;

namespace CustomerAccess.Customer.Pages;

/// <summary>
/// Address picked from the council's gazetteer (GazetteerQueries.SearchAsync): a postcode field and
/// "Find address" that lists addresses as radios. Without JavaScript the button posts the form and the
/// page comes back with the list (two steps); with htmx only the list is fetched.
/// </summary>
public sealed class AddressLookup
{
    public string? Postcode { get; set; }
    public string? Selected { get; set; }
    public string? Error { get; set; }
    public bool Searched { get; private set; }
    public bool More { get; private set; }
    /// <summary>The current address, offered first so an unchanged choice stays chosen.</summary>
    public (string Uprn, string Text)? Current { get; set; }
    internal List<GazetteerAddress> Addresses { get; } = [];
    /// <summary>Where htmx fetches the list from (the page's Addresses handler).</summary>
    public string FetchUrl { get; set; } = "";

    internal async Task SearchAsync(PlatformDatabase db, string council, CancellationToken ct)
    {
        var q = Postcode?.Trim() ?? "";
        if (q.Length < GazetteerQueries.MinimumQueryLength)
        {
            Error = "Enter a postcode, or a street name and number, of at least 3 characters";
            return;
        }
        Searched = true;
        await using var tx = await db.BeginAsync(council, ct);
        var (items, more) = await GazetteerQueries.SearchAsync(tx, q, 50, 0, ct);
        Addresses.AddRange(items);
        More = more;
    }
}
