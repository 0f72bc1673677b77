using System.Globalization;
using System.Text.Json;
using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// /councils/{council}/customers/{id}/details: change email, phone and address (from the gazetteer),
/// through ChangeDetails.ChangeAsync with the same JSON object the API's PATCH takes.
/// </summary>
public sealed class DetailsModel : CustomerPage
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["email"] = "email", ["phone"] = "phone", ["uprn"] = "postcode", ["body"] = "email",
    };

    [BindProperty] public DetailsForm Form { get; set; } = new();
    [BindProperty] public AddressLookup Lookup { get; set; } = new();
    public string Name { get; private set; } = "";

    public sealed class DetailsForm
    {
        public string? Email { get; set; }
        public string? Phone { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        return await LoadAsync(prefill: true, ct);
    }

    public async Task<IActionResult> OnGetAddressesAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        Lookup.Postcode = Request.Query["Lookup.Postcode"];
        await Lookup.SearchAsync(Service<PlatformDatabase>(), Council, ct);
        return Partial("_AddressChoices", Lookup);
    }

    public async Task<IActionResult> OnPostFindAddressAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        await Lookup.SearchAsync(Service<PlatformDatabase>(), Council, ct);
        return await LoadAsync(prefill: false, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        var body = new Dictionary<string, object?>
        {
            ["email"] = string.IsNullOrWhiteSpace(Form.Email) ? null : Form.Email.Trim(),
            ["phone"] = string.IsNullOrWhiteSpace(Form.Phone) ? null : Form.Phone.Trim(),
        };
        if (!string.IsNullOrEmpty(Lookup.Selected)) body["uprn"] = Lookup.Selected;
        try
        {
            await ChangeDetails.ChangeAsync(CustomerId!, JsonSerializer.SerializeToElement(body), HttpContext, Service<EventStore>(), Service<IAddressBook>(), ct);
            return Redirect(CustomerPath + "?status=details-changed");
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status409Conflict && e.Extensions.ContainsKey("existingCustomerId"))
        {
            Errors.Add(("email", "Another customer of this council already has this email address."));
            Response.StatusCode = StatusCodes.Status409Conflict;
            return await LoadAsync(prefill: false, ct);
        }
        catch (ApiProblemException e) when (e.Status != StatusCodes.Status404NotFound && ShowErrors(e, Fields, "email"))
        {
            return await LoadAsync(prefill: false, ct);
        }
    }

    private async Task<IActionResult> LoadAsync(bool prefill, CancellationToken ct)
    {
        GetCustomer.SingleView view;
        try
        {
            await using var tx = await Service<PlatformDatabase>().BeginAsync(Council, ct);
            view = await GetCustomer.LoadAsync(tx, CustomerId!, Service<IAddressBook>(), ct);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        if (view.Erased) return NotFound();
        Name = $"{view.FirstName} {view.LastName}";
        if (prefill)
        {
            Form.Email = view.Email;
            Form.Phone = view.Phone;
        }
        if (view.Address is { } a)
            Lookup.Current = (a.Uprn.ToString(CultureInfo.InvariantCulture), string.Join(", ", a.Lines) + ", " + a.Postcode);
        Lookup.FetchUrl = CustomerPath + "/details?handler=Addresses";
        return Page();
    }
}
