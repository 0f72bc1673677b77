using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using CustomerAccess.Waste.ReadModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste;

/// <summary>
/// GET /waste/works-orders?status=&amp;cursor=: the waste team's works orders for the council chosen in
/// the header, newest first, filtered by status; each open order has a form to move it on
/// (POST, same rules as the API's status route, then a redirect back to the same list).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class WorksOrdersModel(EventStore store, IAuthorizationService authorization) : WastePage
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    [BindProperty] public string? Id { get; set; }
    [BindProperty] public string? To { get; set; }
    /// <summary>Issued with each move form (SubmissionKeys): sent twice, the order moves once and the second is not refused.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal bool Allowed { get; private set; }
    internal IReadOnlyList<WorksOrderView> Items { get; private set; } = [];
    internal string? Next { get; private set; }
    internal string? Moved => Request.Query["moved"].FirstOrDefault() is { Length: > 0 and <= 64 } id ? id : null;
    internal string? FailedId { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await AllowAsync(ct)) return Page();
        if (Status is { Length: 0 }) Status = null;
        if (Status is not null && !WorksOrderStatus.All.Contains(Status))
        {
            Show(ApiProblemException.Validation("status", "Choose a status from the list."));
            Status = null;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await AllowAsync(ct)) return Page();
        try
        {
            if (string.IsNullOrWhiteSpace(Id)) return BadRequest();
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            var moved = $"/waste/works-orders?status={Uri.EscapeDataString(Status ?? "")}&moved={Uri.EscapeDataString(Id)}";
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.works-order-move", SubmissionKeys.Fingerprint(Id, To), ct) is not null)
                return LocalRedirect(moved + "&" + SubmissionKeys.ReplayedQuery);
            await WorksOrders.MoveAsync(session, Id, To, ct);
            await session.CompleteSubmissionAsync(Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect(moved);
        }
        catch (ApiProblemException e)
        {
            Show(e);
            if (Errors.Remove("status", out var messages)) Errors["to-" + Id] = messages;
            if (Errors.Remove("", out var general)) Errors["to-" + Id] = general;
            FailedId = Id;
            await LoadAsync(ct);
            return Page();
        }
        catch (ConcurrencyException)
        {
            Show(ApiProblemException.Conflict("Someone else changed this works order at the same time. Check its status and try again."));
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<bool> AllowAsync(CancellationToken ct)
    {
        await CurrentCouncilAsync(ct);
        Allowed = (await authorization.AuthorizeAsync(User, Policies.ServiceTeam)).Succeeded;
        if (!Allowed) Response.StatusCode = 403;
        return Allowed && CouncilInfo is not null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (string.IsNullOrEmpty(Status)) Status = null;
        try
        {
            (Items, Next) = await WorksOrders.ListAsync(store, CouncilInfo!.Id, Status, Cursor, ct);
        }
        catch (ApiProblemException e)
        {
            Show(e);
            (Items, Next) = await WorksOrders.ListAsync(store, CouncilInfo!.Id, null, null, ct);
        }
    }
}
