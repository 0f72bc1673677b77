using System.Security.Claims;
using System.Text.RegularExpressions;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Tenancy.Features;

/// <summary>POST /api/councils: a new partner council joins while the system runs (partnership admin).</summary>
internal static partial class OnboardCouncil
{
    internal sealed record Request(string? Id, string? Name, string? ContactNumber, IReadOnlyList<string>? ServiceThemes,
        IReadOnlyDictionary<string, int>? DaysToResolve);

    [GeneratedRegex("^[a-z0-9-]{2,40}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\+?[0-9 ()-]{7,20}$")]
    private static partial Regex PhonePattern();

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/api/councils", Handle).RequireAuthorization(Policies.PartnershipAdmin).WithName("OnboardCouncil");

    internal static async Task<IResult> Handle(Request? request, ClaimsPrincipal user, HttpContext http, EventStore store,
        ICouncilDirectory directory, CancellationToken ct)
    {
        var onboarded = Decide(request);
        if (await directory.ExistsAsync(onboarded.CouncilId, ct).ConfigureAwait(false))
            throw ApiProblemException.Conflict($"A council with the id '{onboarded.CouncilId}' already exists.");
        var position = await AppendAsync(store, onboarded, new EventContext { Actor = user.Actor(), Channel = "api" }.WithCurrentTrace(), ct)
            .ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return Results.Created($"/api/councils/{onboarded.CouncilId}",
            new ListCouncils.CouncilSummary(onboarded.CouncilId, onboarded.Name, onboarded.ContactNumber));
    }

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
        if (request.DaysToResolve is { } days)
            v.Require(days.All(d => d.Value is > 0 and <= 365 && d.Key.Length > 0), "daysToResolve", "Each case type needs 1 to 365 working days.");
        v.ThrowIfInvalid();
        var standards = new Dictionary<string, int>(ServiceStandards.DefaultDaysToResolve, StringComparer.Ordinal);
        foreach (var (type, d) in request.DaysToResolve ?? new Dictionary<string, int>()) standards[type] = d;
        return new CouncilOnboarded(id, name, phone, request.ServiceThemes?.Where(t => !string.IsNullOrWhiteSpace(t)).ToList() ?? [..ServiceStandards.DefaultThemes],
            standards, ServiceStandards.EnglandAndWales);
    }

    /// <summary>Appends the event on the council's own stream; a racing second onboarding of the id is a 409.</summary>
    internal static async Task<long?> AppendAsync(EventStore store, CouncilOnboarded onboarded, EventContext context, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(onboarded.CouncilId, context, ct).ConfigureAwait(false);
        try
        {
            await session.AppendAsync(CouncilOnboarded.StreamOf(onboarded.CouncilId), ExpectedVersion.NoStream, [onboarded], ct: ct).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            throw ApiProblemException.Conflict($"A council with the id '{onboarded.CouncilId}' already exists.");
        }
        return await session.CommitAsync(ct).ConfigureAwait(false);
    }
}
