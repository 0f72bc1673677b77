using CustomerAccess.Platform.Database;

namespace CustomerAccess.Customer.ReadModels;

/// <summary>
/// Reads a property's address from the gazetteer tables (customer.addresses, loaded from the
/// council's LLPG). The approved address wins over alternatives; historical ones are not offered.
/// </summary>
internal sealed class GazetteerAddressBook : IAddressBook
{
    public async Task<AddressRecord?> FindAsync(TenantTransaction tx, long uprn, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select uprn, lines, coalesce(postcode, '') from customer.addresses
            where tenant_id = $1 and uprn = $2 and logical_status <> 8
            order by case logical_status when 1 then 0 when 3 then 1 else 2 end, lpi_key
            limit 1
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(uprn);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false)
            ? new AddressRecord(r.GetInt64(0), r.GetFieldValue<string[]>(1), r.GetString(2))
            : null;
    }
}
