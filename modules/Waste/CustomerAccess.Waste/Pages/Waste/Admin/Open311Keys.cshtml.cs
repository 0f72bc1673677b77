using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Open311;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste.Admin;

/// <summary>
/// GET/POST /admin/open311/keys: the header council's Open311 API keys by fingerprint, and issuing one
/// (<see cref="O311KeyAdmin.IssueAsync"/>, POST /open311/keys's core). The new key is in the POST's own
/// response only (no redirect, so never in a URL; Cache-Control: no-store, so not kept by the browser), with a
/// warning that it cannot be shown again; nothing logs it. The form's submission key makes a double click
/// issue one key, not two: the resend goes back to the list, since the key itself is gone.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class Open311KeysModel(PlatformDatabase db, EventStore store) : WasteAdminPage
{
    [BindProperty] public string? Partner { get; set; }
    /// <summary>Issued with the form (SubmissionKeys).</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal IReadOnlyList<O311KeyAdmin.KeyView> Keys { get; private set; } = [];
    internal O311KeyAdmin.Issued? Issued { get; private set; }
    internal string? Revoked => Request.Query["revoked"].FirstOrDefault() is { Length: > 0 and <= 12 } f && f.All(char.IsAsciiHexDigitLower) ? f : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        try
        {
            EnsureFormIsForThisCouncil();
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.open311-key-issue", SubmissionKeys.Fingerprint(Partner?.Trim()), ct) is not null)
                return LocalRedirect("/admin/open311/keys?" + SubmissionKeys.ReplayedQuery);
            Issued = await O311KeyAdmin.IssueAsync(session, Partner, ct);
            await session.CompleteSubmissionAsync(Issued.Key.Fingerprint, ct);
            await session.CommitAsync(ct);
            Response.Headers.CacheControl = "no-store";
            return Page();
        }
        catch (ApiProblemException e)
        {
            Show(e);
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
        Keys = await O311KeyAdmin.ListAsync(tx, ct);
    }
}

/// <summary>
/// GET/POST /admin/open311/keys/{fingerprint}/revoke: asks first (the reporting site is refused from that moment),
/// then revokes through <see cref="O311KeyAdmin.RevokeAsync"/>, DELETE /open311/keys/{fingerprint}'s core.
/// Revoking twice is no error (the key stays revoked), so this form needs no submission key.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class RevokeOpen311KeyModel(PlatformDatabase db, EventStore store) : WasteAdminPage
{
    [FromRoute] public string Fingerprint { get; set; } = "";
    internal O311KeyAdmin.KeyView? Key { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
        Key = await O311KeyAdmin.LoadAsync(tx, Fingerprint.Trim().ToLowerInvariant(), forUpdate: false, ct);
        return Key is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        try
        {
            EnsureFormIsForThisCouncil();
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            var (key, changed) = await O311KeyAdmin.RevokeAsync(session, Fingerprint, ct);
            if (changed) await session.CommitAsync(ct);
            return LocalRedirect("/admin/open311/keys?revoked=" + key.Fingerprint);
        }
        catch (ApiProblemException e) when (e.Status == 404)
        {
            return NotFound();
        }
        catch (ApiProblemException e)
        {
            Show(e);
            await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
            Key = await O311KeyAdmin.LoadAsync(tx, Fingerprint.Trim().ToLowerInvariant(), forUpdate: false, ct);
            return Key is null ? NotFound() : Page();
        }
    }
}
