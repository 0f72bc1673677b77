using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>GET /customers/{id}: the single view an advisor opens first.</summary>
internal static class GetCustomer
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/customers/{id}", Handle).RequireAuthorization(Policies.Read).WithName("GetCustomer");

    private static async Task<IResult> Handle(string id, HttpContext http, PlatformDatabase db, IAddressBook addresses, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var view = await LoadAsync(tx, id, addresses, ct).ConfigureAwait(false);
        return Results.Ok(view);
    }

    internal sealed record Flag(string Id, string Kind, string Description, string? Details, string Reason, string SetBy, DateTimeOffset SetAt, DateOnly? ReviewOn);

    internal sealed record SingleView(
        string Id, string? FirstName, string? LastName, string? Email, string? Phone, DateOnly? DateOfBirth, AddressView? Address,
        IReadOnlyList<object> OpenCases, IReadOnlyList<object> RecentPayments, IReadOnlyList<object> Bookings, IReadOnlyList<object> Subscriptions,
        int ContactCount, DateTimeOffset? LastContactAt, IReadOnlyList<Flag> Flags, bool Erased, DateTimeOffset CreatedAt);

    internal static async Task<SingleView> LoadAsync(TenantTransaction tx, string id, IAddressBook addresses, CancellationToken ct)
    {
        SingleView? view = null;
        string? mergedInto = null;
        long? uprn = null;
        await using (var cmd = tx.Command("""
            select id, first_name, last_name, email, phone, date_of_birth, uprn, contact_count, last_contact_at, erased, created_at, merged_into
            from customer.customers where tenant_id = $1 and id = $2
            """))
        {
            cmd.Parameters.AddWithValue(tx.Tenant);
            cmd.Parameters.AddWithValue(id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                mergedInto = r.IsDBNull(11) ? null : r.GetString(11);
                uprn = r.IsDBNull(6) ? null : r.GetInt64(6);
                view = new SingleView(r.GetString(0), S(r, 1), S(r, 2), S(r, 3), S(r, 4),
                    r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), null, [], [], [], [],
                    r.GetInt32(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), [], r.GetBoolean(9), r.GetFieldValue<DateTimeOffset>(10));
            }
        }
        if (view is null) throw ApiProblemException.NotFound("The customer");
        if (mergedInto is not null)
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", "This customer record was merged into another.")
            {
                Extensions = new Dictionary<string, object?> { ["mergedInto"] = mergedInto },
            };

        var flags = new List<Flag>();
        await using (var cmd = tx.Command("""
            select flag_id, kind, details, reason, set_by, set_at, review_on from customer.flags
            where tenant_id = $1 and customer_id = $2 order by set_at
            """))
        {
            cmd.Parameters.AddWithValue(tx.Tenant);
            cmd.Parameters.AddWithValue(id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                flags.Add(new Flag(r.GetString(0), r.GetString(1), Domain.CustomerFlags.Describe(r.GetString(1)), S(r, 2), r.GetString(3),
                    r.GetString(4), r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6)));
        }
        var address = uprn is { } u ? await addresses.FindAsync(tx, u, ct).ConfigureAwait(false) : null;
        return view with
        {
            OpenCases = await OpenCasesAsync(tx, id, ct).ConfigureAwait(false),
            RecentPayments = await RecentPaymentsAsync(tx, id, ct).ConfigureAwait(false),
            Flags = flags,
            Address = AddressView.From(address),
        };
    }

    internal sealed record OpenCase(string? Id, string Reference, string? Type, string? Service, string? Status, DateTimeOffset? DueAt);

    internal sealed record RecentPayment(string Id, string? ReceiptNumber, string? Fund, long? AmountPence, string? Channel, string? Status,
        long RefundedPence, DateTimeOffset TakenAt);

    /// <summary>Open cases of the customer and of the duplicates merged into it, soonest due first; restricted ones are left off.</summary>
    private static async Task<IReadOnlyList<object>> OpenCasesAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select case_id, reference, type, service, status, due_at from customer.customer_cases
            where tenant_id = $1 and not restricted and coalesce(status, 'open') <> 'resolved'
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by due_at nulls last, reference
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<object>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new OpenCase(S(r, 0), r.GetString(1), S(r, 2), S(r, 3), S(r, 4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5)));
        return list;
    }

    /// <summary>The ten most recent payments, newest first.</summary>
    private static async Task<IReadOnlyList<object>> RecentPaymentsAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select payment_id, receipt_number, fund, amount_pence, channel, status, refunded_pence, taken_at from customer.customer_payments
            where tenant_id = $1
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by taken_at desc limit 10
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<object>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new RecentPayment(r.GetString(0), S(r, 1), S(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), S(r, 4), S(r, 5), r.GetInt64(6),
                r.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    private static string? S(Npgsql.NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
