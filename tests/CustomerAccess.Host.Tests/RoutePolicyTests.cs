using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Host.Tests;

/// <summary>Every API route declares who may call it: walks the real host's route table.</summary>
public class RoutePolicyTests
{
    /// <summary>Routes that are public on purpose. Add one here only with a reason.</summary>
    private static readonly Func<string, bool>[] PublicOnPurpose =
    [
        p => p == "/api/auth/token",                                        // signing in
        p => p.EndsWith(".ics", StringComparison.Ordinal),                  // bin-day calendars are public
        p => p == "/api/payments/provider/callback",                        // the card provider's webhook: HMAC-signed, trusts no body, only triggers a status lookup
        p => p.StartsWith("/open311/v2/{council}/", StringComparison.Ordinal), // Open311 GeoReport v2: GETs are public by the spec; POST checks the reporting site's api_key itself
    ];

    private static readonly HashSet<string> KnownPolicies =
        [Policies.Read, Policies.Casework, Policies.Payments, Policies.ServiceTeam, Policies.Audit, Policies.PartnershipAdmin, Policies.SubjectRights];

    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private List<RouteEndpoint> ApiRoutes()
    {
        var source = (EndpointDataSource)_host.Services.GetService(typeof(EndpointDataSource))!;
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && (p.StartsWith("/api", StringComparison.Ordinal) || p.StartsWith("/open311", StringComparison.Ordinal)))
            .ToList();
    }

    [Test]
    public void Every_api_route_requires_a_named_policy_or_is_public_on_purpose()
    {
        var routes = ApiRoutes();
        Assert.That(routes, Is.Not.Empty);
        var offenders = new List<string>();
        foreach (var route in routes)
        {
            var pattern = route.RoutePattern.RawText!;
            var name = $"{string.Join(",", route.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {pattern}";
            var anonymous = route.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = route.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (anonymous)
            {
                if (!PublicOnPurpose.Any(allowed => allowed(pattern))) offenders.Add(name + " is anonymous but not on the public list");
            }
            else if (policies.Count == 0 || policies.Any(p => p is null || !KnownPolicies.Contains(p)))
            {
                offenders.Add(name + " declares no known policy (" + string.Join(",", policies.Select(p => p ?? "<none>")) + ")");
            }
        }
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void The_sign_in_route_is_the_anonymous_one()
    {
        var token = ApiRoutes().Single(r => r.RoutePattern.RawText == "/api/auth/token");
        Assert.That(token.Metadata.GetMetadata<IAllowAnonymous>(), Is.Not.Null);
    }
}
