using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// POST /waste/fly-tipping {customerId, latitude, longitude, description?} → 201 {id, worksOrderId}:
/// a works order at a place (WGS84, within Great Britain's bounds) for the contractor to clear.
/// </summary>
internal static class ReportFlyTipping
{
    internal sealed record Request(string? CustomerId, double? Latitude, double? Longitude, string? Description);

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
        v.Require(body.Latitude is >= 49.8 and <= 60.9, "latitude", "Latitude must be a WGS84 latitude in Great Britain (49.8 to 60.9).");
        v.Require(body.Longitude is >= -8.7 and <= 1.8, "longitude", "Longitude must be a WGS84 longitude in Great Britain (-8.7 to 1.8).");
        v.Require((description?.Length ?? 0) <= 1000, "description", "The description must be 1,000 characters or fewer.");
        v.ThrowIfInvalid();

        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        if (await session.StreamVersionAsync(CustomerStreams.For(customerId!), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
        var reportId = Guid.CreateVersion7().ToString();
        var worksOrderId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(WasteStreams.WorksOrder(worksOrderId), ExpectedVersion.NoStream,
            [new FlyTippingReported(reportId, worksOrderId, Math.Round(body.Latitude!.Value, 6), Math.Round(body.Longitude!.Value, 6), description)],
            customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new SendWorksOrderToContractor(worksOrderId), ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Created($"/api/councils/{council}/waste/works-orders/{worksOrderId}",
            new { id = reportId, worksOrderId, status = WorksOrderStatus.Raised });
    }
}
