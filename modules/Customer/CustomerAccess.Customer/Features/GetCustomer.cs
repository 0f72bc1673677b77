using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>GET /customers/{id}?asAt=: the single view an advisor opens first (with asAt, as it stood then).</summary>
internal static class GetCustomer
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/customers/{id}", Handle).RequireAuthorization(Policies.Read).WithName("GetCustomer");

    /// <param name="asAt">optional: the record as it stood then (name, contact details, address, flags, contacts), as the
    /// timeline's asAt and the single view screen's "As at" show it; nothing recorded later appears</param>
    private static async Task<IResult> Handle(string id, string? asAt, HttpContext http, PlatformDatabase db, EventStore store, IAddressBook addresses,
        CancellationToken ct)
    {
        var instant = History.ParseAsAt(asAt);
        SingleView view;
        await using (var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false))
            view = await LoadAsync(tx, id, addresses, ct).ConfigureAwait(false);
        if (instant is { } then)
        {
            await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
            view = await AsAtAsync(session, view, then, addresses, ct).ConfigureAwait(false);
        }
        return Results.Ok(view);
    }

    internal sealed record Flag(string Id, string Kind, string Description, string? Details, string Reason, string SetBy, DateTimeOffset SetAt, DateOnly? ReviewOn);

    internal sealed record SingleView(
        string Id, string? FirstName, string? LastName, string? Email, string? Phone, DateOnly? DateOfBirth, AddressView? Address,
        IReadOnlyList<OpenCase> OpenCases, IReadOnlyList<RecentPayment> RecentPayments, IReadOnlyList<CustomerBooking> Bookings,
        IReadOnlyList<CustomerSubscription> Subscriptions,
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
            Bookings = await BookingsAsync(tx, id, ct).ConfigureAwait(false),
            Subscriptions = await SubscriptionsAsync(tx, id, ct).ConfigureAwait(false),
            Flags = flags,
            Address = AddressView.From(address),
        };
    }

    /// <summary>
    /// The customer's own part of the single view as it stood at <paramref name="instant"/>, rebuilt from the
    /// events recorded by then (an auditor replaying history): name, contact details, address, flags (with
    /// who set them and when) and contacts. Cases, payments, bookings and subscriptions are other modules'
    /// facts kept only as they are now, so they are left empty rather than shown wrongly dated.
    /// A 404 when nothing was recorded about the customer by then.
    /// </summary>
    internal static async Task<SingleView> AsAtAsync(EventSession session, SingleView now, DateTimeOffset instant, IAddressBook addresses,
        CancellationToken ct)
    {
        var asAt = AsAt.FromTime(instant);
        var state = await CustomerRecord.LoadAsync(session, now.Id, ct, asAt).ConfigureAwait(false);
        var events = await History.EventsAsync(session, now.Id, asAt, ct).ConfigureAwait(false);
        var flags = new Dictionary<string, Flag>(StringComparer.Ordinal);
        var contacts = 0;
        DateTimeOffset? lastContact = null;
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case Domain.CustomerFlagSet f when e.StreamId == Domain.CustomerState.StreamId(now.Id):
                    flags[f.FlagId] = new Flag(f.FlagId, f.Kind, Domain.CustomerFlags.Describe(f.Kind), f.Details, f.Reason, e.Metadata.Actor, e.OccurredAt, f.ReviewOn);
                    break;
                case Domain.CustomerFlagRemoved r when e.StreamId == Domain.CustomerState.StreamId(now.Id):
                    flags.Remove(r.FlagId);
                    break;
                case Domain.ContactLogged:
                    contacts++;
                    lastContact = lastContact is { } l && l > e.OccurredAt ? l : e.OccurredAt;
                    break;
            }
        }
        var address = state.Uprn is { } u ? await addresses.FindAsync(session.Db, u, ct).ConfigureAwait(false) : null;
        return now with
        {
            FirstName = state.FirstName, LastName = state.LastName, Email = state.Email, Phone = state.Phone, DateOfBirth = state.DateOfBirth,
            Address = AddressView.From(address), Flags = [.. flags.Values.OrderBy(f => f.SetAt)], ContactCount = contacts, LastContactAt = lastContact,
            OpenCases = [], RecentPayments = [], Bookings = [], Subscriptions = [], Erased = state.Erased,
        };
    }

    internal sealed record OpenCase(string? Id, string Reference, string? Type, string? Service, string? Status, DateTimeOffset? DueAt);

    internal sealed record RecentPayment(string Id, string? ReceiptNumber, string? Fund, long? AmountPence, string? Channel, string? Status,
        long RefundedPence, DateTimeOffset TakenAt);

    /// <summary>Open cases of the customer and of the duplicates merged into it, soonest due first; restricted ones are left off.</summary>
    private static async Task<IReadOnlyList<OpenCase>> OpenCasesAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select case_id, reference, type, service, status, due_at from customer.customer_cases
            where tenant_id = $1 and not restricted and coalesce(status, 'open') <> 'resolved'
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by due_at nulls last, reference
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<OpenCase>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new OpenCase(S(r, 0), r.GetString(1), S(r, 2), S(r, 3), S(r, 4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5)));
        return list;
    }

    /// <summary>The ten most recent payments, newest first.</summary>
    private static async Task<IReadOnlyList<RecentPayment>> RecentPaymentsAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select payment_id, receipt_number, fund, amount_pence, channel, status, refunded_pence, taken_at from customer.customer_payments
            where tenant_id = $1
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by taken_at desc limit 10
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<RecentPayment>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new RecentPayment(r.GetString(0), S(r, 1), S(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), S(r, 4), S(r, 5), r.GetInt64(6),
                r.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    internal sealed record CustomerBooking(string Id, string? ResourceName, string? ResourceType, DateTimeOffset? Start, DateTimeOffset? End, string? Status);

    internal sealed record CustomerSubscription(string Id, string? Service, string? Season, int? Bins, string? Status, DateOnly? ValidFrom, DateOnly? ValidTo);

    /// <summary>Bookings still on: not cancelled or released, not ended more than a day ago; soonest first.</summary>
    private static async Task<IReadOnlyList<CustomerBooking>> BookingsAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select booking_id, resource_name, resource_type, starts_at, ends_at, status from customer.customer_bookings
            where tenant_id = $1 and coalesce(status, '') not in ('cancelled', 'released')
              and (ends_at is null or ends_at > now() - interval '1 day')
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by starts_at nulls last, booking_id limit 20
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<CustomerBooking>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new CustomerBooking(r.GetString(0), S(r, 1), S(r, 2), T(r, 3), T(r, 4), S(r, 5)));
        return list;
    }

    /// <summary>Subscriptions not cancelled, latest season first.</summary>
    private static async Task<IReadOnlyList<CustomerSubscription>> SubscriptionsAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select subscription_id, service, season, bins, status, valid_from, valid_to from customer.customer_subscriptions
            where tenant_id = $1 and coalesce(status, '') <> 'cancelled'
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
            order by valid_to desc nulls first, subscription_id limit 20
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var list = new List<CustomerSubscription>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new CustomerSubscription(r.GetString(0), S(r, 1), S(r, 2), r.IsDBNull(3) ? null : r.GetInt32(3), S(r, 4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6)));
        return list;
    }

    private static DateTimeOffset? T(Npgsql.NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static string? S(Npgsql.NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
