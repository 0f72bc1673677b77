using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Features;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Payments.Pages.Payments;

/// <summary>
/// /councils/{council}/payments/cash-up?date=: the day's totals by channel and fund, each cashier's expected
/// cash against what they declared (with the difference), a declaration form and closing the day.
/// </summary>
[Authorize(Policy = Policies.Payments)]
public sealed class CashUpPageModel(EventStore store, TimeProvider time) : PaymentsPage
{
    [BindProperty(SupportsGet = true)] public string? Date { get; set; }
    [BindProperty] public string? Cashier { get; set; }
    [BindProperty] public string? Declared { get; set; }

    internal CashUp.Summary? Summary { get; private set; }
    internal string Day { get; private set; } = "";
    internal bool IsToday { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            await LoadAsync(ct);
        }
        catch (ApiProblemException e) when (e.Status == 400)
        {
            Show(e);
            Date = null;
            await LoadAsync(ct);
        }
        Cashier ??= User.Actor();
        return Page();
    }

    public Task<IActionResult> OnPostDeclareAsync(CancellationToken ct) => ActAsync("declared", async () =>
    {
        var pence = PaymentsUi.ParsePounds(Declared);
        if (pence is null)
        {
            var v = new Validator();
            v.Add("declaredPence", "Enter the cash counted in pounds and pence, for example 120.00.");
            v.ThrowIfInvalid();
        }
        var (_, _, repeated) = await CashUp.DeclareAsync(Council, HttpContext.EventContext(), Day, new CashUp.Declaration(Cashier, pence, IdempotencyKey), store, time, ct);
        return repeated;
    }, ct);

    public Task<IActionResult> OnPostCloseAsync(CancellationToken ct) =>
        ActAsync("closed", async () =>
        {
            await CashUp.CloseAsync(Council, HttpContext.EventContext(), Day, store, time, ct);
            return false;
        }, ct);

    /// <summary>Issued with the declare form (SubmissionKeys): sent twice, it declares once.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    /// <param name="act">does the thing; true when it was a replay of the form (nothing recorded)</param>
    private async Task<IActionResult> ActAsync(string done, Func<Task<bool>> act, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            await LoadAsync(ct);
            var replayed = await act();
            return LocalRedirect($"/councils/{Council}/payments/cash-up?date={Day}&done={done}" + (replayed ? "&" + SubmissionKeys.ReplayedQuery : ""));
        }
        catch (ApiProblemException e) when (e.Status is 400 or 409)
        {
            Show(e, new Dictionary<string, string> { ["declaredPence"] = "declared", ["date"] = "", ["body"] = "" });
            if (Summary is null)
            {
                Date = null;
                await LoadAsync(ct);
            }
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = Ledger.LocalDate(time.GetUtcNow());
        var day = string.IsNullOrEmpty(Date) ? today : CashUp.ParseDay(Date, time, "date");
        Day = Ledger.Text(day);
        IsToday = day == today;
        await using var tx = await store.Database.BeginAsync(Council, ct);
        Summary = await CashUp.SummaryAsync(tx.Connection, tx.Transaction, Council, day, ct);
    }
}
