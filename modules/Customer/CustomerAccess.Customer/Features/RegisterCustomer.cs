using System.Text.Json;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// POST /customers: a new customer record, refused if the council already holds the email. The additive
/// <c>sharedFrom: { council, customerId }</c> says the details came from a customer another council shares
/// with this one (the search's <c>sharedMatches</c>): it is checked to be shared now and recorded on the new
/// customer's timeline. The details themselves are the request's, as the advisor confirmed them.
/// </summary>
internal static class RegisterCustomer
{
    /// <param name="IdempotencyKey">optional: the same key and details again register nobody (200 with the customer the first one registered); other details 409</param>
    internal sealed record Request(string? FirstName, string? LastName, string? Email, string? Phone, JsonElement? DateOfBirth, JsonElement? Uprn,
        SharedSource? SharedFrom = null, string? IdempotencyKey = null);

    /// <summary>A customer of another council: <c>{ council, customerId }</c>.</summary>
    internal sealed record SharedSource(string? Council, string? CustomerId);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/customers", Handle).RequireAuthorization(Policies.Casework).WithName("RegisterCustomer");

    /// <summary>A request that passed validation: trimmed, parsed, ready to record.</summary>
    internal sealed record Input(string FirstName, string LastName, string? Email, string? Phone, DateOnly? DateOfBirth, long? Uprn,
        SharedSource? SharedFrom = null);

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with firstName and lastName is required.");
        var input = Validate(body);
        // An outside system that retries after a timeout must not make a duplicate customer.
        var (id, repeated) = await RegisterOnceAsync(input, body.IdempotencyKey, http, store, addresses, ct).ConfigureAwait(false);
        var registered = new
        {
            id, firstName = input.FirstName, lastName = input.LastName, input.Email, input.Phone,
            dateOfBirth = input.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), input.Uprn,
        };
        return repeated ? Results.Ok(registered) : Results.Created($"/api/councils/{http.Council()}/customers/{id}", registered);
    }

    /// <summary>The checks that need no database; a 400 problem listing every field at fault.</summary>
    internal static Input Validate(Request body)
    {
        var v = new Validator();
        var first = body.FirstName?.Trim();
        var last = body.LastName?.Trim();
        v.Require(!string.IsNullOrEmpty(first), "firstName", "First name is required.");
        v.Require(!string.IsNullOrEmpty(last), "lastName", "Last name is required.");
        v.Require((first?.Length ?? 0) <= CustomerInput.MaxNameLength, "firstName", "First name is too long.");
        v.Require((last?.Length ?? 0) <= CustomerInput.MaxNameLength, "lastName", "Last name is too long.");
        var email = string.IsNullOrWhiteSpace(body.Email) ? null : body.Email.Trim();
        var phone = string.IsNullOrWhiteSpace(body.Phone) ? null : body.Phone.Trim();
        if (email is not null) v.Require(CustomerInput.IsEmail(email), "email", "Enter an email address in the correct format, like name@example.com.");
        if (phone is not null) v.Require(CustomerInput.IsPhone(phone), "phone", "Enter a telephone number, like 01632 960 001 or +44 7700 900 982.");
        var dateOfBirth = ParseDateOfBirth(body.DateOfBirth, v);
        var uprn = ParseUprn(body.Uprn, v);
        SharedSource? from = null;
        if (body.SharedFrom is { } s)
        {
            from = new SharedSource(s.Council?.Trim(), s.CustomerId?.Trim());
            v.Require(!string.IsNullOrEmpty(from.Council) && !string.IsNullOrEmpty(from.CustomerId), "sharedFrom",
                "sharedFrom needs the council and customerId of a shared match.");
        }
        v.ThrowIfInvalid();
        return new Input(first!, last!, email, phone, dateOfBirth, uprn, from);
    }

    /// <summary>The use case, for the API and the register screen: records the customer; returns the new id.</summary>
    internal static async Task<string> RegisterAsync(Input input, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct) =>
        (await RegisterOnceAsync(input, null, http, store, addresses, ct).ConfigureAwait(false)).Id;

    internal const string SubmissionOperation = "customer.register";

    /// <summary>What a registration asks for, to tell a replayed form from another use of its key.</summary>
    internal static string Fingerprint(Input input) => SubmissionKeys.Fingerprint(input.FirstName, input.LastName, input.Email, input.Phone,
        input.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        input.Uprn?.ToString(System.Globalization.CultureInfo.InvariantCulture), input.SharedFrom?.Council, input.SharedFrom?.CustomerId);

    /// <summary>
    /// The register screen's use: with the form's one-time key, a second send of the same form registers
    /// nobody and answers the customer the first registered (Repeated).
    /// </summary>
    internal static async Task<(string Id, bool Repeated)> RegisterOnceAsync(Input input, string? idempotencyKey, HttpContext http, EventStore store,
        IAddressBook addresses, CancellationToken ct)
    {
        CustomerRegisteredFromSharedIdentity? source = null;
        if (input.SharedFrom is { } from)
        {
            // Shared with this council now, and visible to this caller's role; else 403 or a 400 on sharedFrom.
            var shared = await SharedIdentity.RequireSourceAsync(from, http.Council(), http, ct).ConfigureAwait(false);
            source = new CustomerRegisteredFromSharedIdentity(shared.Council, shared.CouncilName, shared.Id);
        }
        var (id, position, repeated) = await RegisterAsync(input, http.Council(), http.EventContext(), store, addresses, source, ct, idempotencyKey)
            .ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return (id, repeated);
    }

    /// <summary>The core without HTTP (also for the mediator's reporter matching): the new id and where it landed in the log.</summary>
    internal static async Task<(string Id, long? Position, bool Repeated)> RegisterAsync(Input input, string council, EventContext context, EventStore store,
        IAddressBook addresses, CustomerRegisteredFromSharedIdentity? source, CancellationToken ct, string? idempotencyKey = null)
    {
        var (first, last, email, phone, dateOfBirth, uprn, _) = input;
        var id = Guid.CreateVersion7().ToString();
        long? position;
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        if (await session.ClaimSubmissionAsync(idempotencyKey, SubmissionOperation, Fingerprint(input), ct).ConfigureAwait(false) is { } earlier)
            return (earlier, null, true);
        if (uprn is { } u && await addresses.FindAsync(session.Db, u, ct).ConfigureAwait(false) is not { Current: true })
            throw ApiProblemException.Validation("uprn", "This UPRN is not a current address in the council's gazetteer.");
        if (email is not null && await FindByEmailAsync(session, email, ct).ConfigureAwait(false) is { } existing)
            throw DuplicateEmail(existing);
        try
        {
            object[] events = source is null
                ? [new CustomerRegistered(id, first!, last!, email, phone, dateOfBirth, uprn)]
                : [new CustomerRegistered(id, first!, last!, email, phone, dateOfBirth, uprn), source];
            await session.AppendAsync(CustomerState.StreamId(id), ExpectedVersion.NoStream, events, id, ct).ConfigureAwait(false);
            await session.CompleteSubmissionAsync(id, ct).ConfigureAwait(false);
            position = await session.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "customers_email_unique")
        {
            // Another advisor registered the same email a moment ago.
            await using var again = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
            throw DuplicateEmail(await FindByEmailAsync(again, email!, ct).ConfigureAwait(false) ?? "");
        }
        return (id, position, false);
    }

    /// <summary>
    /// Customers the new one may already be (offered on the register screen before creating): the same
    /// name at the same address, the same phone number, or the same email.
    /// </summary>
    internal static async Task<List<FindCustomers.Row>> PossibleDuplicatesAsync(TenantTransaction tx, Input input, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select id, first_name, last_name, email, phone, uprn from customer.customers
            where tenant_id = $1 and merged_into is null and not erased
              and ((uprn = $2 and search_name = lower($3))
                or ($4::text is not null and phone_digits = $4)
                or ($5::text is not null and email_lower = lower($5)))
            order by last_name, first_name
            limit 10
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)input.Uprn ?? DBNull.Value);
        cmd.Parameters.AddWithValue(input.FirstName + " " + input.LastName);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)CustomerProjection.Digits(input.Phone) ?? DBNull.Value);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)input.Email ?? DBNull.Value);
        var rows = new List<FindCustomers.Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            rows.Add(new FindCustomers.Row(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5)));
        return rows;
    }

    internal static DateOnly? ParseDateOfBirth(JsonElement? value, Validator v)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.String || !CustomerInput.TryDate(element.GetString(), out var date))
        {
            v.Add("dateOfBirth", "Date of birth must be a date like 1970-03-21.");
            return null;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (date > today || date < new DateOnly(1900, 1, 1)) v.Add("dateOfBirth", "Date of birth must be in the past.");
        return date;
    }

    internal static long? ParseUprn(JsonElement? value, Validator v)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null) return null;
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        if (CustomerInput.TryUprn(text, out var uprn)) return uprn;
        v.Add("uprn", "UPRN must be a number of up to 12 digits.");
        return null;
    }

    internal static async Task<string?> FindByEmailAsync(EventSession session, string email, CancellationToken ct)
    {
        await using var cmd = session.Db.Command(
            "select id from customer.customers where tenant_id = $1 and email_lower = lower($2) and merged_into is null limit 1");
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(email);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    internal static ApiProblemException DuplicateEmail(string existingId) =>
        new(StatusCodes.Status409Conflict, "Conflict", "A customer of this council already has this email address.")
        {
            Extensions = new Dictionary<string, object?> { ["existingCustomerId"] = existingId },
        };
}
