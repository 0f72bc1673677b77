using CustomerAccess.Platform.Mediator;

namespace CustomerAccess.Contracts;

/// <summary>
/// A report that arrives without a customer id (Open311 from a reporting site) is matched to the
/// council's customer by email (case-insensitive); when none exists and a name is given, the
/// Customer module registers one, so the report still lands on a customer timeline. Sent through
/// the mediator (in-process, the caller's council); handled by the Customer module.
/// Returns null when no customer matches and none could be registered (no email, or no name).
/// With <paramref name="ContactReason"/>, a contact on <paramref name="ContactChannel"/> (default
/// <c>web</c>) is also logged on the matched customer, so the report shows as a contact on the
/// timeline; <paramref name="Actor"/> names who recorded it (e.g. the reporting site), never a person's details.
/// </summary>
public sealed record MatchOrRegisterReporter(string Council, string? Email, string? FirstName, string? LastName, string? Phone,
    string? ContactReason = null, string? ContactChannel = null, string? Actor = null)
    : IRequest<ReporterMatch?>;

public sealed record ReporterMatch(string CustomerId, bool Registered);
