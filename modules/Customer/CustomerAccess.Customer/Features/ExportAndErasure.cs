using CustomerAccess.Contracts;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// The data subject's rights: a subject access export of everything held, and erasure, which
/// deletes the customer's key so their personal data becomes unreadable everywhere while the
/// timeline (which holds none) and the tamper-evident log stay whole.
/// </summary>
internal static class ExportAndErasure
{
    internal sealed record ErasureRequest(string? Reason);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/export", Export).RequireAuthorization(Policies.SubjectRights).WithName("ExportCustomer");
        api.MapPost("/customers/{id}/erasure", Erase).RequireAuthorization(Policies.SubjectRights).WithName("EraseCustomer");
    }

    private static async Task<IResult> Export(string id, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var events = await History.EventsAsync(session, id, null, ct).ConfigureAwait(false);
        var view = await GetCustomer.LoadAsync(session.Db, id, addresses, ct).ConfigureAwait(false);
        return Results.Ok(new
        {
            exportedAt = DateTimeOffset.UtcNow,
            council = session.Tenant,
            customer = view,
            contacts = events.Where(e => e.Data is ContactLogged).Select(e => (e, c: (ContactLogged)e.Data)).Select(x => new
            {
                id = x.c.ContactId, x.c.Channel, x.c.Reason, x.c.Notes, x.c.ResolvedAtFirstContact, x.c.Demand, x.c.FailureReason, occurredAt = x.e.OccurredAt, actor = x.e.Metadata.Actor,
            }),
            timeline = History.Entries(events).OrderByDescending(e => e.Position),
            events = events.Select(e => new
            {
                e.Position, e.EventType, e.StreamId, e.OccurredAt, actor = e.Metadata.Actor, channel = e.Metadata.Channel, data = e.Data,
            }),
        });
    }

    private static async Task<IResult> Erase(string id, ErasureRequest? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw ApiProblemException.Validation("reason", "Give the reason for erasure (for the record).");
        if (reason.Length > 500) throw ApiProblemException.Validation("reason", "The reason must be 500 characters or fewer.");
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var state = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        if (state.Erased) return Results.Ok(new { id, erased = true });
        await session.AppendAsync(CustomerState.StreamId(id), state.Version, [new CustomerErased(reason)], id, ct).ConfigureAwait(false);
        // The same person's merged duplicates hold their data too.
        foreach (var subject in new[] { id }.Concat(state.MergedDuplicates))
        {
            await session.EraseSubjectAsync(subject, ct).ConfigureAwait(false);
            // Other modules' read models: delivered after commit, at least once.
            await session.SendAsync(new CustomerPersonalDataErased(subject), ct).ConfigureAwait(false);
        }
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(new { id, erased = true });
    }
}
