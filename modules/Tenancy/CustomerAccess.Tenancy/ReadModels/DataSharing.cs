using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Tenancy.ReadModels;

/// <summary>
/// Answers from tenancy.data_sharing, read under the owning council's row-level security (or, for the
/// councils sharing with a viewer, through a function that answers only for the viewer). Nothing is
/// cached: an agreement changed on any host counts on the next call.
/// </summary>
internal sealed class DataSharing(PlatformDatabase db) : IDataSharing
{
    public async Task<bool> SharesCustomerIdentityAsync(string owningCouncil, string viewingCouncil, CancellationToken ct = default)
    {
        if (string.Equals(owningCouncil, viewingCouncil, StringComparison.Ordinal)) return true;
        return (await ListAsync(owningCouncil, ct).ConfigureAwait(false))
            .Any(a => a.OtherCouncil == viewingCouncil && a.ShareCustomerIdentity);
    }

    public async Task<IReadOnlyList<string>> CouncilsSharingCustomerIdentityWithAsync(string viewingCouncil, CancellationToken ct = default)
    {
        // Under the viewing council: the function (Schema/0005) answers only for the transaction's council.
        await using var tx = await db.BeginAsync(viewingCouncil, ct).ConfigureAwait(false);
        await using var cmd = tx.Command("select council from tenancy.councils_sharing_identity_with_current()");
        var list = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) list.Add(reader.GetString(0));
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return list;
    }

    public async Task<IReadOnlyList<Agreement>> ListAsync(string council, CancellationToken ct = default)
    {
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        var list = await ListAsync(tx, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return list;
    }

    /// <summary>The transaction's council's agreements, in that transaction (a screen compares them with what it is about to write).</summary>
    public static async Task<IReadOnlyList<Agreement>> ListAsync(TenantTransaction tx, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var cmd = tx.Command("select other_council, share_customer_identity, changed_at from tenancy.data_sharing order by other_council");
        var list = new List<Agreement>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Agreement(tx.Tenant, reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return list;
    }

    internal sealed record Agreement(string Council, string OtherCouncil, bool ShareCustomerIdentity, DateTimeOffset ChangedAt);
}
