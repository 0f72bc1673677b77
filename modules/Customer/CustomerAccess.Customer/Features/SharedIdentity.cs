using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// Customers another council shares with the viewing one under a data-sharing agreement (Tenancy,
/// through the platform's <see cref="IDataSharing"/>): identity only, that is name, email, phone and
/// address. Nothing else of theirs (timeline, cases, payments, flags, date of birth) ever leaves the
/// owning council. Each owning council's rows are read in a transaction set for that council (row-level
/// security), and only after <see cref="IDataSharing"/> has said, in this request, that it shares with the
/// viewer: nothing is cached, so a withdrawn agreement stops showing on the next request. Erased and
/// merged-away customers never show (the search and the lookup leave them out).
/// </summary>
internal static class SharedIdentity
{
    /// <summary>A customer of <paramref name="Council"/>, as another council may see them.</summary>
    internal sealed record SharedMatch(
        string Council, string CouncilName, string Id, string? FirstName, string? LastName, string? Email, string? Phone, AddressView? Address);

    /// <summary>How many matches each sharing council contributes to one search.</summary>
    public const int PerCouncil = 5;

    /// <summary>Whether the caller's role may see other councils' shared customers (<see cref="Policies.SharedIdentity"/>).</summary>
    internal static async Task<bool> MaySeeAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, Policies.SharedIdentity)
            .ConfigureAwait(false)).Succeeded;

    /// <summary>Matches for <paramref name="text"/> among the customers of every council that shares identity with <paramref name="viewingCouncil"/>.</summary>
    internal static async Task<List<SharedMatch>> SearchAsync(string viewingCouncil, string text, IServiceProvider services, CancellationToken ct)
    {
        var sharing = services.GetRequiredService<IDataSharing>();
        var directory = services.GetRequiredService<ICouncilDirectory>();
        var db = services.GetRequiredService<PlatformDatabase>();
        var addresses = services.GetRequiredService<IAddressBook>();
        var result = new List<SharedMatch>();
        foreach (var owner in await sharing.CouncilsSharingCustomerIdentityWithAsync(viewingCouncil, ct).ConfigureAwait(false))
        {
            if (string.Equals(owner, viewingCouncil, StringComparison.Ordinal)) continue;
            var name = (await directory.GetAsync(owner, ct).ConfigureAwait(false))?.Name ?? owner;
            // The owning council's rows, under its own row-level security; addresses from its own gazetteer.
            await using var tx = await db.BeginAsync(owner, ct).ConfigureAwait(false);
            var rows = await FindCustomers.SearchAsync(tx, text, PerCouncil, ct).ConfigureAwait(false);
            foreach (var m in await FindCustomers.WithAddressesAsync(tx, rows, addresses, ct).ConfigureAwait(false))
                result.Add(new SharedMatch(owner, name, m.Id, m.FirstName, m.LastName, m.Email, m.Phone, m.Address));
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// One customer of <paramref name="owner"/> as <paramref name="viewingCouncil"/> may see them, or null when
    /// there is no such council, no agreement in that direction, or no such current customer (unknown,
    /// erased or merged away): callers answer all of these alike, so nothing leaks.
    /// </summary>
    internal static async Task<SharedMatch?> FindAsync(string owner, string customerId, string viewingCouncil, IServiceProvider services,
        CancellationToken ct)
    {
        if (string.Equals(owner, viewingCouncil, StringComparison.Ordinal) || customerId.Length is 0 or > 100) return null;
        var directory = services.GetRequiredService<ICouncilDirectory>();
        // An unknown council is refused before anything opens a transaction (or a council pool) for it.
        if (await directory.GetAsync(owner, ct).ConfigureAwait(false) is not { } council) return null;
        if (!await services.GetRequiredService<IDataSharing>().SharesCustomerIdentityAsync(owner, viewingCouncil, ct).ConfigureAwait(false))
            return null;
        await using var tx = await services.GetRequiredService<PlatformDatabase>().BeginAsync(owner, ct).ConfigureAwait(false);
        await using var cmd = tx.Command("""
            select id, first_name, last_name, email, phone, uprn from customer.customers
            where tenant_id = $1 and id = $2 and merged_into is null and not erased
            """);
        cmd.Parameters.AddWithValue(owner);
        cmd.Parameters.AddWithValue(customerId);
        FindCustomers.Row? row = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
                row = new FindCustomers.Row(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5));
        }
        if (row is null) return null;
        var m = (await FindCustomers.WithAddressesAsync(tx, [row], services.GetRequiredService<IAddressBook>(), ct).ConfigureAwait(false))[0];
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new SharedMatch(owner, council.Name, m.Id, m.FirstName, m.LastName, m.Email, m.Phone, m.Address);
    }

    /// <summary>
    /// For a registration that names its source: 403 when the caller's role may not use shared identities,
    /// else a 400 on <c>sharedFrom</c> unless that customer is shared with <paramref name="viewingCouncil"/> now.
    /// </summary>
    internal static async Task<SharedMatch> RequireSourceAsync(RegisterCustomer.SharedSource source, string viewingCouncil, HttpContext http,
        CancellationToken ct)
    {
        if (!await MaySeeAsync(http).ConfigureAwait(false))
            throw ApiProblemException.Forbidden("Your role may not use details shared by another council.");
        return await FindAsync(source.Council!, source.CustomerId!, viewingCouncil, http.RequestServices, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.Validation("sharedFrom", "No customer with that id is shared with this council.");
    }

    internal static IEnumerable<IGrouping<string, SharedMatch>> ByCouncil(IEnumerable<SharedMatch> matches) =>
        matches.GroupBy(m => m.CouncilName, StringComparer.Ordinal);
}
