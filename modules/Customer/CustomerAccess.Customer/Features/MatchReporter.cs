using CustomerAccess.Contracts;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// The mediator's <see cref="MatchOrRegisterReporter"/>: a report from outside (Open311) finds its
/// customer by email (case-insensitive, the same lookup as registration's duplicate check, under the
/// council's row-level security); when none holds the email and a first and last name are given, a
/// customer is registered through RegisterCustomer's core (a racing registration of the same email
/// is matched instead). Without an email nothing is registered: a name alone would make a new
/// duplicate on every report. With a contact reason, the contact is logged on the matched customer.
/// </summary>
internal sealed class MatchReporterHandler(EventStore store, IAddressBook addresses) : IRequestHandler<MatchOrRegisterReporter, ReporterMatch?>
{
    public async Task<ReporterMatch?> HandleAsync(MatchOrRegisterReporter request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is null) return null;
        if (!CustomerInput.IsEmail(email)) throw ApiProblemException.Validation("email", "Enter an email address in the correct format, like name@example.com.");
        var context = EventContext.System(string.IsNullOrWhiteSpace(request.Actor) ? "reporter-matching" : request.Actor);

        var match = await FindAsync(request.Council, email, context, ct).ConfigureAwait(false) is { } found
            ? new ReporterMatch(found, Registered: false)
            : await RegisterAsync(request, email, context, ct).ConfigureAwait(false);
        if (match is null) return null;

        if (!string.IsNullOrWhiteSpace(request.ContactReason))
        {
            var channel = request.ContactChannel ?? "web";
            var reason = request.ContactReason.Trim();
            await LogContact.AppendAsync(match.CustomerId, new LogContact.Request(channel, reason.Length > 200 ? reason[..200] : reason, null, false),
                request.Council, context with { Channel = channel }, store, ct).ConfigureAwait(false);
        }
        return match;
    }

    private async Task<string?> FindAsync(string council, string email, EventContext context, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        return await RegisterCustomer.FindByEmailAsync(session, email, ct).ConfigureAwait(false);
    }

    private async Task<ReporterMatch?> RegisterAsync(MatchOrRegisterReporter request, string email, EventContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.FirstName) || string.IsNullOrWhiteSpace(request.LastName)) return null;
        // A malformed phone number is dropped rather than refusing the resident's report over it.
        var phone = request.Phone is { } p && !string.IsNullOrWhiteSpace(p) && CustomerInput.IsPhone(p.Trim()) ? p.Trim() : null;
        var input = RegisterCustomer.Validate(new RegisterCustomer.Request(request.FirstName, request.LastName, email, phone, null, null));
        try
        {
            var (id, _, _) = await RegisterCustomer.RegisterAsync(input, request.Council, context, store, addresses, null, ct).ConfigureAwait(false);
            return new ReporterMatch(id, Registered: true);
        }
        catch (ApiProblemException e) when (e.Status == 409 && e.Extensions.TryGetValue("existingCustomerId", out var existing) && existing is string { Length: > 0 } id)
        {
            return new ReporterMatch(id, Registered: false); // registered by someone else a moment ago
        }
    }
}
