using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Open311;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// POST /waste/fly-tipping {customerId, latitude, longitude, description?, caseId?} → 201 {id, worksOrderId}:
/// a works order at a place (WGS84, within Great Britain's bounds) for the contractor to clear.
/// </summary>
internal static class ReportFlyTipping
{
    internal sealed record Request(string? CustomerId, double? Latitude, double? Longitude, string? Description, string? CaseId = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/waste/fly-tipping", Handle).RequireAuthorization(Policies.Casework).WithName("ReportFlyTipping");

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, latitude and longitude is required.");
        var council = http.Council();
        var customerId = body.CustomerId?.Trim();
        var description = string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim();
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(customerId) && customerId.Length <= 64, "customerId", "Say which customer is reporting the fly-tipping.");
        Validate(body.Latitude, body.Longitude, description, v);
        var caseId = WorksOrderCases.Clean(body.CaseId, v);
        v.ThrowIfInvalid();
        var (reportId, worksOrderId, position) = await ReportAsync(store, council, http.EventContext(), customerId!,
            new Place(body.Latitude!.Value, body.Longitude!.Value, null), description, null, caseId, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return Results.Created($"/api/councils/{council}/waste/works-orders/{worksOrderId}",
            new { id = reportId, worksOrderId, status = WorksOrderStatus.Raised });
    }

    /// <summary>The place (WGS84 within Great Britain) and the description's length; shared with Open311.</summary>
    internal static void Validate(double? latitude, double? longitude, string? description, Validator v)
    {
        v.Require(latitude is >= 49.8 and <= 60.9, "latitude", "Latitude must be a WGS84 latitude in Great Britain (49.8 to 60.9).");
        v.Require(longitude is >= -8.7 and <= 1.8, "longitude", "Longitude must be a WGS84 longitude in Great Britain (-8.7 to 1.8).");
        v.Require((description?.Length ?? 0) <= 1000, "description", "The description must be 1,000 characters or fewer.");
    }

    /// <summary>
    /// Where the fly-tipping is: a point (WGS84, checked by <see cref="Validate"/>), the reporter's words
    /// for the place (Open311's address_string), or both. This route always has the point; Open311 may
    /// send only the words, which the contractor then gets as they are.
    /// </summary>
    internal sealed record Place(double? Latitude, double? Longitude, string? Location)
    {
        public double? Lat => Latitude is { } l ? Math.Round(l, 6) : null;
        public double? Long => Longitude is { } l ? Math.Round(l, 6) : null;
    }

    /// <summary>
    /// The use case, for this route and Open311 alike: raises the works order and queues it for the
    /// contractor; commits. <paramref name="customerId"/> may be null for an anonymous report (Open311
    /// without a matchable reporter): the order is then on no timeline and, with no data subject to
    /// encrypt it for, the description is not kept (<see cref="Open311.AnonymousFlyTippingReported"/>).
    /// <paramref name="mediaUrl"/> is Open311's media_url, already checked by the caller.
    /// </summary>
    internal static async Task<(string ReportId, string WorksOrderId, long? Position)> ReportAsync(EventStore store, string council, EventContext context,
        string? customerId, Place place, string? description, string? mediaUrl, string? caseId, CancellationToken ct)
    {
        if ((place.Latitude is null || place.Longitude is null) && place.Location is null)
            throw new ArgumentException("A fly-tipping report needs a point or a location description.", nameof(place));
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        if (customerId is not null && await session.StreamVersionAsync(CustomerStreams.For(customerId), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
        await WorksOrderCases.RequireAsync(session, caseId, ct).ConfigureAwait(false);
        var reportId = Guid.CreateVersion7().ToString();
        var worksOrderId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(WasteStreams.WorksOrder(worksOrderId), ExpectedVersion.NoStream,
            [customerId is null
                ? new AnonymousFlyTippingReported(reportId, worksOrderId, place.Lat, place.Long, place.Location, mediaUrl)
                : new FlyTippingReported(reportId, worksOrderId, place.Lat, place.Long, description, caseId, place.Location, mediaUrl)],
            customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new SendWorksOrderToContractor(worksOrderId), ct).ConfigureAwait(false);
        await WorksOrderCases.ProgressAsync(session, caseId, worksOrderId, WorksOrderKinds.FlyTipping, WorksOrderStatus.Raised, null, ct).ConfigureAwait(false);
        return (reportId, worksOrderId, await session.CommitAsync(ct).ConfigureAwait(false));
    }
}
