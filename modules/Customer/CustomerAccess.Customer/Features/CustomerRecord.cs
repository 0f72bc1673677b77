using CustomerAccess.Customer.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Customer.Features;

/// <summary>Loading a customer for a use case, with the answers every route gives alike.</summary>
internal static class CustomerRecord
{
    /// <summary>
    /// The customer's current state, or a 404 problem: unknown in this council (ids of other councils
    /// included, so nothing leaks), or merged (with mergedInto so the caller can follow).
    /// </summary>
    public static async Task<CustomerState> LoadAsync(EventSession session, string id, CancellationToken ct, AsAt? asAt = null)
    {
        var events = await session.ReadStreamAsync(CustomerState.StreamId(id), asAt, ct).ConfigureAwait(false);
        var state = CustomerState.Fold(id, events) ?? throw ApiProblemException.NotFound("The customer");
        if (state.MergedInto is { } survivor)
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", "This customer record was merged into another.")
            {
                Extensions = new Dictionary<string, object?> { ["mergedInto"] = survivor },
            };
        return state;
    }

    public static void RefuseIfErased(CustomerState state)
    {
        if (state.Erased) throw ApiProblemException.Conflict("This customer's personal data has been erased; the record cannot change.");
    }
}
