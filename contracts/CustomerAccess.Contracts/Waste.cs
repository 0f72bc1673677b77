using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Contracts;

/// <summary>
/// Bookings confirmed a paid bulky-waste collection: Waste raises the contractor's works order
/// (kind <c>bulky-collection</c>) for that day and sends it through its contractor adapter.
/// Waste answers <see cref="BulkyWorksOrderRaised"/> so the booking can show the order.
/// </summary>
/// <param name="Items">item codes/short names the resident listed ("sofa", "fridge"): not personal data</param>
[MessageType("waste.raise-bulky-works-order")]
public sealed record RaiseBulkyWorksOrder(
    string BulkyCollectionId, string BookingId, string CustomerId, string Uprn, IReadOnlyList<string> Items, DateOnly CollectionDate);

[MessageType("waste.bulky-works-order-raised")]
public sealed record BulkyWorksOrderRaised(string BulkyCollectionId, string BookingId, string WorksOrderId);

/// <summary>
/// The resident cancelled a confirmed bulky-waste collection (Bookings refunds it): Waste cancels the
/// works order it raised for it and tells the contractor, so nobody turns up to collect. It may
/// arrive before <see cref="RaiseBulkyWorksOrder"/> has been handled; Waste then raises nothing.
/// </summary>
[MessageType("waste.cancel-bulky-works-order")]
public sealed record CancelBulkyWorksOrder(string BulkyCollectionId, string BookingId);

/// <summary>
/// A works order raised for a case (the report carried <c>caseId</c>) was raised, sent to the
/// contractor (<see cref="ContractorReference"/> known) or changed status: Waste sends this in the
/// same transaction, and Case records it on the case's history (and resolves the case when the
/// order is <c>completed</c>). Ids and codes only, never personal data.
/// </summary>
/// <param name="Kind">missed-bin | bin-request | fly-tipping | bulky-collection</param>
/// <param name="Status">raised | sent | accepted | completed | could-not-complete | cancelled</param>
[MessageType("waste.works-order-progress")]
public sealed record WorksOrderProgress(string CaseId, string WorksOrderId, string Kind, string Status, string? ContractorReference);
