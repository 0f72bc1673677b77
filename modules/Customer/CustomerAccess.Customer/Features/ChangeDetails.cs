using System.Text.Json;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// PATCH /customers/{id} { email?, phone?, uprn? }: a field present changes (null clears it); a
/// field absent stays. Recorded on the timeline as a change of details.
/// </summary>
internal static class ChangeDetails
{
    private static readonly HashSet<string> Changeable = ["email", "phone", "uprn"];

    public static void Map(RouteGroupBuilder api) =>
        api.MapPatch("/customers/{id}", Handle).RequireAuthorization(Policies.Casework).WithName("ChangeCustomerDetails");

    private static async Task<IResult> Handle(string id, JsonElement body, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct) =>
        Results.Ok(await ChangeAsync(id, body, http, store, addresses, ct).ConfigureAwait(false));

    /// <summary>
    /// The use case, for the API and the change-details screen: the screen sends the same JSON object
    /// (only the fields it changes). Returns the single view after the change.
    /// </summary>
    internal static async Task<GetCustomer.SingleView> ChangeAsync(string id, JsonElement body, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object) throw ApiProblemException.Validation("body", "Send a JSON object with email, phone or uprn.");
        var v = new Validator();
        var present = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in body.EnumerateObject())
        {
            if (Changeable.Contains(p.Name)) present[p.Name] = p.Value;
            else v.Add(p.Name, "This field cannot be changed here; only email, phone and uprn can.");
        }
        string? email = null, phone = null;
        long? uprn = null;
        if (present.TryGetValue("email", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            email = e.ValueKind == JsonValueKind.String ? e.GetString()!.Trim() : null;
            v.Require(email is not null && CustomerInput.IsEmail(email), "email", "Enter an email address in the correct format, like name@example.com.");
        }
        if (present.TryGetValue("phone", out var p2) && p2.ValueKind != JsonValueKind.Null)
        {
            phone = p2.ValueKind == JsonValueKind.String ? p2.GetString()!.Trim() : null;
            v.Require(phone is not null && CustomerInput.IsPhone(phone), "phone", "Enter a telephone number, like 01632 960 001 or +44 7700 900 982.");
        }
        if (present.TryGetValue("uprn", out var u)) uprn = RegisterCustomer.ParseUprn(u, v);
        v.Require(present.Count > 0 || !v.IsValid, "body", "Send at least one of email, phone or uprn.");
        v.ThrowIfInvalid();

        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var state = await CustomerRecord.LoadAsync(session, id, ct).ConfigureAwait(false);
        CustomerRecord.RefuseIfErased(state);
        if (uprn is { } newUprn && await addresses.FindAsync(session.Db, newUprn, ct).ConfigureAwait(false) is not { Current: true })
            throw ApiProblemException.Validation("uprn", "This UPRN is not a current address in the council's gazetteer.");
        if (email is not null && !string.Equals(email, state.Email, StringComparison.OrdinalIgnoreCase)
            && await RegisterCustomer.FindByEmailAsync(session, email, ct).ConfigureAwait(false) is { } other && other != id)
            throw RegisterCustomer.DuplicateEmail(other);

        var changed = new List<string>();
        if (present.ContainsKey("email") && email != state.Email) changed.Add("email");
        if (present.ContainsKey("phone") && phone != state.Phone) changed.Add("phone");
        if (present.ContainsKey("uprn") && uprn != state.Uprn) changed.Add("uprn");
        if (changed.Count > 0)
        {
            await session.AppendAsync(CustomerState.StreamId(id), state.Version,
                [new CustomerDetailsChanged(changed, changed.Contains("email") ? email : null, changed.Contains("phone") ? phone : null,
                    changed.Contains("uprn") ? uprn : null)], id, ct).ConfigureAwait(false);
        }
        // The inline projection has already applied the change inside this transaction.
        var view = await GetCustomer.LoadAsync(session.Db, id, addresses, ct).ConfigureAwait(false);
        if (changed.Count > 0) EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return view;
    }
}
