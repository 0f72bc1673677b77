using CustomerAccess.Platform.Mediator;

namespace CustomerAccess.Contracts;

/// <summary>
/// Whether a UPRN is a property in the council's gazetteer (LLPG), for a module that takes an address
/// but does not keep the gazetteer (Bookings' bulky collections). The Customer module owns the
/// gazetteer and answers through the mediator, under the council's row-level security, so a UPRN of
/// another council is not found. Null when the council's gazetteer has no such property.
/// </summary>
public sealed record FindGazetteerAddress(string Council, long Uprn) : IRequest<PropertyAddress?>;

/// <param name="Current">false for a historical address: kept for the record, not taken for new work</param>
public sealed record PropertyAddress(long Uprn, IReadOnlyList<string> Lines, string? Postcode, bool Current);
