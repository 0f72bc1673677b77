using CustomerAccess.Platform.Database;

namespace CustomerAccess.Customer.ReadModels;

/// <summary>An address from the council's gazetteer (LLPG), keyed by UPRN.</summary>
/// <param name="Current">false for a historical address: still shown on old records, never taken for new details</param>
internal sealed record AddressRecord(long Uprn, IReadOnlyList<string> Lines, string Postcode, bool Current = true)
{
    /// <summary>The postcode as a lookup key: upper case, no spaces.</summary>
    public static string Key(string postcode) => new string(postcode.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
}

/// <summary>Finds addresses in the council's gazetteer; the Gazetteer folder implements it.</summary>
internal interface IAddressBook
{
    Task<AddressRecord?> FindAsync(TenantTransaction tx, long uprn, CancellationToken ct);
}

/// <summary>An address as responses and screens show it: { uprn, lines[], postcode }.</summary>
internal sealed record AddressView(long Uprn, IReadOnlyList<string> Lines, string Postcode)
{
    public static AddressView? From(AddressRecord? address) => address is null ? null : new(address.Uprn, address.Lines, address.Postcode);
}
