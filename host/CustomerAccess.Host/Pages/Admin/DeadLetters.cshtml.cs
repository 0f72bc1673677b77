using System.Globalization;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Host.Pages.Admin;

/// <summary>
/// GET/POST /admin/dead-letters: open dead letters across every council (as GET /api/admin/dead-letters lists
/// them: type, council, attempts, the handler's error, when; never the payload), each with a Retry button that
/// puts it back in the outbox through <see cref="DeadLetters.RetryAsync"/>, the API's own. Here in the host because
/// the platform project has no Razor pages. Retrying twice is harmless: the second finds it no longer open.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class DeadLettersModel(DeadLetters deadLetters) : PageModel
{
    /// <summary>The same page size as the API's list.</summary>
    public const int Limit = 200;

    public IReadOnlyList<DeadLetter> Items { get; private set; } = [];
    public string? Error { get; private set; }
    public long? Retried => long.TryParse(Request.Query["retried"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public async Task OnGetAsync(CancellationToken ct) => Items = await deadLetters.ListAsync(Limit, ct);

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken ct)
    {
        if (await deadLetters.RetryAsync(id, ct)) return LocalRedirect("/admin/dead-letters?retried=" + id.ToString(CultureInfo.InvariantCulture));
        Error = $"Dead letter {id.ToString(CultureInfo.InvariantCulture)} is not open: it has been retried already, or there is no such dead letter.";
        Response.StatusCode = StatusCodes.Status404NotFound;
        Items = await deadLetters.ListAsync(Limit, ct);
        return Page();
    }

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
