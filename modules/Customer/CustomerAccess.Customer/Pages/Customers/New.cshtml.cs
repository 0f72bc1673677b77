using System.Globalization;
using System.Text.Json;
using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// /councils/{council}/customers/new: register a customer (RegisterCustomer.Validate and RegisterAsync,
/// as the API). Before creating, possible duplicates (same name and address, same phone, same email)
/// are offered: open one, or create anyway.
/// </summary>
public sealed class NewModel : CustomerPage
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["firstName"] = "firstName", ["lastName"] = "lastName", ["email"] = "email", ["phone"] = "phone",
        ["dateOfBirth"] = "dob-day", ["uprn"] = "postcode", ["body"] = "firstName",
    };

    [BindProperty] public RegisterForm Form { get; set; } = new();
    [BindProperty] public AddressLookup Lookup { get; set; } = new();
    /// <summary>Issued with the form (SubmissionKeys): sending it twice registers one customer.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    internal List<FindCustomers.Match> Duplicates { get; } = [];

    public sealed class RegisterForm
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Day { get; set; }
        public string? Month { get; set; }
        public string? Year { get; set; }
        public string? Confirm { get; set; }
    }

    public async Task<IActionResult> OnGetAsync() => await RefuseAsync(write: true) ?? Prepared();

    public async Task<IActionResult> OnGetAddressesAsync(string? postcode, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        Lookup.Postcode = postcode ?? Request.Query["Lookup.Postcode"];
        await Lookup.SearchAsync(Service<PlatformDatabase>(), Council, ct);
        return Partial("_AddressChoices", Lookup);
    }

    public async Task<IActionResult> OnPostFindAddressAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        await Lookup.SearchAsync(Service<PlatformDatabase>(), Council, ct);
        return Prepared();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            var input = RegisterCustomer.Validate(new RegisterCustomer.Request(Form.FirstName, Form.LastName, Form.Email, Form.Phone,
                DateOfBirth(), string.IsNullOrEmpty(Lookup.Selected) ? null : JsonSerializer.SerializeToElement(Lookup.Selected)));
            if (Form.Confirm != "yes")
            {
                await using var tx = await Service<PlatformDatabase>().BeginAsync(Council, ct);
                // A replay of a form that registered someone goes to them, not to a duplicate warning about them.
                if (await SubmissionKeys.EarlierAsync(tx, IdempotencyKey, RegisterCustomer.SubmissionOperation, RegisterCustomer.Fingerprint(input), ct) is { } earlier)
                    return Redirect($"/councils/{Council}/customers/{earlier}?status=registered&{SubmissionKeys.ReplayedQuery}");
                var rows = await RegisterCustomer.PossibleDuplicatesAsync(tx, input, ct);
                if (rows.Count > 0)
                {
                    Duplicates.AddRange(await FindCustomers.WithAddressesAsync(tx, rows, Service<IAddressBook>(), ct));
                    return Prepared();
                }
            }
            var (id, repeated) = await RegisterCustomer.RegisterOnceAsync(input, IdempotencyKey, HttpContext, Service<EventStore>(), Service<IAddressBook>(), ct);
            return Redirect($"/councils/{Council}/customers/{id}?status=registered" + (repeated ? "&" + SubmissionKeys.ReplayedQuery : ""));
        }
        catch (ApiProblemException e) when (e.Status == 409)
        {
            Errors.Add(("email", "A customer of this council already has this email address. Open that record instead."));
            Response.StatusCode = 409;
            return Prepared();
        }
        catch (ApiProblemException e) when (ShowErrors(e, Fields, "firstName"))
        {
            return Prepared();
        }
    }

    private PageResult Prepared()
    {
        Lookup.FetchUrl = $"/councils/{Council}/customers/new?handler=Addresses";
        return Page();
    }

    private JsonElement? DateOfBirth()
    {
        var parts = new[] { Form.Day, Form.Month, Form.Year };
        if (parts.All(string.IsNullOrWhiteSpace)) return null;
        if (int.TryParse(Form.Day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && int.TryParse(Form.Month, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && int.TryParse(Form.Year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1000 and <= 9999)
            return JsonSerializer.SerializeToElement(string.Create(CultureInfo.InvariantCulture, $"{y:0000}-{m:00}-{d:00}"));
        return JsonSerializer.SerializeToElement("not a date");
    }
}
