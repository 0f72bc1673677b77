using CustomerAccess.Contracts;
using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Customer.Timeline;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// GET /councils/{council}/customers/{id}: the single view (GetCustomer.LoadAsync), flags first, with
/// the timeline (GetTimeline.PageAsync) beside it; POST ?handler=Contact logs a contact through
/// LogContact.LogAsync, then redirects back here (post/redirect/get).
/// </summary>
public sealed class SingleViewModel : CustomerPage
{
    public static IReadOnlyDictionary<string, string> ChannelNames => ContactChannels.Names;

    private static readonly Dictionary<string, string> ContactFields = new(StringComparer.Ordinal)
    {
        ["channel"] = "channel", ["reason"] = "reason", ["notes"] = "notes", ["resolvedAtFirstContact"] = "resolved-yes", ["body"] = "channel",
        ["demand"] = "demand-value", ["failureReason"] = "failure-reason-" + FailureReasons.ForContacts[0].Value,
    };

    internal GetCustomer.SingleView? Customer { get; private set; }
    public string? MergedInto { get; private set; }
    internal List<TimelineEntry> Timeline { get; } = [];
    public string? NextCursor { get; private set; }
    public string? Module { get; private set; }
    public string? AsAt { get; private set; }
    /// <summary>Set when the page shows the customer as they stood at an instant (the asAt form), not as now.</summary>
    public DateTimeOffset? RecordAsAt { get; private set; }
    public string? TimelineError { get; private set; }
    public string? Status { get; private set; }
    public bool CanWrite { get; private set; }

    [BindProperty] public ContactForm Contact { get; set; } = new();

    public sealed class ContactForm
    {
        public string? Channel { get; set; }
        public string? Reason { get; set; }
        public string? Notes { get; set; }
        public string? Resolved { get; set; }
        public string? Demand { get; set; }
        public string? FailureReason { get; set; }
    }

    internal static IReadOnlyList<(string Value, string Text)> FailureReasonChoices => FailureReasons.ForContacts;

    /// <summary>Issued with the contact form (SubmissionKeys): sending it twice logs one contact.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    public string Name => Customer is null ? "" : Customer.Erased ? "Erased customer record" : $"{Customer.FirstName} {Customer.LastName}";

    public async Task<IActionResult> OnGetAsync(string? module, string? cursor, string? asAt, string? status, long? at, CancellationToken ct)
    {
        if (await RefuseAsync() is { } refused) return refused;
        Status = status;
        // Read-your-writes after a post: wait (briefly) for the timeline to reach the write, as
        // X-Min-Position does for the API, so the advisor sees the contact they just logged.
        if (at is > 0) await Service<CustomerAccess.Platform.Projections.ReadModelWaiter>().WaitForAsync(at.Value, TimeSpan.FromSeconds(2), ct);
        return await ShowAsync(module, cursor, asAt, ct);
    }

    public async Task<IActionResult> OnPostContactAsync(CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        var request = new LogContact.Request(Contact.Channel, Contact.Reason, Contact.Notes,
            Contact.Resolved switch { "yes" => true, "no" => false, _ => null }, IdempotencyKey,
            string.IsNullOrEmpty(Contact.Demand) ? null : Contact.Demand,
            // A reason picked before switching to value demand stays in the form (the reveal only hides it): drop it.
            Contact.Demand == DemandKinds.Failure && !string.IsNullOrEmpty(Contact.FailureReason) ? Contact.FailureReason : null);
        try
        {
            var (_, repeated) = await LogContact.LogAsync(CustomerId!, request, HttpContext, Service<EventStore>(), ct);
            var position = HttpContext.Response.Headers[EventPositionHeader.Written].ToString();
            return Redirect(CustomerPath + "?status=contact-logged" + (position.Length > 0 ? "&at=" + Uri.EscapeDataString(position) : "")
                + (repeated ? "&" + SubmissionKeys.ReplayedQuery : ""));
        }
        catch (ApiProblemException e) when (ShowErrors(e, ContactFields, "channel"))
        {
            return await ShowAsync(null, null, null, ct);
        }
    }

    private async Task<IActionResult> ShowAsync(string? module, string? cursor, string? asAt, CancellationToken ct)
    {
        CanWrite = (await Service<IAuthorizationService>().AuthorizeAsync(User, Policies.Casework)).Succeeded;
        var db = Service<PlatformDatabase>();
        try
        {
            await using var tx = await db.BeginAsync(Council, ct);
            Customer = await GetCustomer.LoadAsync(tx, CustomerId!, Service<IAddressBook>(), ct);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            if (e.Extensions.TryGetValue("mergedInto", out var survivor) && survivor is string s)
            {
                // The duplicate answers 404, as in the API, and points to the record it joined.
                MergedInto = s;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
            }
            return NotFound();
        }

        Module = module is not null && TimelineModules.All.Contains(module) ? module : null;
        AsAt = string.IsNullOrWhiteSpace(asAt) ? null : asAt.Trim();
        try
        {
            var instant = History.ParseAsAt(AsAt);
            var after = string.IsNullOrEmpty(cursor) ? null : GetTimeline.DecodeCursor(cursor);
            var (items, next) = await GetTimeline.PageAsync(CustomerId!, instant, false, 20, after, Module, HttpContext, Service<EventStore>(), db, ct);
            Timeline.AddRange(items);
            NextCursor = next;
            if (instant is { } then)
            {
                // The record as it stood then, not only the timeline; a historical page offers no writes.
                await using var session = await Service<EventStore>().OpenSessionAsync(Council, HttpContext.EventContext(), ct);
                Customer = await GetCustomer.AsAtAsync(session, Customer, then, Service<IAddressBook>(), ct);
                RecordAsAt = then;
                CanWrite = false;
            }
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            TimelineError = e.Errors?.Values.SelectMany(m => m).FirstOrDefault() ?? e.Detail;
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound && AsAt is not null)
        {
            // As at an instant before the customer was recorded: the API's 404, said on the page.
            TimelineError = "Nothing was recorded about this customer by " + AsAt + ".";
        }
        return Page();
    }

    public string TimelineLink(string? cursor) =>
        CustomerPath + "?" + string.Join("&", new[]
        {
            Module is null ? null : "module=" + Uri.EscapeDataString(Module),
            AsAt is null ? null : "asAt=" + Uri.EscapeDataString(AsAt),
            cursor is null ? null : "cursor=" + Uri.EscapeDataString(cursor),
        }.OfType<string>()) + "#timeline";
}
