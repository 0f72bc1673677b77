using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Platform.Web;

/// <summary>The roles of the people who use CustomerAccess, as carried in tokens.</summary>
public static class Roles
{
    public const string Advisor = "advisor";
    public const string Member = "member";
    public const string ServiceOfficer = "service-officer";
    public const string Auditor = "auditor";
    public const string PartnershipAdmin = "partnership-admin";

    public static readonly IReadOnlyList<string> All = [Advisor, Member, ServiceOfficer, Auditor, PartnershipAdmin];
}

/// <summary>Claim types beyond the standard role claim.</summary>
public static class AccessClaims
{
    /// <summary>One claim per council the user serves; "*" means every council.</summary>
    public const string Council = "council";
    /// <summary>The service team of a service officer (e.g. "waste").</summary>
    public const string Team = "team";
    public const string AllCouncils = "*";
    /// <summary>The user name (JWT "name"); identities use it as their name claim type.</summary>
    public const string Name = "name";
    /// <summary>One per role (JWT "role"); identities use it as their role claim type.</summary>
    public const string Role = "role";

    /// <summary>The claims a local user's token or cookie carries.</summary>
    public static ClaimsIdentity ToIdentity(LocalUser user, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(authenticationType, Name, Role);
        identity.AddClaim(new Claim(Name, user.Username));
        foreach (var role in user.Roles) identity.AddClaim(new Claim(Role, role));
        foreach (var council in user.Councils) identity.AddClaim(new Claim(Council, council));
        if (!string.IsNullOrEmpty(user.Team)) identity.AddClaim(new Claim(Team, user.Team));
        return identity;
    }
}

/// <summary>
/// Every API route declares one of these (a test walks the route table). Names say what the caller
/// may do, so a route reads as a sentence: "recording contacts requires casework".
/// </summary>
public static class Policies
{
    /// <summary>Read a council's records: every signed-in role.</summary>
    public const string Read = "read";
    /// <summary>Record contacts, cases, customer changes: advisors, members, service officers.</summary>
    public const string Casework = "casework";
    /// <summary>Take and refund payments, cash up: advisors (cashiers).</summary>
    public const string Payments = "payments";
    /// <summary>Service-team work (queues, works orders): service officers and advisors.</summary>
    public const string ServiceTeam = "service-team";
    /// <summary>
    /// A data subject's rights (subject access export, erasure): advisors, who take the resident's
    /// request, and partnership admins. Not members or service officers, whose casework needs
    /// neither a customer's whole record nor the power to erase it.
    /// </summary>
    public const string SubjectRights = "subject-rights";
    /// <summary>
    /// See the identity (name, email, phone, address) of customers another council shares with this one
    /// under a data-sharing agreement, and register them here from it: advisors, service officers and
    /// partnership admins, who serve residents. Not members (elected councillors act for their own
    /// council's residents; another council's are none of their casework) nor auditors (read-only: they
    /// examine this council's records, and have no customer to register).
    /// </summary>
    public const string SharedIdentity = "shared-identity";
    /// <summary>Read raw events and verify the chain: auditors and partnership admins.</summary>
    public const string Audit = "audit";
    /// <summary>Onboard councils, data sharing, gazetteer imports, dead letters.</summary>
    public const string PartnershipAdmin = "partnership-admin";

    public static void Register(AuthorizationOptions options)
    {
        options.AddPolicy(Read, p => p.RequireAuthenticatedUser().RequireRole(Roles.All));
        options.AddPolicy(Casework, p => p.RequireAuthenticatedUser().RequireRole(Roles.Advisor, Roles.Member, Roles.ServiceOfficer, Roles.PartnershipAdmin));
        options.AddPolicy(Payments, p => p.RequireAuthenticatedUser().RequireRole(Roles.Advisor, Roles.PartnershipAdmin));
        options.AddPolicy(ServiceTeam, p => p.RequireAuthenticatedUser().RequireRole(Roles.ServiceOfficer, Roles.Advisor, Roles.PartnershipAdmin));
        options.AddPolicy(SubjectRights, p => p.RequireAuthenticatedUser().RequireRole(Roles.Advisor, Roles.PartnershipAdmin));
        options.AddPolicy(SharedIdentity, p => p.RequireAuthenticatedUser().RequireRole(Roles.Advisor, Roles.ServiceOfficer, Roles.PartnershipAdmin));
        options.AddPolicy(Audit, p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.PartnershipAdmin));
        options.AddPolicy(PartnershipAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.PartnershipAdmin));
    }
}

public static class CouncilAccess
{
    public const string RouteParameter = "council";

    /// <summary>
    /// The group every council-scoped route hangs from: /api/councils/{council}. Its filter answers
    /// 403 when the caller does not serve that council, then 404 when the council does not exist, so
    /// only a caller serving every council ("*") can learn whether an id exists. Handlers then read
    /// <see cref="Council"/>.
    /// </summary>
    public static RouteGroupBuilder MapCouncilApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/api/councils/{council}").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var council = http.Council();
            if (!http.User.Serves(council))
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: "You do not act for this council.");
            var directory = http.RequestServices.GetService(typeof(ICouncilDirectory)) as ICouncilDirectory;
            if (directory is not null && !await directory.ExistsAsync(council, http.RequestAborted).ConfigureAwait(false))
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: "There is no such council.");
            return await next(context).ConfigureAwait(false);
        });

    /// <summary>The council (tenant) named in the route.</summary>
    public static string Council(this HttpContext context) =>
        context.Request.RouteValues[RouteParameter] as string ?? throw new InvalidOperationException("No {council} in this route.");

    public static bool Serves(this ClaimsPrincipal user, string council) =>
        user.Identity?.IsAuthenticated == true &&
        user.FindAll(AccessClaims.Council).Any(c => c.Value == AccessClaims.AllCouncils || string.Equals(c.Value, council, StringComparison.Ordinal));

    public static IReadOnlyList<string> Councils(this ClaimsPrincipal user) =>
        user.FindAll(AccessClaims.Council).Select(c => c.Value).ToList();

    /// <summary>Who did it, for event metadata: the user name, never more personal data.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
