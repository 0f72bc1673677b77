using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// PostgreSQL text cannot hold the NUL character (U+0000), so a value carrying one would fail deep
/// in a handler. Query parameters and form fields that carry one are refused here with a 400 naming
/// the field, before anything runs; JSON bodies are checked as they bind (<see cref="LenientStringConverter"/>).
/// </summary>
public sealed class NulCharacterGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public const string Message = "Must not contain the NUL character (U+0000).";

    public async Task InvokeAsync(HttpContext context)
    {
        if (BrowserPages.IsStatusPage(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var field = Find(context.Request.Query);
        if (field is null && context.Request.HasFormContentType)
            field = Find(await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false));
        if (field is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (BrowserPages.IsPage(context))
        {
            BrowserPages.Refuse(context, StatusCodes.Status400BadRequest, "A field contained a character that cannot be saved (U+0000). Go back, remove it and try again.");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid",
                Detail = "See errors for each field.",
            },
        }).ConfigureAwait(false);
    }

    private static string? Find(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
    {
        foreach (var (key, value) in values)
        {
            if (key.Contains('\0', StringComparison.Ordinal)) return "query";
            foreach (var v in value)
                if (v is not null && v.Contains('\0', StringComparison.Ordinal)) return key;
        }
        return null;
    }
}
