using CustomerAccess.Customer.Domain;
using CustomerAccess.Platform.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Customer.ReadModels;

/// <summary>
/// Keeps customer.customers, flags and contacts in the same transaction as the customer's events,
/// so a refused write (duplicate email, say) leaves neither behind.
/// </summary>
internal sealed class CustomerProjection(IAddressBook addresses) : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            var customerId = e.Metadata.CustomerId;
            if (customerId is null) continue;
            switch (e.Data)
            {
                case CustomerRegistered r:
                    var address = r.Uprn is { } u ? await addresses.FindAsync(session.Db, u, ct).ConfigureAwait(false) : null;
                    await Exec(session, """
                        insert into customer.customers (tenant_id, id, first_name, last_name, email, email_lower, phone, phone_digits,
                          date_of_birth, uprn, postcode_key, search_name, created_at, version)
                        values ($1, $2, $3, $4, $5, lower($5), $6, $7, $8, $9, $10, lower($3 || ' ' || $4), $11, $12)
                        """, ct, session.Tenant, customerId, r.FirstName, r.LastName, r.Email, r.Phone, Digits(r.Phone),
                        r.DateOfBirth, r.Uprn, address is null ? null : AddressRecord.Key(address.Postcode), e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case CustomerDetailsChanged c:
                    string? postcode = null;
                    if (c.Changed.Contains("uprn") && c.Uprn is { } newUprn)
                        postcode = (await addresses.FindAsync(session.Db, newUprn, ct).ConfigureAwait(false)) is { } a ? AddressRecord.Key(a.Postcode) : null;
                    await Exec(session, """
                        update customer.customers set
                          email = case when $3 then $4 else email end, email_lower = case when $3 then lower($4) else email_lower end,
                          phone = case when $5 then $6 else phone end, phone_digits = case when $5 then $7 else phone_digits end,
                          uprn = case when $8 then $9 else uprn end, postcode_key = case when $8 then $10 else postcode_key end,
                          version = $11
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, customerId, c.Changed.Contains("email"), c.Email, c.Changed.Contains("phone"), c.Phone,
                        Digits(c.Phone), c.Changed.Contains("uprn"), c.Uprn, postcode, e.StreamVersion).ConfigureAwait(false);
                    break;
                case ContactLogged l:
                    await Exec(session, """
                        insert into customer.contacts (tenant_id, id, customer_id, channel, reason, resolved_at_first_contact, occurred_at, actor)
                        values ($1, $2, $3, $4, $5, $6, $7, $8)
                        """, ct, session.Tenant, l.ContactId, customerId, l.Channel, l.Reason, l.ResolvedAtFirstContact, e.OccurredAt,
                        e.Metadata.Actor).ConfigureAwait(false);
                    await Exec(session, """
                        update customer.customers set contact_count = contact_count + 1,
                          last_contact_at = greatest(last_contact_at, $3), version = $4
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, customerId, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case CustomerFlagSet f:
                    await Exec(session, """
                        insert into customer.flags (tenant_id, customer_id, flag_id, kind, details, reason, set_by, set_at, review_on)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        on conflict (tenant_id, customer_id, flag_id) do update set kind = excluded.kind, details = excluded.details,
                          reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at, review_on = excluded.review_on
                        """, ct, session.Tenant, customerId, f.FlagId, f.Kind, f.Details, f.Reason, e.Metadata.Actor, e.OccurredAt, f.ReviewOn).ConfigureAwait(false);
                    break;
                case CustomerFlagRemoved f:
                    await Exec(session, "delete from customer.flags where tenant_id = $1 and customer_id = $2 and flag_id = $3", ct,
                        session.Tenant, customerId, f.FlagId).ConfigureAwait(false);
                    break;
                case CustomerMergedInto m:
                    // The duplicate's contacts count towards the survivor; its email is free again.
                    await Exec(session, """
                        update customer.customers s set contact_count = s.contact_count + d.contact_count,
                          last_contact_at = greatest(s.last_contact_at, d.last_contact_at)
                        from customer.customers d
                        where s.tenant_id = $1 and s.id = $3 and d.tenant_id = $1 and d.id = $2
                        """, ct, session.Tenant, customerId, m.SurvivorId).ConfigureAwait(false);
                    await Exec(session, "update customer.customers set merged_into = $3, version = $4 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, customerId, m.SurvivorId, e.StreamVersion).ConfigureAwait(false);
                    // Records merged into the duplicate earlier now point at the survivor too.
                    await Exec(session, "update customer.customers set merged_into = $3 where tenant_id = $1 and merged_into = $2",
                        ct, session.Tenant, customerId, m.SurvivorId).ConfigureAwait(false);
                    await Exec(session, "update customer.contacts set customer_id = $3 where tenant_id = $1 and customer_id = $2",
                        ct, session.Tenant, customerId, m.SurvivorId).ConfigureAwait(false);
                    break;
                case CustomerErased:
                    await Exec(session, """
                        update customer.customers set first_name = null, last_name = null, email = null, email_lower = null, phone = null,
                          phone_digits = null, date_of_birth = null, uprn = null, postcode_key = null, search_name = null, erased = true, version = $3
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, customerId, e.StreamVersion).ConfigureAwait(false);
                    await Exec(session, "update customer.flags set details = null where tenant_id = $1 and customer_id = $2",
                        ct, session.Tenant, customerId).ConfigureAwait(false);
                    await Exec(session, "update customer.contacts set reason = null where tenant_id = $1 and customer_id = $2",
                        ct, session.Tenant, customerId).ConfigureAwait(false);
                    break;
            }
        }
    }

    internal static string? Digits(string? phone)
    {
        if (phone is null) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        // +44 7700 900123 and 07700 900123 are the same number.
        return digits.StartsWith("44", StringComparison.Ordinal) && digits.Length == 12 ? "0" + digits[2..] : digits;
    }

    private static async Task Exec(EventSession session, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = session.Db.Command(sql);
        foreach (var arg in args)
            cmd.Parameters.Add(arg is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = arg });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
