using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Features;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Payments.Pages.Payments;

/// <summary>
/// GET/POST /councils/{council}/payments/new?customerId=&amp;paymentRequestId=: take a payment, for a customer or
/// anonymously. The customer's payments due (open payment requests) are listed; choosing one fixes the fund and
/// amount. The idempotency key is issued with the form, so submitting twice takes the money once.
/// </summary>
[Authorize(Policy = Policies.Payments)]
public sealed class NewModel(EventStore store, PlatformDatabase db, TimeProvider time)
    : PaymentsPage
{
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? PaymentRequestId { get; set; }
    [BindProperty] public string? Fund { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Channel { get; set; }
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal IReadOnlyList<Fund> Funds { get; private set; } = [];
    internal IReadOnlyList<PaymentRequestView> Due { get; private set; } = [];
    internal PaymentRequestView? PayRequest { get; private set; }
    internal DateTimeOffset Now { get; } = time.GetUtcNow();
    internal bool CardAvailable => Service<ProviderAvailability>().Configured;

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["amountPence"] = "amount", ["paymentRequestId"] = "", ["idempotencyKey"] = "", ["body"] = "",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        await LoadAsync(ct);
        IdempotencyKey = Guid.CreateVersion7().ToString();
        // Only an open request fills the form: a paid, withdrawn or expired one must not be taken again
        // as an ordinary payment of the same fund and amount.
        if (PayRequest is not null && PayRequest.StatusAt(Now) == "open")
        {
            Fund = PayRequest.Fund;
            Amount = PaymentsUi.Pounds(PayRequest.AmountPence);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        await LoadAsync(ct);
        var pence = PaymentsUi.ParsePounds(Amount);
        try
        {
            if (pence is null)
            {
                var v = new Validator();
                v.Add("amountPence", "Enter the amount in pounds and pence, for example 25.50.");
                v.ThrowIfInvalid();
            }
            var taken = await TakePayment.TakeAsync(Council, HttpContext,
                new TakePayment.Request(CustomerId, Fund, pence, Channel, Reference, IdempotencyKey, PaymentRequestId),
                store, Service<ProviderOutcome>(), Service<ProviderAvailability>(), time, ct);
            return LocalRedirect($"/councils/{Council}/payments/{taken.Payment.Id}?done=taken");
        }
        catch (ApiProblemException e) when (e.Status is 400 or 409 or 503)
        {
            Show(e, Fields);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(Council, ct);
        await Ledger.EnsureFundsAsync(tx.Connection, tx.Transaction, Council, ct);
        Funds = await Ledger.FundsAsync(tx.Connection, tx.Transaction, Council, ct);
        if (!string.IsNullOrWhiteSpace(CustomerId))
            Due = await PaymentRequests.ListAsync(tx, Council, CustomerId, PaymentRequestStatus.Open, Now, 50, ct);
        if (Guid.TryParse(PaymentRequestId, out var id))
            PayRequest = await PaymentRequestRecord.LoadAsync(tx.Connection, tx.Transaction, Council, id, ct);
        await tx.CommitAsync(ct);
    }
}
