using CustomerAccess.Customer.Gazetteer;
using CustomerAccess.Platform.Database;

namespace CustomerAccess.Customer.ReadModels;

/// <summary>The customer records' view of the gazetteer (Gazetteer/), keyed by UPRN.</summary>
internal sealed class GazetteerAddressBook : IAddressBook
{
    public async Task<AddressRecord?> FindAsync(TenantTransaction tx, long uprn, CancellationToken ct) =>
        await GazetteerQueries.FindAsync(tx, uprn, ct).ConfigureAwait(false) is { } a
            ? new AddressRecord(a.Uprn, a.Lines, a.Postcode ?? "", a.IsCurrent)
            : null;
}
