using System.Text;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>The contract's Addresses section: lookup, one address, and LLPG imports.</summary>
internal static class GazetteerEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private const long MaxImportBytes = 2L * 1024 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var council = endpoints.MapCouncilApi().WithTags("Addresses");
        council.MapGet("/addresses", Lookup).RequireAuthorization(Policies.Read);
        council.MapGet("/addresses/{uprn}", GetOne).RequireAuthorization(Policies.Read);
        council.MapPost("/gazetteer/imports", Import).RequireAuthorization(Policies.PartnershipAdmin)
            .Accepts<string>("text/csv").WithMetadata(new MachineMadeCsv());
    }

    internal sealed record AddressItem(long Uprn, IReadOnlyList<string> Lines, string? Postcode);

    internal sealed record AddressPage(IReadOnlyList<AddressItem> Items, string? Next);

    internal sealed record AddressDetail(long Uprn, IReadOnlyList<string> Lines, string? Postcode, string Status);

    internal sealed record ImportResponse(int Imported, int Updated, int Deleted, IReadOnlyList<ImportRejection> Rejected);

    private static async Task<IResult> Lookup(HttpContext http, PlatformDatabase db, string? q, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        var query = q?.Trim() ?? "";
        validator.Require(AddressRenderer.Normalise(query).Replace(" ", "", StringComparison.Ordinal).Length >= GazetteerQueries.MinimumQueryLength,
            "q", $"Give at least {GazetteerQueries.MinimumQueryLength} letters or digits of a postcode, street or house name or number.");
        validator.Require(limit is null or (>= 1 and <= MaxLimit), "limit", $"limit is from 1 to {MaxLimit}.");
        var offset = 0;
        validator.Require(cursor is null || (int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) && offset <= 10_000),
            "cursor", "cursor is not one this API gave.");
        validator.ThrowIfInvalid();

        var take = limit ?? DefaultLimit;
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var (items, more) = await GazetteerQueries.SearchAsync(tx, query, take, offset, ct).ConfigureAwait(false);
        return Results.Ok(new AddressPage(
            items.Select(a => new AddressItem(a.Uprn, a.Lines, a.Postcode)).ToList(),
            more ? (offset + take).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static async Task<IResult> GetOne(HttpContext http, PlatformDatabase db, string uprn, CancellationToken ct)
    {
        if (!GazetteerQueries.TryParseUprn(uprn, out var id))
            throw ApiProblemException.Validation("uprn", "A UPRN is a number of up to 12 digits.");
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var address = await GazetteerQueries.FindAsync(tx, id, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"Address with UPRN {id}");
        return Results.Ok(new AddressDetail(address.Uprn, address.Lines, address.Postcode, address.LogicalStatus switch
        {
            LogicalStatuses.Approved => "approved",
            LogicalStatuses.Alternative => "alternative",
            LogicalStatuses.Provisional => "provisional",
            _ => "historical",
        }));
    }

    private static async Task<IResult> Import(HttpContext http, GazetteerImporter importer, PlatformDatabase db, CancellationToken ct)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !string.Equals(type.MediaType.Value, "text/csv", StringComparison.OrdinalIgnoreCase))
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the LLPG extract (BS 7666 DTF 7.3) as text/csv.");

        // Large extracts: lift the default body limit for this route, buffer to disk, then parse.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxImportBytes;
        request.EnableBuffering(bufferThreshold: 1024 * 1024, bufferLimit: MaxImportBytes);
        await request.Body.DrainAsync(ct).ConfigureAwait(false);
        request.Body.Position = 0;

        var encoding = type.Encoding ?? Encoding.UTF8;
        using var reader = new StreamReader(request.Body, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var report = await importer.ImportAsync(http.Council(), reader, ct: ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await LogPositionAsync(db, http.Council(), ct).ConfigureAwait(false));
        return Results.Ok(new ImportResponse(report.Imported, report.Updated, report.Deleted, report.Rejected));
    }

    /// <summary>
    /// An import writes the gazetteer's tables and appends no event, so it has no position of its own.
    /// It answers with the council's latest position once the import has committed: every read served
    /// at or after it shows the import (the tables are read directly, no projection lags behind them),
    /// so X-Min-Position with it reads the client's own write as after any other route. 0 only for a
    /// council with no events at all.
    /// </summary>
    private static async Task<long> LogPositionAsync(PlatformDatabase db, string council, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command("select coalesce(max(position), 0) from es.events where tenant_id = $1");
        cmd.Parameters.AddWithValue(council);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
