using System.Security.Claims;
using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Case.Features;

/// <summary>What every case command shares: load the case the caller may see, append, commit.</summary>
internal static class CaseAccess
{
    public const int MaxSummary = 200;
    public const int MaxText = 4000;

    /// <summary>
    /// The case as its events tell it. A case of another council, or a restricted (safeguarding) case
    /// the caller may not see, is a 404 like a case that does not exist: its existence never leaks.
    /// </summary>
    public static async Task<CaseState> LoadAsync(EventSession session, string id, ClaimsPrincipal user, CancellationToken ct)
    {
        var state = CaseState.From(await session.ReadStreamAsync(CaseState.StreamId(id), ct: ct).ConfigureAwait(false));
        if (state is null || (state.Restricted && !SafeguardingConcerns.MaySee(user))) throw ApiProblemException.NotFound("The case");
        return state;
    }

    /// <summary>Appends to the case's stream at the version it was read (a racing writer gets 409), with the customer id.</summary>
    public static async Task AppendAsync(EventSession session, CaseState state, IReadOnlyList<object> events, CancellationToken ct) =>
        await session.AppendAsync(CaseState.StreamId(state.Id), state.Version, events, state.CustomerId, ct).ConfigureAwait(false);

    /// <summary>
    /// Decides and commits in a session of its own, again (re-reading the case) when another writer
    /// changed the case in between: commands that do not conflict in meaning (two notes) both land,
    /// while one the new state refuses (resolving a resolved case) still gets its 409.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="submission"/> carrying a key, a replay of the request (the same key and body)
    /// appends nothing and answers the case as it is now, 200 as the first time.
    /// </remarks>
    public static Task<IResult> DecideAndCommitAsync(EventStore store, HttpContext http,
        Func<EventSession, CancellationToken, Task<CaseState>> decide, CancellationToken ct, Submission? submission = null) =>
        ConcurrencyRetry.RunAsync(async token =>
        {
            await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), token).ConfigureAwait(false);
            if (await ClaimAsync(session, submission, token).ConfigureAwait(false) is { } earlier)
                return Results.Ok(Summary(await LoadAsync(session, earlier, http.User, token).ConfigureAwait(false)));
            var state = await decide(session, token).ConfigureAwait(false);
            await session.CompleteSubmissionAsync(state.Id, token).ConfigureAwait(false);
            return await CommitAsync(session, http, state, token).ConfigureAwait(false);
        }, ct);

    /// <summary>A case command's one-time submission key (a screen form's, or an API client's idempotencyKey) and what it asked for.</summary>
    internal sealed record Submission(string? Key, string Operation, string Fingerprint)
    {
        public static Submission For(string? key, string operation, string caseId, params string?[] fields) =>
            new(key, operation, SubmissionKeys.Fingerprint([caseId, .. fields]));
    }

    /// <summary>Claims the command's key in the session: null to go ahead, else the case id an earlier request with it recorded.</summary>
    public static Task<string?> ClaimAsync(EventSession session, Submission? submission, CancellationToken ct) =>
        submission is null ? Task.FromResult<string?>(null) : session.ClaimSubmissionAsync(submission.Key, submission.Operation, submission.Fingerprint, ct);

    public static async Task<IResult> CommitAsync(EventSession session, HttpContext http, CaseState state, CancellationToken ct)
    {
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        foreach (var e in session.Appended) state.Apply(e);
        return Results.Ok(Summary(state));
    }

    public static object Summary(CaseState s) => new
    {
        id = s.Id, reference = s.Reference, status = s.Status, team = s.Team, dueAt = s.DueAt, stage = s.Stage,
    };

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static void RefuseIfResolved(CaseState state, string what)
    {
        if (state.IsResolved) throw ApiProblemException.Conflict($"This case is resolved: reopen it before you {what}.");
    }
}
