using CustomerAccess.Platform.Web;

namespace CustomerAccess.Host.Ui;

/// <summary>
/// The council the signed-in person is serving right now (so the resident hears the right council),
/// and the others they may switch to. The choice is remembered in a cookie; a council the user does
/// not serve is never chosen, whatever the cookie says. A page whose route names a council the user
/// serves (/councils/{council}/...) is served for that council, so the header always matches the page.
/// </summary>
public sealed class CouncilContext(IHttpContextAccessor accessor, ICouncilDirectory directory) : ICurrentCouncil
{
    public const string CookieName = "ca-council";
    private (CouncilInfo? Current, IReadOnlyList<CouncilInfo> Available)? _resolved;

    public async Task<IReadOnlyList<CouncilInfo>> AvailableAsync(CancellationToken ct = default) => (await ResolveAsync(ct)).Available;

    public async Task<CouncilInfo?> CurrentAsync(CancellationToken ct = default) => (await ResolveAsync(ct)).Current;

    public static void Remember(HttpResponse response, string council) =>
        response.Cookies.Append(CookieName, council, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = response.HttpContext.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(30),
        });

    private async Task<(CouncilInfo? Current, IReadOnlyList<CouncilInfo> Available)> ResolveAsync(CancellationToken ct)
    {
        if (_resolved is { } r) return r;
        var http = accessor.HttpContext ?? throw new InvalidOperationException("No request.");
        if (http.User.Identity?.IsAuthenticated != true) return (_resolved = (null, [])).Value;
        var available = (await directory.ListAsync(ct).ConfigureAwait(false)).Where(c => http.User.Serves(c.Id)).ToList();
        var routed = http.GetRouteValue(CouncilAccess.RouteParameter) as string;
        var chosen = http.Request.Cookies[CookieName];
        var current = available.FirstOrDefault(c => c.Id == routed) ?? available.FirstOrDefault(c => c.Id == chosen) ?? available.FirstOrDefault();
        return (_resolved = (current, available)).Value;
    }
}

/// <summary>
/// The screens in the header navigation, in order. Module screens add a line here when they exist:
/// only link what is there, never a placeholder that 404s.
/// </summary>
public static class UiNavigation
{
    /// <param name="Policy">shown only to users the policy allows: a link that can only answer 403 is not offered</param>
    public sealed record Item(string Text, string Href, string ActivePrefix, string? Policy = null);

    public static IReadOnlyList<Item> Items { get; } =
    [
        new("Home", "/", "/"),
        new("Customers", "/customers", "/customers"),
        new("Raise a case", "/cases/new", "/cases/new", Policies.Casework),
        new("Team queue", "/cases/queue", "/cases/queue", Policies.ServiceTeam),
        new("My casework", "/cases/mine", "/cases/mine"),
        new("Take a payment", "/payments/new", "/payments/new", Policies.Payments),
        new("Cash-up", "/payments/cash-up", "/payments/cash-up", Policies.Payments),
        new("Works orders", "/waste/works-orders", "/waste/works-orders", Policies.ServiceTeam),
        new("Bookings", "/bookings", "/bookings"),
        new("Reports", "/reports", "/reports"),
        new("Administration", "/admin", "/admin", Policies.PartnershipAdmin),
    ];

    public static bool IsActive(Item item, PathString path) =>
        item.ActivePrefix == "/" ? path == "/" : path.StartsWithSegments(item.ActivePrefix);
}

/// <summary>Security headers for the server-rendered pages: no framing, no inline script, no sniffing.</summary>
public static class UiSecurityHeaders
{
    public static IApplicationBuilder UseUiSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        if (!Access.HostAuthentication.IsApi(context.Request.Path))
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
        await next(context).ConfigureAwait(false);
    });
}
