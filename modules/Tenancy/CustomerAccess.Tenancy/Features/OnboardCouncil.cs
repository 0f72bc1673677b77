using System.Security.Claims;
using System.Text.RegularExpressions;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CustomerAccess.Tenancy.Features;

/// <summary>POST /api/councils: a new partner council joins while the system runs (partnership admin).</summary>
internal static partial class OnboardCouncil
{
    internal sealed record Request(string? Id, string? Name, string? ContactNumber, IReadOnlyList<string>? ServiceThemes,
        IReadOnlyDictionary<string, int>? DaysToResolve, string? ReceiptPrefix = null);

    [GeneratedRegex("^[A-Z0-9]{2,5}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-z0-9-]{2,40}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\+?[0-9 ()-]{7,20}$")]
    private static partial Regex PhonePattern();

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/api/councils", Handle).RequireAuthorization(Policies.PartnershipAdmin).WithName("OnboardCouncil");

    internal sealed record Created(string Id, string Name, string ContactNumber, string ReceiptPrefix);

    internal static async Task<IResult> Handle(Request? request, ClaimsPrincipal user, HttpContext http, EventStore store,
        ICouncilDirectory directory, CancellationToken ct)
    {
        var decided = Decide(request);
        if (await directory.ExistsAsync(decided.CouncilId, ct).ConfigureAwait(false)) throw IdTaken(decided.CouncilId);
        var (onboarded, position, _) = await OnboardAsync(store, directory, decided, new EventContext { Actor = user.Actor(), Channel = "api" }.WithCurrentTrace(), ct)
            .ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return Results.Created($"/api/councils/{onboarded.CouncilId}",
            new Created(onboarded.CouncilId, onboarded.Name, onboarded.ContactNumber, onboarded.ReceiptPrefix!));
    }

    /// <summary>The onboarding screen's form key: the operation it is claimed for and a fingerprint of what the form asks.</summary>
    internal sealed record Submission(string? Key, string Fingerprint)
    {
        public const string Operation = "tenancy.council-onboard";
    }

    /// <summary>
    /// The onboarding screen's way in: the POST's rules, plus the form's submission key, so a second click (or a
    /// refresh that re-posts) onboards once and answers with the council the first one onboarded (Replayed) rather
    /// than "already exists". Returns the council's id.
    /// </summary>
    internal static async Task<(string CouncilId, bool Replayed)> OnboardOnceAsync(EventStore store, PlatformDatabase db, ICouncilDirectory directory,
        Request request, string? submissionKey, EventContext context, CancellationToken ct)
    {
        var decided = Decide(request);
        var submission = new Submission(submissionKey,
            SubmissionKeys.Fingerprint(decided.CouncilId, decided.Name, decided.ContactNumber, decided.ReceiptPrefix));
        // A replay finds the council existing (and its asked-for prefix taken, by itself): look for the key first.
        if (await EarlierAsync(db, decided.CouncilId, submission, ct).ConfigureAwait(false) is { } earlier) return (earlier, true);
        try
        {
            if (await directory.ExistsAsync(decided.CouncilId, ct).ConfigureAwait(false)) throw IdTaken(decided.CouncilId);
            var (onboarded, _, replayed) = await OnboardAsync(store, directory, decided, context, ct, submission).ConfigureAwait(false);
            return (onboarded.CouncilId, replayed);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // A twin of this form that committed between the look above and our checks is a replay too.
            if (await EarlierAsync(db, decided.CouncilId, submission, ct).ConfigureAwait(false) is { } raced) return (raced, true);
            throw;
        }
    }

    private static async Task<string?> EarlierAsync(PlatformDatabase db, string councilId, Submission submission, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(submission.Key)) return null;
        await using var tx = await db.BeginAsync(councilId, ct).ConfigureAwait(false);
        return await SubmissionKeys.EarlierAsync(tx, submission.Key, Submission.Operation, submission.Fingerprint, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the council its receipt prefix (the one asked for, or the first free candidate) and appends
    /// the onboarding. The unique index on tenancy.councils settles a race for one prefix: an asked-for
    /// prefix is then a 409, a chosen one is chosen again.
    /// </summary>
    internal static async Task<(CouncilOnboarded Onboarded, long? Position, bool Replayed)> OnboardAsync(EventStore store, ICouncilDirectory directory,
        CouncilOnboarded decided, EventContext context, CancellationToken ct, Submission? submission = null)
    {
        var asked = decided.ReceiptPrefix;
        for (var attempt = 1; ; attempt++)
        {
            var taken = (await directory.ListAsync(ct).ConfigureAwait(false)).Select(c => c.ReceiptPrefix).Concat(ReceiptPrefixes.Reserved)
                .ToHashSet(StringComparer.Ordinal);
            if (asked is not null && taken.Contains(asked)) throw PrefixTaken(asked);
            var onboarded = decided with { ReceiptPrefix = asked ?? ReceiptPrefixes.Choose(decided.CouncilId, taken) };
            try
            {
                var (position, replayed) = await AppendAsync(store, onboarded, context, submission, ct).ConfigureAwait(false);
                return (onboarded, position, replayed);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "councils_receipt_prefix_key")
            {
                if (asked is not null) throw PrefixTaken(asked);
                if (attempt == 3) throw;
            }
        }
    }

    private static ApiProblemException IdTaken(string id) => ApiProblemException.Conflict($"A council with the id '{id}' already exists.");

    private static ApiProblemException PrefixTaken(string prefix) =>
        ApiProblemException.Conflict($"The receipt prefix '{prefix}' is used by another council.");

    /// <summary>Validates the request and decides the event; throws a 400 problem listing every bad field.</summary>
    internal static CouncilOnboarded Decide(Request? request)
    {
        var v = new Validator();
        v.Require(request is not null, "body", "A JSON body is required.");
        v.ThrowIfInvalid();
        var id = request!.Id?.Trim() ?? "";
        var name = request.Name?.Trim() ?? "";
        var phone = request.ContactNumber?.Trim() ?? "";
        v.Require(IdPattern().IsMatch(id), "id", "The id must be 2 to 40 lowercase letters, digits or hyphens.");
        v.Require(name.Length is > 0 and <= 200, "name", "A name of up to 200 characters is required.");
        v.Require(PhonePattern().IsMatch(phone), "contactNumber", "A telephone number (digits, spaces, brackets, hyphens, optional +) is required.");
        var prefix = request.ReceiptPrefix?.Trim().ToUpperInvariant();
        if (request.ReceiptPrefix is not null)
            v.Require(PrefixPattern().IsMatch(prefix!), "receiptPrefix", "A receipt prefix is 2 to 5 letters or digits.");
        if (request.DaysToResolve is { } days)
            v.Require(days.All(d => d.Value is > 0 and <= 365 && d.Key.Length > 0), "daysToResolve", "Each case type needs 1 to 365 working days.");
        v.ThrowIfInvalid();
        var standards = new Dictionary<string, int>(ServiceStandards.DefaultDaysToResolve, StringComparer.Ordinal);
        foreach (var (type, d) in request.DaysToResolve ?? new Dictionary<string, int>()) standards[type] = d;
        return new CouncilOnboarded(id, name, phone, request.ServiceThemes?.Where(t => !string.IsNullOrWhiteSpace(t)).ToList() ?? [..ServiceStandards.DefaultThemes],
            standards, ServiceStandards.EnglandAndWales, prefix);
    }

    /// <summary>
    /// Appends the event on the council's own stream; a racing second onboarding of the id is a 409. With a
    /// submission, its key is claimed in the same transaction: a twin request that waited on it appends nothing (Replayed).
    /// </summary>
    internal static async Task<(long? Position, bool Replayed)> AppendAsync(EventStore store, CouncilOnboarded onboarded, EventContext context,
        Submission? submission, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(onboarded.CouncilId, context, ct).ConfigureAwait(false);
        if (submission is not null
            && await session.ClaimSubmissionAsync(submission.Key, Submission.Operation, submission.Fingerprint, ct).ConfigureAwait(false) is not null)
            return (null, true);
        try
        {
            await session.AppendAsync(CouncilOnboarded.StreamOf(onboarded.CouncilId), ExpectedVersion.NoStream, [onboarded], ct: ct).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            throw IdTaken(onboarded.CouncilId);
        }
        if (submission is not null) await session.CompleteSubmissionAsync(onboarded.CouncilId, ct).ConfigureAwait(false);
        return (await session.CommitAsync(ct).ConfigureAwait(false), false);
    }
}
