using System.Text.Json;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CustomerAccess.Customer.Features;

/// <summary>POST /customers: a new customer record, refused if the council already holds the email.</summary>
internal static class RegisterCustomer
{
    internal sealed record Request(string? FirstName, string? LastName, string? Email, string? Phone, JsonElement? DateOfBirth, JsonElement? Uprn);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/customers", Handle).RequireAuthorization(Policies.Casework).WithName("RegisterCustomer");

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with firstName and lastName is required.");
        var council = http.Council();
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
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7().ToString();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        if (uprn is { } u && await addresses.FindAsync(session.Db, u, ct).ConfigureAwait(false) is not { Current: true })
            throw ApiProblemException.Validation("uprn", "This UPRN is not a current address in the council's gazetteer.");
        if (email is not null && await FindByEmailAsync(session, email, ct).ConfigureAwait(false) is { } existing)
            throw DuplicateEmail(existing);
        try
        {
            await session.AppendAsync(CustomerState.StreamId(id), ExpectedVersion.NoStream,
                [new CustomerRegistered(id, first!, last!, email, phone, dateOfBirth, uprn)], id, ct).ConfigureAwait(false);
            EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "customers_email_unique")
        {
            // Another advisor registered the same email a moment ago.
            await using var again = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
            throw DuplicateEmail(await FindByEmailAsync(again, email!, ct).ConfigureAwait(false) ?? "");
        }

        return Results.Created($"/api/councils/{council}/customers/{id}", new
        {
            id, firstName = first, lastName = last, email, phone, dateOfBirth = dateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), uprn,
        });
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
