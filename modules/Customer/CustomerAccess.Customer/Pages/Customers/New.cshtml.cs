using System.Globalization;
using System.Text.Json;
using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// /councils/{council}/customers/new: register a customer (RegisterCustomer.Validate and RegisterAsync,
/// as the API). Before creating, possible duplicates (same name and address, same phone, same email)
/// are offered: open one, or create anyway. From a search's "Known at ..." section
/// (?sharedCouncil=&amp;sharedId=) the form comes pre-filled with the identity that council shares with this
/// one, checked afresh (agreement, customer not erased or merged), and the registration records its source.
/// </summary>
public sealed class NewModel : CustomerPage
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["firstName"] = "firstName", ["lastName"] = "lastName", ["email"] = "email", ["phone"] = "phone",
        ["dateOfBirth"] = "dob-day", ["uprn"] = "postcode", ["body"] = "firstName", ["sharedFrom"] = "firstName",
    };

    [BindProperty] public RegisterForm Form { get; set; } = new();
    [BindProperty] public AddressLookup Lookup { get; set; } = new();
    /// <summary>Issued with the form (SubmissionKeys): sending it twice registers one customer.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    internal List<FindCustomers.Match> Duplicates { get; } = [];
    /// <summary>The other council's customer the details came from, when they did.</summary>
    internal SharedIdentity.SharedMatch? Shared { get; private set; }
    /// <summary>Whether the shared address is in this council's gazetteer (and so chosen on the form).</summary>
    public bool SharedAddressHere { get; private set; }

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
        public string? SharedCouncil { get; set; }
        public string? SharedId { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string? sharedCouncil, string? sharedId, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        if (sharedCouncil is null && sharedId is null) return Prepared();
        if (!await SharedIdentity.MaySeeAsync(HttpContext)) return StatusCode(StatusCodes.Status403Forbidden);
        Shared = await SharedIdentity.FindAsync(sharedCouncil ?? "", sharedId ?? "", Council, HttpContext.RequestServices, ct);
        if (Shared is null) return NotFound();
        (Form.FirstName, Form.LastName, Form.Email, Form.Phone) = (Shared.FirstName, Shared.LastName, Shared.Email, Shared.Phone);
        (Form.SharedCouncil, Form.SharedId) = (Shared.Council, Shared.Id);
        if (Shared.Address is { } address)
        {
            // Their address is chosen only if it is a current address in this council's gazetteer too.
            await using (var tx = await Service<PlatformDatabase>().BeginAsync(Council, ct))
            {
                SharedAddressHere = await Service<IAddressBook>().FindAsync(tx, address.Uprn, ct) is { Current: true };
                await tx.CommitAsync(ct);
            }
            if (SharedAddressHere)
            {
                Lookup.Postcode = address.Postcode;
                Lookup.Selected = address.Uprn.ToString(CultureInfo.InvariantCulture);
                await Lookup.SearchAsync(Service<PlatformDatabase>(), Council, ct);
            }
        }
        return Prepared();
    }

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
        var fromShared = !string.IsNullOrEmpty(Form.SharedCouncil) || !string.IsNullOrEmpty(Form.SharedId);
        if (fromShared)
        {
            if (!await SharedIdentity.MaySeeAsync(HttpContext)) return StatusCode(StatusCodes.Status403Forbidden);
            // For the banner if the form comes back; the registration checks the source again itself.
            Shared = await SharedIdentity.FindAsync(Form.SharedCouncil ?? "", Form.SharedId ?? "", Council, HttpContext.RequestServices, ct);
        }
        try
        {
            var input = RegisterCustomer.Validate(new RegisterCustomer.Request(Form.FirstName, Form.LastName, Form.Email, Form.Phone,
                DateOfBirth(), string.IsNullOrEmpty(Lookup.Selected) ? null : JsonSerializer.SerializeToElement(Lookup.Selected),
                fromShared ? new RegisterCustomer.SharedSource(Form.SharedCouncil, Form.SharedId) : null));
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
