using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Waste.Open311;

/// <summary>
/// Open311 GeoReport v2 at /open311/v2/{council}/ (wiki.open311.org/GeoReport_v2), JSON or XML by
/// the path's extension: services, service definitions, requests (GET and form-encoded POST with an
/// api_key), one request, and FixMyStreet's servicerequestupdates. The GETs are public as the spec
/// intends, so they carry no personal data: no names or contact details, and not the reporter's free
/// text (generated descriptions instead; address_string neither). They do carry media_url, the link to
/// the photo the reporting site itself hosts and publishes. The POST authenticates the reporting site by its api_key
/// (403 otherwise) and reuses the CRM's own decisions (ReportMissedBin, ReportFlyTipping); the
/// reporter is matched to (or registered as) a customer through the mediator and the report is a web
/// contact on their timeline. Errors are the spec's array: 403 bad key, 404 unknown council, service
/// or request, 400 anything else.
/// </summary>
internal static partial class O311Endpoints
{
    private const int MaxRequests = 1000;
    private const int MaxMediaUrl = 2000;

    internal const string MissedBinNeedsUprn =
        "A missed bin needs the property's UPRN as address_id: lat and long, or an address_string, cannot say which property's bin was missed.";
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);
    private static readonly string[] OpenStatuses = [WorksOrderStatus.Raised, WorksOrderStatus.Sent, WorksOrderStatus.Accepted];
    private static readonly string[] ClosedStatuses = [WorksOrderStatus.Completed, WorksOrderStatus.Cancelled, WorksOrderStatus.CouldNotComplete];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Anonymous in ASP.NET terms: the GETs are public by the spec, the POST checks its api_key itself.
        var g = endpoints.MapGroup("/open311/v2/{council}").WithTags("Open311").AllowAnonymous().AddEndpointFilter(Guard);
        g.MapGet("/services.{format}", Services).WithName("Open311Services");
        g.MapGet("/services/{service_code}.{format}", Definition).WithName("Open311ServiceDefinition");
        g.MapGet("/requests.{format}", List).WithName("Open311Requests");
        g.MapPost("/requests.{format}", Post).WithName("Open311PostRequest");
        g.MapGet("/requests/{service_request_id}.{format}", One).WithName("Open311Request");
        g.MapGet("/servicerequestupdates.{format}", Updates).WithName("Open311ServiceRequestUpdates");
        g.Map("/{**rest}", (HttpContext http) => O311Format.Error(O311Format.Of(http), 404, "There is no such Open311 resource."))
            .WithName("Open311NotFound").ExcludeFromDescription();
    }

    /// <summary>Unknown format or council → 404; any refusal thrown below becomes the spec's error array.</summary>
    private static async ValueTask<object?> Guard(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var format = O311Format.Of(http);
        if (http.Request.RouteValues.TryGetValue("format", out var f) && !O311Format.IsKnown((f as string)?.ToLowerInvariant()))
            return O311Format.Error(format, 404, "Open311 answers in json or xml.");
        var council = http.Council();
        var directory = (ICouncilDirectory)http.RequestServices.GetService(typeof(ICouncilDirectory))!;
        if (!CouncilId().IsMatch(council) || !await directory.ExistsAsync(council, http.RequestAborted).ConfigureAwait(false))
            return O311Format.Error(format, 404, "There is no such council (jurisdiction).");
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiProblemException e)
        {
            var descriptions = e.Errors is { Count: > 0 } errors ? errors.SelectMany(x => x.Value).ToList() : [e.Detail ?? e.Title];
            return O311Format.Errors(format, e.Status, descriptions);
        }
        catch (ConcurrencyException)
        {
            return O311Format.Error(format, 409, "The request was changed by someone else at the same time; try again.");
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            return O311Format.Error(format, 400, "The request body is not a valid form.");
        }
    }

    private static string Format(HttpContext http) => O311Format.Of(http);

    private static IResult Services(HttpContext http) =>
        O311Format.Result(Format(http), "services", new O311List("service", O311Services.All.Select(s => (object?)s.Summary()).ToList()));

    private static IResult Definition(string service_code, HttpContext http) =>
        O311Services.Find(service_code) is { } service
            ? O311Format.Result(Format(http), "service_definition", service.Definition())
            : O311Format.Error(Format(http), 404, $"There is no service {Clip(service_code)}.");

    // ---- POST requests ------------------------------------------------------------------------

    private static async Task<IResult> Post(HttpContext http, EventStore store, PlatformDatabase db, ICouncilDirectory directory, WasteClock clock,
        IMediator mediator, CancellationToken ct)
    {
        var format = Format(http);
        var council = http.Council();
        if (!http.Request.HasFormContentType)
            return O311Format.Error(format, 400, "Send the request form-encoded (application/x-www-form-urlencoded).");
        var form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
        string? Field(string name)
        {
            var value = form.TryGetValue(name, out var v) ? v.ToString() : null;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var partner = await O311Keys.PartnerAsync(db, council, Field("api_key"), ct).ConfigureAwait(false);
        if (partner is null) return O311Format.Error(format, 403, "A valid api_key for this council is required.");
        var code = Field("service_code");
        if (code is null) return O311Format.Error(format, 400, "service_code is required.");
        var service = O311Services.Find(code);
        if (service is null) return O311Format.Error(format, 404, $"There is no service {Clip(code)}.");

        var v = new Validator();
        var lat = Number(Field("lat"), "lat", v);
        var lon = Number(Field("long"), "long", v);
        var addressString = Field("address_string");
        var addressId = Field("address_id");
        var description = Field("description");
        // Kept with the report and shown in the public GET requests, so only a plain web link: no data: or file: URL, no spaces or
        // control characters, no user name or password in it. Never echoed back in an error.
        var mediaUrl = Field("media_url");
        v.Require(mediaUrl is null || (mediaUrl.Length <= MaxMediaUrl && !mediaUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            && Uri.TryCreate(mediaUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Host.Length > 0 && u.UserInfo.Length == 0),
            "media_url", "media_url must be an http or https URL (no spaces, no user name or password) of 2,000 characters or fewer.");
        v.Require((addressString?.Length ?? 0) <= 500, "address_string", "address_string must be 500 characters or fewer.");
        v.Require((Field("account_id")?.Length ?? 0) <= 100, "account_id", "account_id must be 100 characters or fewer.");
        v.ThrowIfInvalid();
        if ((lat is null) != (lon is null))
            return O311Format.Error(format, 400, "lat and long go together: give both (WGS84 degrees) or neither.");
        if (lat is null && addressString is null && addressId is null)
            return O311Format.Error(format, 400, "A location is required: lat and long, address_string or address_id.");

        var actor = "open311:" + partner;
        var context = new EventContext { Actor = actor, Channel = "web" }.WithCurrentTrace();
        var accountId = Field("account_id");
        var reporter = (string reason) => new MatchOrRegisterReporter(council, Field("email"), Field("first_name"), Field("last_name"), Field("phone"),
            reason, "web", actor);

        if (service.Code == O311Services.MissedBin)
        {
            // The gazetteer places properties (BLPU easting/northing), but a map point or typed address cannot
            // say which of a terrace's houses' bins was missed, and a works order at the neighbour's is worse than asking.
            if (addressId is null)
                return O311Format.Error(format, 400, MissedBinNeedsUprn);
            if (addressId.Length > 12 || !addressId.All(char.IsAsciiDigit) || !long.TryParse(addressId, CultureInfo.InvariantCulture, out var uprn) || uprn <= 0)
                return O311Format.Error(format, 400, "address_id must be the property's UPRN (a whole number of 1 to 12 digits).");
            var container = Field($"attribute[{O311Services.ContainerAttribute}]")?.ToLowerInvariant();
            if (container is null || !Containers.All.Contains(container))
                return O311Format.Error(format, 400, $"attribute[{O311Services.ContainerAttribute}] is required: one of {string.Join(", ", Containers.All)}.");

            // Refuse (not on a round, too early, too late) before registering anyone or logging a contact.
            await ReportMissedBin.CheckAsync(store, council, uprn, container, directory, clock, ct).ConfigureAwait(false);
            var match = await mediator.Send(reporter($"Open311: missed {container} bin"), ct).ConfigureAwait(false);
            if (match is null)
                return O311Format.Error(format, 400,
                    "A missed bin is logged for the resident: give their email, and first_name and last_name if they are new to the council.");
            var outcome = await ReportMissedBin.ReportAsync(store, council, context, match.CustomerId, uprn, container, null, mediaUrl, directory, clock, ct)
                .ConfigureAwait(false);
            EventPositionHeader.Set(http, outcome.Position);
            var notice = outcome.Repeat
                ? $"This missed {container} collection of {CollectionCalendar.Text(outcome.CollectionDate)} was already reported; this is the same request."
                : $"Missed {container} collection of {CollectionCalendar.Text(outcome.CollectionDate)} reported; the crew has been asked to return.";
            return Created(format, outcome.WorksOrderId, notice, accountId, outcome.Repeat ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }

        // Fly-tipping: the point, or the reporter's words for the place (the contractor gets them as they are;
        // nothing here turns words into a point). A UPRN alone is not the place where rubbish was dumped.
        if (lat is null && addressString is null)
            return O311Format.Error(format, 400, "Fly-tipping needs the place: give lat and long (WGS84), or describe where it is in address_string.");
        if (lat is not null) ReportFlyTipping.Validate(lat, lon, description, v);
        else v.Require((description?.Length ?? 0) <= 1000, "description", "The description must be 1,000 characters or fewer.");
        v.ThrowIfInvalid();
        // Anonymous reports are taken: the reporter is matched (or registered) only when they say who they are.
        var reporterMatch = await mediator.Send(reporter("Open311: fly-tipping"), ct).ConfigureAwait(false);
        var (_, worksOrderId, position) = await ReportFlyTipping.ReportAsync(store, council, context, reporterMatch?.CustomerId,
            new ReportFlyTipping.Place(lat, lon, addressString), description, mediaUrl, null, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return Created(format, worksOrderId, "Fly-tipping reported; the crew has been asked to clear it.", accountId, StatusCodes.Status201Created);
    }

    private static IResult Created(string format, string id, string notice, string? accountId, int status) =>
        O311Format.Result(format, "service_requests", new O311List("request",
        [
            new O311Object().Field("service_request_id", id).Field("service_notice", notice).Field("account_id", accountId),
        ]), status);

    private static double? Number(string? text, string field, Validator v)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        v.Add(field, $"{field} must be a decimal number (WGS84 degrees).");
        return null;
    }

    // ---- GET requests ---------------------------------------------------------------------------

    private sealed record Row(string Id, string Kind, string Status, string? Container, string? CollectionDate, long? Uprn, double? Latitude,
        double? Longitude, DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt, string? MediaUrl);

    private static async Task<IResult> List(HttpContext http, EventStore store, ICouncilDirectory directory, CancellationToken ct)
    {
        var q = http.Request.Query;
        var ids = Csv(q["service_request_id"]);
        if (ids is not null && (ids.Length > 100 || ids.Any(i => i.Length > 64)))
            throw ApiProblemException.Validation("service_request_id", "service_request_id takes up to 100 request ids, comma separated.");
        var kinds = O311Services.Kinds.ToArray();
        if (Csv(q["service_code"]) is { } codes)
        {
            var unknown = codes.FirstOrDefault(c => O311Services.Find(c) is null);
            if (unknown is not null) return O311Format.Error(Format(http), 404, $"There is no service {Clip(unknown)}.");
            kinds = codes.Select(c => O311Services.Find(c)!.Kind).Distinct().ToArray();
        }
        string[]? statuses = null;
        if (Csv(q["status"]) is { } wanted)
        {
            if (wanted.Any(s => s is not ("open" or "closed")))
                throw ApiProblemException.Validation("status", "status must be open or closed (or both, comma separated).");
            statuses = [.. wanted.Contains("open") ? OpenStatuses : [], .. wanted.Contains("closed") ? ClosedStatuses : []];
        }
        var (from, to) = Window(q["start_date"], q["end_date"]);
        var rows = await RowsAsync(store, http.Council(), kinds, ids, from, to, statuses, ct).ConfigureAwait(false);
        return await RequestsAsync(http, directory, rows, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> One(string service_request_id, HttpContext http, EventStore store, ICouncilDirectory directory, CancellationToken ct)
    {
        var rows = service_request_id.Length > 64 ? []
            : await RowsAsync(store, http.Council(), O311Services.Kinds.ToArray(), [service_request_id], default, default, null, ct).ConfigureAwait(false);
        if (rows.Count == 0) return O311Format.Error(Format(http), 404, $"There is no service request {Clip(service_request_id)} in this council.");
        return await RequestsAsync(http, directory, rows, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> RequestsAsync(HttpContext http, ICouncilDirectory directory, List<Row> rows, CancellationToken ct)
    {
        var agency = (await directory.GetAsync(http.Council(), ct).ConfigureAwait(false))?.Name ?? http.Council();
        return O311Format.Result(Format(http), "service_requests", new O311List("request", rows.Select(r => (object?)Request(r, agency)).ToList()));
    }

    /// <summary>A request as the public sees it: what and where, never who or what they wrote.</summary>
    private static O311Object Request(Row r, string agency)
    {
        var service = O311Services.ForKind(r.Kind)!;
        return new O311Object()
            .Field("service_request_id", r.Id)
            .Field("status", WorksOrderStatus.IsOpen(r.Status) ? "open" : "closed")
            .Field("status_notes", "Works order " + WorksOrderStatus.Describe(r.Status))
            .Field("service_name", service.Name)
            .Field("service_code", service.Code)
            .Field("description", r.Kind == WorksOrderKinds.MissedBin ? $"Missed {r.Container} collection of {r.CollectionDate}" : "Fly-tipping to clear")
            .Field("agency_responsible", agency)
            .Field("service_notice", null)
            .Field("requested_datetime", r.RaisedAt)
            .Field("updated_datetime", r.UpdatedAt)
            .Field("expected_datetime", null)
            .Field("address", null)
            .Field("address_id", r.Uprn?.ToString(CultureInfo.InvariantCulture))
            .Field("zipcode", null)
            .Field("lat", r.Latitude)
            .Field("long", r.Longitude)
            .Field("media_url", r.MediaUrl);
    }

    private static async Task<List<Row>> RowsAsync(EventStore store, string council, string[] kinds, string[]? ids, DateTimeOffset from, DateTimeOffset to,
        string[]? statuses, CancellationToken ct)
    {
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        // With ids, the spec ignores every other filter.
        await using var cmd = tx.Command($"""
            select id, kind, status, container, to_char(collection_date, 'YYYY-MM-DD'), uprn, latitude, longitude, raised_at, updated_at, media_url
            from waste.works_orders
            where tenant_id = $1 and kind = any($2)
              and ($3::text[] is null or id = any($3))
              and ($3::text[] is not null or (raised_at >= $4 and raised_at <= $5 and ($6::text[] is null or status = any($6))))
            order by raised_at desc, id desc
            limit {MaxRequests}
            """);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(kinds);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)ids ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)statuses ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            rows.Add(new Row(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7),
                r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetString(10)));
        return rows;
    }

    // ---- GET servicerequestupdates (FixMyStreet) ----------------------------------------------

    private static async Task<IResult> Updates(HttpContext http, EventStore store, CancellationToken ct)
    {
        var (from, to) = Window(http.Request.Query["start_date"], http.Request.Query["end_date"]);
        await using var tx = await store.Database.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        await using var cmd = tx.Command($"""
            select u.update_id, u.works_order_id, u.status, u.updated_at, w.container
            from waste.open311_updates u
            join waste.works_orders w on w.tenant_id = u.tenant_id and w.id = u.works_order_id
            where u.tenant_id = $1 and w.kind = any($2) and u.updated_at >= $3 and u.updated_at <= $4
            order by u.updated_at, u.update_id
            limit {MaxRequests}
            """);
        cmd.Parameters.AddWithValue(http.Council());
        cmd.Parameters.AddWithValue(O311Services.Kinds.ToArray());
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        var items = new List<object?>();
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var status = r.GetString(2);
                var container = r.IsDBNull(4) ? null : r.GetString(4);
                items.Add(new O311Object()
                    .Field("update_id", r.GetString(0))
                    .Field("service_request_id", r.GetString(1))
                    .Field("status", UpdateStatus(status))
                    .Field("updated_datetime", r.GetFieldValue<DateTimeOffset>(3))
                    .Field("description", $"Works order for {WorksOrderStatus.Subject(container)} {WorksOrderStatus.Describe(status)}")
                    .Field("media_url", null)
                    .Field("external_status_code", status));
            }
        return O311Format.Result(Format(http), "service_requests_updates", new O311List("request_update", items));
    }

    /// <summary>FixMyStreet's extended statuses (lower case, as mySociety's open311-adapter sends them; FixMyStreet reads them in any case).</summary>
    internal static string UpdateStatus(string worksOrderStatus) => worksOrderStatus switch
    {
        WorksOrderStatus.Sent => "action_scheduled",
        WorksOrderStatus.Accepted => "in_progress",
        WorksOrderStatus.Completed => "fixed",
        WorksOrderStatus.CouldNotComplete => "no_further_action",
        WorksOrderStatus.Cancelled => "closed",
        _ => "open",
    };

    // ---- shared -------------------------------------------------------------------------------

    /// <summary>start_date/end_date (ISO 8601; a '+' sent unencoded arrives as a space); by default the last 90 days.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Window(string? start, string? end)
    {
        var v = new Validator();
        var from = Date(start, "start_date", v);
        var to = Date(end, "end_date", v);
        v.ThrowIfInvalid();
        var now = DateTimeOffset.UtcNow;
        // Clamped so that dates at the ends of the calendar (year 1, year 9999) are a window, not an overflow.
        var until = to ?? (from > now ? (from.Value > DateTimeOffset.MaxValue - DefaultWindow ? DateTimeOffset.MaxValue : from.Value + DefaultWindow) : now);
        var since = from ?? (until < DateTimeOffset.MinValue + DefaultWindow ? DateTimeOffset.MinValue : until - DefaultWindow);
        if (since > until) throw ApiProblemException.Validation("start_date", "start_date must be before end_date.");
        return (since, until);
    }

    private static DateTimeOffset? Date(string? text, string field, Validator v)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim().Replace(' ', '+');
        if (s.Length <= 40 && s.Contains('T', StringComparison.Ordinal) || s.Length == 10)
            // In UTC: Npgsql writes only offset-zero values to timestamptz, and reporting sites send their local offset.
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime();
        v.Add(field, $"{field} must be an ISO 8601 date and time, like 2026-12-21T09:00:00Z.");
        return null;
    }

    private static string[]? Csv(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : parts;
    }

    /// <summary>Echoes an id or code back in an error without letting a long one fill the response.</summary>
    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex("^[a-z0-9-]{2,40}$")]
    private static partial Regex CouncilId();
}
