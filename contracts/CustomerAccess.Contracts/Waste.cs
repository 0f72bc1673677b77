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
