using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste;

/// <summary>
/// /councils/{council}/waste/garden-subscriptions/{id}: a subscription, its status and, while it
/// waits for payment, the payment due with a link to take it (the Payments screen
/// /councils/{council}/payments/new?customerId=&amp;paymentRequestId=). A paid one can be renewed for
/// the next season (POST, then a redirect to the renewal).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class GardenModel(EventStore store, PlatformDatabase db, IAuthorizationService authorization) : WastePage
{
    [FromRoute] public string Council { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";

    internal GardenSubscriptions.Subscription? Subscription { get; private set; }
    internal bool CanWork { get; private set; }
    internal string? Done => Request.Query["done"].FirstOrDefault();
    /// <summary>Issued with the renew form (SubmissionKeys): sent twice, it renews once.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(Council, Policies.Read) is { } refused) return refused;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRenewAsync(CancellationToken ct)
    {
        if (await RefuseAsync(Council, Policies.Casework) is { } refused) return refused;
        try
        {
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.garden-renewal", SubmissionKeys.Fingerprint(Id), ct) is { } earlier)
                return LocalRedirect($"/councils/{Council}/waste/garden-subscriptions/{earlier}?done=renewed&{SubmissionKeys.ReplayedQuery}");
            var prefix = (await Service<ICouncilDirectory>().RequireAsync(Council, ct)).ReferencePrefix;
            var renewal = await GardenSubscriptions.RenewAsync(session, prefix, Id, null, Clock.UtcNow, ct);
            await session.CompleteSubmissionAsync(renewal.Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/waste/garden-subscriptions/{renewal.Id}?done=renewed");
        }
        catch (ApiProblemException e) when (e.Status != 404)
        {
            Show(e);
            Errors = new() { ["renew"] = [e.Detail ?? e.Title] };
            return await LoadAsync(ct) ? Page() : NotFound();
        }
        catch (ApiProblemException)
        {
            return NotFound();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        await using (var tx = await db.BeginAsync(Council, ct))
            Subscription = await GardenSubscriptions.LoadAsync(tx.Connection, tx.Transaction, Council, Id, false, ct);
        CanWork = (await authorization.AuthorizeAsync(User, Policies.Casework)).Succeeded;
        return Subscription is not null;
    }
}
