using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>POST /cases/{id}/notes: a note on the case's history (personal data: encrypted with the customer's key).</summary>
internal static class AddNote
{
    /// <param name="IdempotencyKey">optional: the same key and text again adds nothing (200, the case as it is)</param>
    internal sealed record Request(string? Text, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/notes", Handle).RequireAuthorization(Policies.Casework).WithName("AddCaseNote");

    private static Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct) =>
        CaseAccess.DecideAndCommitAsync(store, http, (session, token) => DecideAsync(session, id, body, http.User, token), ct,
            CaseAccess.Submission.For(body?.IdempotencyKey, "case.note", id, CaseAccess.Clean(body?.Text)));

    internal static async Task<CaseState> DecideAsync(EventSession session, string id, Request? body, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var text = CaseAccess.Clean(body?.Text);
        var v = new Validator();
        v.Require(text is not null, "text", "Write the note.");
        v.Require((text?.Length ?? 0) <= CaseAccess.MaxText, "text", $"A note must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        await CaseAccess.AppendAsync(session, state, [new CaseNoteAdded(state.Reference, text, state.Restricted)], ct).ConfigureAwait(false);
        return state;
    }
}
