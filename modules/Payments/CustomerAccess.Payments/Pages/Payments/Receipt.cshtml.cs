using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Features;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Payments.Pages.Payments;

/// <summary>
/// /councils/{council}/payments/{id}: the receipt (print-friendly: the forms and navigation are left off
/// the printout), its refunds, and a refund form for cashiers. A pending card payment is first brought up
/// to date from the provider, as GET /payments/{id} does; while pending it links to the provider's page.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class ReceiptModel(EventStore store, TimeProvider time) : PaymentsPage
{
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? RefundAmount { get; set; }
    [BindProperty] public string? Reason { get; set; }
    /// <summary>Issued with the form: submitting it twice refunds once.</summary>
    [BindProperty] public string? RefundKey { get; set; }

    internal PaymentView? Payment { get; private set; }
    internal string FundName { get; private set; } = "";
    internal string? OnBehalfOf { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: false) is { } refused) return refused;
        return await LoadAsync(refresh: true, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRefundAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        if (!await LoadAsync(refresh: false, ct)) return NotFound();
        var pence = PaymentsUi.ParsePounds(RefundAmount);
        try
        {
            if (pence is null)
            {
                var v = new Validator();
                v.Add("amountPence", "Enter the refund in pounds and pence, for example 5.00.");
                if (string.IsNullOrWhiteSpace(Reason)) v.Add("reason", "Say why the money is being refunded.");
                v.ThrowIfInvalid();
            }
            await IssueRefund.IssueAsync(Council, HttpContext.EventContext(), Id, new IssueRefund.Request(pence, Reason, string.IsNullOrWhiteSpace(RefundKey) ? null : RefundKey), store, time, ct);
            return LocalRedirect($"/councils/{Council}/payments/{Id}?done=refunded");
        }
        catch (ApiProblemException e) when (e.Status is 400 or 409)
        {
            Show(e, new Dictionary<string, string> { ["amountPence"] = "refundAmount", ["body"] = "" });
            return Page();
        }
    }

    private async Task<bool> LoadAsync(bool refresh, CancellationToken ct)
    {
        PaymentView? payment;
        await using (var tx = await store.Database.BeginAsync(Council, ct))
        {
            payment = await PaymentRecord.LoadAsync(tx.Connection, tx.Transaction, Council, Id, true, ct);
            if (payment is null) return false;
            var fund = (await Ledger.FundsAsync(tx.Connection, tx.Transaction, Council, ct)).FirstOrDefault(f => f.Code == payment.Fund);
            FundName = fund?.Name ?? payment.Fund;
            OnBehalfOf = fund?.OnBehalfOf;
        }
        if (refresh && payment.Status == PaymentStatus.Pending && Channels.ViaProvider(payment.Channel))
        {
            await Service<ProviderOutcome>().RefreshAsync(Council, HttpContext.EventContext(payment.Channel), payment, ct);
            payment = await PaymentRecord.LoadAsync(store, Council, Id, ct);
        }
        if (refresh && await Service<ProviderRefundStatus>().RefreshAsync(Council, HttpContext.EventContext(payment.Channel), payment, ct) is not null)
            payment = await PaymentRecord.LoadAsync(store, Council, Id, ct);
        Payment = payment;
        return true;
    }
}
