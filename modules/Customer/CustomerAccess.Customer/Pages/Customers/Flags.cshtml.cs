using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>/councils/{council}/customers/{id}/flags: set and remove flags (Flags.SetAsync / RemoveAsync, as the API).</summary>
public sealed class FlagsModel : CustomerPage
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["kind"] = "kind-0", ["details"] = "details", ["reason"] = "reason", ["reviewOn"] = "reviewOn", ["body"] = "kind-0",
    };

    public static IReadOnlyDictionary<string, string> Kinds => CustomerFlags.Kinds;

    [BindProperty] public FlagForm Form { get; set; } = new();
    /// <summary>Issued with each form (SubmissionKeys): sending one twice sets or removes once.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    internal GetCustomer.SingleView? Customer { get; private set; }
    public string Name => Customer is null ? "" : $"{Customer.FirstName} {Customer.LastName}";

    public sealed class FlagForm
    {
        public string? Kind { get; set; }
        public string? Details { get; set; }
        public string? Reason { get; set; }
        public string? ReviewOn { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await RefuseAsync(write: true) ?? await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            var (_, repeated) = await Flags.SetAsync(CustomerId!, new Flags.SetRequest(Form.Kind, string.IsNullOrWhiteSpace(Form.Details) ? null : Form.Details.Trim(),
                Form.Reason, string.IsNullOrWhiteSpace(Form.ReviewOn) ? null : Form.ReviewOn.Trim(), IdempotencyKey), HttpContext, Service<EventStore>(), ct);
            return Redirect(CustomerPath + "?status=flag-set" + (repeated ? "&" + SubmissionKeys.ReplayedQuery : ""));
        }
        catch (ApiProblemException e) when (e.Status != StatusCodes.Status404NotFound && ShowErrors(e, Fields, "kind-0"))
        {
            return await LoadAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? flagId, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            if (!await Flags.RemoveAsync(CustomerId!, flagId ?? "", null, HttpContext, Service<EventStore>(), ct, IdempotencyKey))
                return Redirect(CustomerPath + "?status=flag-removed&" + SubmissionKeys.ReplayedQuery);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return Redirect(CustomerPath + "?status=flag-removed");
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        try
        {
            await using var tx = await Service<PlatformDatabase>().BeginAsync(Council, ct);
            Customer = await GetCustomer.LoadAsync(tx, CustomerId!, Service<IAddressBook>(), ct);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return Customer.Erased ? NotFound() : Page();
    }
}
