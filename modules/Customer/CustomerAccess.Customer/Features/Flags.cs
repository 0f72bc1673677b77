using System.Globalization;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// Flags every advisor must see first (vulnerability, accessibility needs, assisted collection, a
/// warning about abusive contact), each with who set it, when, why and when to review it.
/// </summary>
internal static class Flags
{
    /// <param name="IdempotencyKey">optional: the same key and body again sets nothing (200 with the same id); another body 409</param>
    internal sealed record SetRequest(string? Kind, string? Details, string? Reason, string? ReviewOn, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/customers/{id}/flags", Set).RequireAuthorization(Policies.Casework).WithName("SetCustomerFlag");
        api.MapDelete("/customers/{id}/flags/{flagId}", Remove).RequireAuthorization(Policies.Casework).WithName("RemoveCustomerFlag");
    }

    private static async Task<IResult> Set(string id, SetRequest? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with kind and reason is required.");
        var (flagId, repeated) = await SetAsync(id, body, http, store, ct).ConfigureAwait(false);
        if (repeated) return Results.Ok(new { id = flagId });
        return Results.Created($"/api/councils/{http.Council()}/customers/{id}/flags/{flagId}", new { id = flagId });
    }

    /// <summary>Sets a flag (API and the flags screen); returns its id, and whether this replayed an earlier request's key (nothing set).</summary>
    internal static async Task<(string Id, bool Repeated)> SetAsync(string id, SetRequest body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var v = new Validator();
        v.Require(body.Kind is not null && CustomerFlags.Kinds.ContainsKey(body.Kind), "kind",
            "Kind must be one of " + string.Join(", ", CustomerFlags.Kinds.Keys) + ".");
        v.Require(!string.IsNullOrWhiteSpace(body.Reason), "reason", "Say why the flag is set.");
        v.Require((body.Reason?.Length ?? 0) <= 500 && (body.Details?.Length ?? 0) <= 2000, "details", "Reason or details are too long.");
        DateOnly? review = null;
        if (body.ReviewOn is not null)
        {
            if (DateOnly.TryParseExact(body.ReviewOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) review = d;
            else v.Add("reviewOn", "Review date must be a date like 2027-01-31.");
        }
        v.ThrowIfInvalid();

        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        if (await session.ClaimSubmissionAsync(body.IdempotencyKey, "customer.flag", SubmissionKeys.Fingerprint(id, body.Kind, body.Details, body.Reason?.Trim(),
                body.ReviewOn), ct).ConfigureAwait(false) is { } earlier)
            return (earlier, true);
        var state = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        CustomerRecord.RefuseIfErased(state);
        var flagId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(CustomerState.StreamId(id), state.Version,
            [new CustomerFlagSet(flagId, body.Kind!, body.Details, body.Reason!.Trim(), review)], id, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(flagId, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return (flagId, false);
    }

    private static async Task<IResult> Remove(string id, string flagId, string? reason, HttpContext http, EventStore store, CancellationToken ct)
    {
        await RemoveAsync(id, flagId, reason, http, store, ct).ConfigureAwait(false);
        return Results.Ok(new { id = flagId, removed = true });
    }

    /// <summary>
    /// Removes a flag (API and the flags screen). With the screen's key, a second send of the same remove
    /// button is not a 404 for a flag already gone: it returns false and removes nothing.
    /// </summary>
    internal static async Task<bool> RemoveAsync(string id, string flagId, string? reason, HttpContext http, EventStore store, CancellationToken ct,
        string? idempotencyKey = null)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        if (await session.ClaimSubmissionAsync(idempotencyKey, "customer.flag-removal", SubmissionKeys.Fingerprint(id, flagId, reason), ct)
                .ConfigureAwait(false) is not null)
            return false;
        var state = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        if (!state.Flags.TryGetValue(flagId, out var flag)) throw ApiProblemException.NotFound("The flag");
        await session.AppendAsync(CustomerState.StreamId(id), state.Version,
            [new CustomerFlagRemoved(flagId, flag.Kind, string.IsNullOrWhiteSpace(reason) ? "No longer applies" : reason.Trim())], id, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(flagId, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return true;
    }
}
