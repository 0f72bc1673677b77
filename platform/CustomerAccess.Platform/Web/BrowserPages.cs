using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// A browser asking for a screen (not /api or /open311, Accept text/html) gets its errors as an HTML
/// page: the host re-executes /status/{code}. A guard that refuses such a request sets the status and
/// a message for that page instead of writing problem+json, which a browser would show raw.
/// </summary>
public static class BrowserPages
{
    /// <summary>HttpContext.Items key: the sentence the status page shows for a refusal.</summary>
    public const string RefusalMessage = "customeraccess.refusal-message";

    public static bool IsPage(HttpContext context) =>
        !(context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/open311"))
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>True while the status page is rendered for a request a guard already refused.</summary>
    public static bool IsStatusPage(HttpContext context) => context.Features.Get<IStatusCodeReExecuteFeature>() is not null;

    public static void Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Items[RefusalMessage] = message;
    }
}
