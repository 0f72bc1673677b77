using CustomerAccess.Contracts;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>POST /customers/{id}/contacts: a contact on any channel, and whether it was resolved then and there.</summary>
internal static class LogContact
{
    /// <param name="IdempotencyKey">optional: the same key and body again logs nothing (200 with the same id); another body 409</param>
    /// <param name="Demand">optional: value or failure demand (DemandKinds), for the failure-demand figures</param>
    /// <param name="FailureReason">with failure demand, required: one of FailureReasons</param>
    internal sealed record Request(string? Channel, string? Reason, string? Notes, bool? ResolvedAtFirstContact, string? IdempotencyKey = null,
        string? Demand = null, string? FailureReason = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/customers/{id}/contacts", Handle).RequireAuthorization(Policies.Casework).WithName("LogContact");

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with channel, reason and resolvedAtFirstContact is required.");
        var (contactId, repeated) = await LogAsync(id, body, http, store, ct).ConfigureAwait(false);
        if (repeated) return Results.Ok(new { id = contactId });
        return Results.Created($"/api/councils/{http.Council()}/customers/{id}/contacts/{contactId}", new { id = contactId });
    }

    /// <summary>
    /// The use case, for the API and the single view's form alike: validates, appends, commits; returns the
    /// contact id, and whether this was a replay of an earlier request with the same key (nothing logged).
    /// </summary>
    internal static async Task<(string Id, bool Repeated)> LogAsync(string id, Request body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var v = new Validator();
        v.Require(body.Channel is not null && ContactChannels.All.Contains(body.Channel), "channel",
            "Channel must be one of " + string.Join(", ", ContactChannels.All) + ".");
        v.Require(!string.IsNullOrWhiteSpace(body.Reason), "reason", "Say what the contact was about.");
        v.Require((body.Reason?.Length ?? 0) <= 200, "reason", "The reason must be 200 characters or fewer; put detail in notes.");
        v.Require((body.Notes?.Length ?? 0) <= 4000, "notes", "Notes must be 4000 characters or fewer.");
        v.Require(body.ResolvedAtFirstContact is not null, "resolvedAtFirstContact", "Say whether the contact was resolved at first contact (true or false).");
        v.Require(body.Demand is null || DemandKinds.All.Contains(body.Demand), "demand", "Demand must be value or failure, or left out.");
        if (body.Demand == DemandKinds.Failure)
            v.Require(FailureReasons.IsContactReason(body.FailureReason), "failureReason",
                "Say why it was failure demand: one of " + string.Join(", ", FailureReasons.ForContacts.Select(r => r.Value)) + ".");
        else
            v.Require(body.FailureReason is null, "failureReason", "A failure reason goes only with demand set to failure.");
        v.ThrowIfInvalid();
        var (contactId, position) = await AppendAsync(id, body, http.Council(), http.EventContext(body.Channel), store, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return (contactId, position is null);
    }

    // An unclassified contact keeps the fingerprint it had before demand existed, so a key sent
    // before the change still replays rather than conflicting.
    private static string Fingerprint(string id, Request body) => SubmissionKeys.Fingerprint(
        [id, body.Channel, body.Reason?.Trim(), body.Notes?.Trim(), body.ResolvedAtFirstContact?.ToString(),
            .. body.Demand is null ? Array.Empty<string?>() : [body.Demand, body.FailureReason]]);

    /// <summary>The append of a validated contact, without HTTP (also for the mediator's reporter matching).</summary>
    internal static async Task<(string ContactId, long? Position)> AppendAsync(string id, Request body, string council, EventContext context, EventStore store,
        CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        // A replayed form (or retried request) with its key logs nothing: the contact it logged, no position.
        if (await session.ClaimSubmissionAsync(body.IdempotencyKey, "customer.contact", Fingerprint(id, body), ct).ConfigureAwait(false) is { } earlier)
            return (earlier, null);
        var state = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        CustomerRecord.RefuseIfErased(state);
        var contactId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(CustomerState.StreamId(id), ExpectedVersion.Any,
            [new ContactLogged(contactId, body.Channel!, body.Reason!.Trim(), string.IsNullOrWhiteSpace(body.Notes) ? null : body.Notes.Trim(),
                body.ResolvedAtFirstContact!.Value, body.Demand, body.FailureReason)], id, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(contactId, ct).ConfigureAwait(false);
        return (contactId, await session.CommitAsync(ct).ConfigureAwait(false));
    }
}
