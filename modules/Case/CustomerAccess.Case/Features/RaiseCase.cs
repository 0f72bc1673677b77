using CustomerAccess.Case.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>
/// POST /cases: a new case for a customer of the council, due by the council's service standard.
/// A member raising a case makes it a member-enquiry on their own casework list; a safeguarding
/// concern routes it at once to the safeguarding team; resolvedAtFirstContact closes it there and then.
/// </summary>
internal static class RaiseCase
{
    internal sealed record Request(
        string? CustomerId, string? Type, string? Service, string? Summary, string? Details,
        string? Safeguarding, bool? ResolvedAtFirstContact, string? Outcome, string? Member, string? IdempotencyKey = null);

    internal static readonly System.Text.RegularExpressions.Regex ServicePattern = new("^[a-z0-9][a-z0-9-]{0,59}$");

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases", Handle).RequireAuthorization(Policies.Casework).WithName("RaiseCase");

    /// <param name="Repeated">a replay of an earlier request with the same idempotency key: nothing was raised (not in the JSON)</param>
    internal sealed record Raised(string Id, string Reference, string Status, DateTimeOffset DueAt, string Type, string Service, string? Team, int? Stage,
        [property: System.Text.Json.Serialization.JsonIgnore] bool Repeated = false);

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, ICouncilDirectory directory, TimeProvider time,
        CancellationToken ct)
    {
        var council = http.Council();
        var info = await directory.RequireAsync(council, ct).ConfigureAwait(false);
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var raised = await DecideAsync(session, info, body, http.User, time.GetUtcNow(), ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return raised.Repeated ? Results.Ok(raised) : Results.Created($"/api/councils/{council}/cases/{raised.Id}", raised);
    }

    /// <summary>Validates, numbers and appends the new case in the session (nothing is written on a refusal); the caller commits.</summary>
    internal static async Task<Raised> DecideAsync(EventSession session, CouncilInfo info, Request? body, System.Security.Claims.ClaimsPrincipal user,
        DateTimeOffset now, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, type, service and summary is required.");
        var raisedByMember = user.IsInRole(Roles.Member);
        var type = raisedByMember ? CaseTypes.MemberEnquiry : body.Type?.Trim();
        var member = raisedByMember ? user.Actor() : CaseAccess.Clean(body.Member);
        var summary = CaseAccess.Clean(body.Summary);
        var details = CaseAccess.Clean(body.Details);
        var service = body.Service?.Trim().ToLowerInvariant();
        var safeguarding = CaseAccess.Clean(body.Safeguarding);
        var v = new Validator();
        v.Require(!string.IsNullOrWhiteSpace(body.CustomerId), "customerId", "Say which customer the case is for.");
        v.Require(raisedByMember || (type is not null && CaseTypes.All.Contains(type)), "type", "Type must be one of " + string.Join(", ", CaseTypes.All) + ".");
        v.Require(service is not null && ServicePattern.IsMatch(service), "service", "Service must be a service name like waste or council-tax.");
        v.Require(summary is not null, "summary", "Say in a line what the case is about.");
        v.Require((summary?.Length ?? 0) <= CaseAccess.MaxSummary, "summary", $"The summary must be {CaseAccess.MaxSummary} characters or fewer; put the rest in details.");
        v.Require((details?.Length ?? 0) <= CaseAccess.MaxText, "details", $"Details must be {CaseAccess.MaxText} characters or fewer.");
        v.Require(safeguarding is null || SafeguardingConcerns.All.Contains(safeguarding), "safeguarding", "A safeguarding concern is adult or child.");
        // An advisor raising a member-enquiry may name the member (it then joins their casework list);
        // the contract's fields alone (customerId, type, service, summary) are enough to raise one.
        v.Require((member?.Length ?? 0) <= 100, "member", "The member's user name is too long.");
        v.Require((body.Outcome?.Length ?? 0) <= CaseAccess.MaxText, "outcome", $"The outcome must be {CaseAccess.MaxText} characters or fewer.");
        v.Require(!(body.ResolvedAtFirstContact == true && safeguarding is not null), "resolvedAtFirstContact",
            "A case with a safeguarding concern goes to the safeguarding team; it cannot be closed at first contact.");
        v.ThrowIfInvalid();

        var customerId = body.CustomerId!.Trim();
        // A replay of a form (or an API retry) with its key raises nothing: the case it raised, as it is now.
        if (await session.ClaimSubmissionAsync(body.IdempotencyKey, "case.raise", SubmissionKeys.Fingerprint(customerId, type, service, summary, details,
                safeguarding, body.ResolvedAtFirstContact == true ? "resolved" : null, CaseAccess.Clean(body.Outcome), member), ct).ConfigureAwait(false) is { } earlier)
        {
            var was = await CaseAccess.LoadAsync(session, earlier, user, ct).ConfigureAwait(false);
            return new Raised(was.Id, was.Reference, was.Status, was.DueAt, was.Type, was.Service, was.Team, was.Stage, Repeated: true);
        }
        if (await session.StreamVersionAsync(CustomerStreams.For(customerId), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");

        var number = await NextNumberAsync(session, ct).ConfigureAwait(false);
        var id = Guid.CreateVersion7().ToString();
        var reference = CaseDueDates.Reference(info, number);
        var stage = type == CaseTypes.Complaint ? 1 : (int?)null;
        var dueAt = CaseDueDates.For(info, type!, stage, now);
        var team = safeguarding is not null ? Teams.Safeguarding : null;
        var events = new List<object>
        {
            new CaseRaised(id, reference, customerId, type!, service!, summary, details, dueAt, type == CaseTypes.MemberEnquiry ? member : null,
                safeguarding, team),
        };
        if (body.ResolvedAtFirstContact == true)
            events.Add(new CaseResolved(reference, CaseAccess.Clean(body.Outcome), ResolvedAtFirstContact: true, WithinStandard: true, Restricted: false));
        await session.AppendAsync(CaseState.StreamId(id), ExpectedVersion.NoStream, events, customerId, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(id, ct).ConfigureAwait(false);
        return new Raised(id, reference, body.ResolvedAtFirstContact == true ? CaseStatuses.Resolved : CaseStatuses.Open, dueAt, type!, service!, team, stage);
    }

    /// <summary>
    /// The council's next case number. The counter row stays locked until the raise commits, so
    /// numbers have no gaps (a rolled-back raise gives its number back) and raises in one council
    /// take their numbers one after another.
    /// </summary>
    private static async Task<long> NextNumberAsync(EventSession session, CancellationToken ct)
    {
        await using var cmd = session.Db.Command("""
            insert into cases.reference_counters as c (tenant_id, kind, last) values ($1, 'C', 1)
            on conflict (tenant_id, kind) do update set last = c.last + 1
            returning last
            """);
        cmd.Parameters.AddWithValue(session.Tenant);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
