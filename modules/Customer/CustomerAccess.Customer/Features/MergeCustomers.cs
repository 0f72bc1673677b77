using CustomerAccess.Customer.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// POST /customers/{id}/merge { duplicateId }: the duplicate's timeline joins this one; the
/// duplicate answers 404 with mergedInto from then on. Both streams change in one transaction.
/// </summary>
internal static class MergeCustomers
{
    internal sealed record Request(string? DuplicateId);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/customers/{id}/merge", Handle).RequireAuthorization(Policies.Casework).WithName("MergeCustomers");

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var (duplicateId, _) = await MergeAsync(id, body?.DuplicateId, http, store, ct).ConfigureAwait(false);
        return Results.Ok(new { id, merged = duplicateId });
    }

    /// <summary>The use case, for the API and the merge screen: returns the merged duplicate's id.</summary>
    /// <param name="idempotencyKey">the merge screen's one-time key: the same form sent again merges nothing and is not refused</param>
    internal static async Task<(string DuplicateId, bool Repeated)> MergeAsync(string id, string? requested, HttpContext http, EventStore store, CancellationToken ct,
        string? idempotencyKey = null)
    {
        var duplicateId = requested?.Trim();
        if (string.IsNullOrEmpty(duplicateId)) throw ApiProblemException.Validation("duplicateId", "Name the duplicate record to merge into this one.");
        if (duplicateId == id) throw ApiProblemException.Validation("duplicateId", "A record cannot be merged into itself.");

        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        if (await session.ClaimSubmissionAsync(idempotencyKey, "customer.merge", SubmissionKeys.Fingerprint(id, duplicateId), ct).ConfigureAwait(false) is not null)
            return (duplicateId, true);
        var survivor = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        CustomerRecord.RefuseIfErased(survivor);
        CustomerState duplicate;
        try
        {
            duplicate = await CustomerRecord.LoadAsync(session, duplicateId, ct).ConfigureAwait(false);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            // The duplicate is named in the body: an unknown one is bad input, not a missing route.
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "The request is not valid", "The duplicate customer was not found in this council.")
            {
                Errors = new Dictionary<string, string[]> { ["duplicateId"] = ["No such customer in this council, or it was already merged."] },
            };
        }
        await session.AppendAsync(CustomerState.StreamId(duplicateId), duplicate.Version, [new CustomerMergedInto(id)], duplicateId, ct).ConfigureAwait(false);
        await session.AppendAsync(CustomerState.StreamId(id), survivor.Version, [new CustomerMerged(duplicateId)], id, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(duplicateId, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return (duplicateId, false);
    }
}
