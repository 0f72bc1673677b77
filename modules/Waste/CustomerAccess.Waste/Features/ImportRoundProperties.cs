using System.Globalization;
using System.Text;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// POST /waste/rounds/{id}/properties/imports (partnership-admin), body <c>text/csv</c>: puts every property the file
/// names on the round, adding to what is on it (PUT /properties replaces the list; this never takes one off). A header
/// row names the columns; the <c>uprn</c> column is read, the others ignored. Good rows load, bad rows are reported
/// with their line (not a UPRN, the same UPRN as an earlier line, not a current address in the council's gazetteer),
/// and importing the same file again changes nothing. The whole file is one <c>waste.round-properties-changed</c>
/// event, projected with set-based statements; a property on another round of the container moves here, as with
/// PUT. A retired round takes no file (409).
/// </summary>
internal static partial class ConfigureRounds
{
    /// <summary>The most data rows one file may hold.</summary>
    public const int MaxImportRows = 10_000;

    /// <summary>The largest file taken (10,000 rows of a UPRN and an address fit well within it).</summary>
    public const long MaxImportBytes = 4L * 1024 * 1024;

    internal sealed record ImportRejection(int Line, string Reason);

    /// <summary>The import's answer: how many properties were put on the round, how many were on it already, what moved here and what was refused.</summary>
    internal sealed record ImportReport(int Added, int AlreadyOnRound, IReadOnlyList<MovedProperty> MovedFrom, IReadOnlyList<ImportRejection> Rejected);

    /// <summary>The import's outcome: the report, or (a screen form sent again with its submission key) the first one's counts.</summary>
    internal sealed record ImportOutcome(ImportReport? Report, string? Replayed, long? Position);

    /// <summary>A UPRN the file names, with the line it is on.</summary>
    internal sealed record CsvUprn(int Line, long Uprn);

    internal sealed record ParsedCsv(IReadOnlyList<CsvUprn> Uprns, IReadOnlyList<ImportRejection> Rejected);

    public const string NotAUprn = "Not a UPRN: a UPRN is a whole number of 1 to 12 digits.";
    public const string NoUprn = "No UPRN on this line.";
    public const string NotInGazetteer = "Not a current address in the council's gazetteer.";

    public static string Duplicate(int line) => $"The same UPRN as line {line.ToString(CultureInfo.InvariantCulture)}: it is taken once.";

    private static void MapImports(RouteGroupBuilder api) =>
        api.MapPost("/waste/rounds/{id}/properties/imports", Import).RequireAuthorization(Policies.PartnershipAdmin).WithName("ImportWasteRoundProperties")
            .Accepts<string>("text/csv").WithMetadata(new MachineMadeCsv());

    private static async Task<IResult> Import(string id, HttpContext http, EventStore store, IMediator mediator, CancellationToken ct)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !string.Equals(type.MediaType.Value, "text/csv", StringComparison.OrdinalIgnoreCase))
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the round's properties as text/csv: a header row with a uprn column, then one property a line.");
        if (request.ContentLength > MaxImportBytes) throw TooLarge();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxImportBytes;

        using var reader = new StreamReader(request.Body, type.Encoding ?? Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var parsed = await ParseCsvAsync(reader, ct).ConfigureAwait(false);
        var outcome = await ImportAsync(store, mediator, http.Council(), http.EventContext(), id, parsed, submissionKey: null, fingerprint: null, ct)
            .ConfigureAwait(false);
        if (outcome.Position is { } position) EventPositionHeader.Set(http, position);
        return Results.Ok(outcome.Report);
    }

    private static ApiProblemException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "Payload too large",
        $"A file may be at most {MaxImportBytes / (1024 * 1024)} MB and {MaxImportRows.ToString("N0", CultureInfo.InvariantCulture)} rows: split it and import each part.");

    /// <summary>
    /// Reads the file (RFC 4180: commas, double-quoted fields with "" inside and line breaks allowed; blank lines skipped).
    /// Lines are counted from 1 (the header). 400 on <c>file</c> when there is no header with a <c>uprn</c> column or the
    /// file has more than <see cref="MaxImportRows"/> rows. Each good UPRN once, at its first line.
    /// </summary>
    internal static async Task<ParsedCsv> ParseCsvAsync(TextReader reader, CancellationToken ct)
    {
        var uprns = new List<CsvUprn>();
        var rejected = new List<ImportRejection>();
        var seen = new Dictionary<long, int>();
        var column = -1;
        var rows = 0;
        await foreach (var (line, fields) in RecordsAsync(reader, ct).ConfigureAwait(false))
        {
            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0])) continue;
            if (column < 0)
            {
                column = fields.FindIndex(f => string.Equals(f.Trim().TrimStart('\uFEFF'), "uprn", StringComparison.OrdinalIgnoreCase));
                if (column < 0)
                    throw ApiProblemException.Validation("file",
                        "The first line must be a header row naming the columns, one of them uprn (the others are ignored).");
                continue;
            }
            if (++rows > MaxImportRows) throw TooLarge();
            var text = column < fields.Count ? fields[column].Trim() : "";
            if (text.Length == 0)
                rejected.Add(new ImportRejection(line, NoUprn));
            else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uprn) || uprn is <= 0 or > Rounds.MaxUprn)
                rejected.Add(new ImportRejection(line, NotAUprn));
            else if (seen.TryGetValue(uprn, out var first))
                rejected.Add(new ImportRejection(line, Duplicate(first)));
            else
            {
                seen[uprn] = line;
                uprns.Add(new CsvUprn(line, uprn));
            }
        }
        if (column < 0) throw ApiProblemException.Validation("file", "The file is empty: send a header row with a uprn column, then one property a line.");
        return new ParsedCsv(uprns, rejected);
    }

    /// <summary>The file's records, each with the line it starts on.</summary>
    private static async IAsyncEnumerable<(int Line, List<string> Fields)> RecordsAsync(TextReader reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var line = 1;
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        var buffer = new char[16 * 1024];
        int read;
        var pendingQuote = false; // a quote inside a quoted field: the end of it, or the first of ""
        var pendingCr = false;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (pendingCr)
                {
                    pendingCr = false;
                    if (c == '\n') continue;
                }
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (c == '"') { field.Append('"'); continue; }
                    quoted = false;
                }
                if (quoted)
                {
                    if (c == '"') pendingQuote = true;
                    else
                    {
                        if (c == '\n') line++;
                        else if (c == '\r') { line++; pendingCr = true; }
                        field.Append(c);
                    }
                    continue;
                }
                switch (c)
                {
                    case '"' when field.Length == 0:
                        quoted = true;
                        any = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        any = true;
                        break;
                    case '\r' or '\n':
                        fields.Add(field.ToString());
                        yield return (start, fields);
                        fields = [];
                        field.Clear();
                        any = false;
                        line++;
                        start = line;
                        pendingCr = c == '\r';
                        break;
                    default:
                        field.Append(c);
                        any = true;
                        break;
                }
            }
        }
        if (any || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }

    /// <summary>
    /// The import's core, shared by the route and the admin screen. The gazetteer is asked (the mediator's
    /// <see cref="FindGazetteerAddress"/>, one question per UPRN not on the round already: contracts have no batch
    /// question) before the round's row is locked, so other changes to the round do not wait on it; then, with the
    /// lock, what the file adds is decided again against the round as it now is and written as one event. With a
    /// <paramref name="submissionKey"/> (the screen's form) the key is claimed in the same transaction: a replay writes
    /// nothing and answers the first import's counts.
    /// </summary>
    internal static async Task<ImportOutcome> ImportAsync(EventStore store, IMediator mediator, string council, EventContext context, string id,
        ParsedCsv file, string? submissionKey, string? fingerprint, CancellationToken ct)
    {
        IReadOnlySet<long> before;
        await using (var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false))
        {
            var round = await LoadAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
            if (round.IsRetired) throw Retired(round, "it takes no new properties");
            before = await SinglesAsync(tx, id, ct).ConfigureAwait(false);
        }

        var checkedUprns = new Dictionary<long, bool>();
        async Task<bool> InGazetteerAsync(long uprn)
        {
            if (!checkedUprns.TryGetValue(uprn, out var known))
                checkedUprns[uprn] = known = await mediator.Send(new FindGazetteerAddress(council, uprn), ct).ConfigureAwait(false) is { Current: true };
            return known;
        }
        foreach (var row in file.Uprns)
            if (!before.Contains(row.Uprn)) await InGazetteerAsync(row.Uprn).ConfigureAwait(false);

        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        if (fingerprint is not null && await session.ClaimSubmissionAsync(submissionKey, "waste.round-property-import", fingerprint, ct).ConfigureAwait(false) is { } earlier)
            return new ImportOutcome(null, earlier, null);
        var locked = await LoadAsync(session.Db, id, forUpdate: true, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
        if (locked.IsRetired) throw Retired(locked, "it takes no new properties");
        var current = await SinglesAsync(session.Db, id, ct).ConfigureAwait(false);

        var added = new List<long>();
        var already = 0;
        var rejected = new List<ImportRejection>(file.Rejected);
        foreach (var row in file.Uprns)
        {
            if (current.Contains(row.Uprn)) already++;
            // A property taken off since the first look was not asked about: it is asked now.
            else if (await InGazetteerAsync(row.Uprn).ConfigureAwait(false)) added.Add(row.Uprn);
            else rejected.Add(new ImportRejection(row.Line, NotInGazetteer));
        }
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));

        IReadOnlyList<MovedProperty> moved = [];
        if (added.Count > 0)
        {
            added.Sort();
            moved = await MovedFromAsync(session.Db, locked, added, ct).ConfigureAwait(false);
            await session.AppendAsync(ConfigurationStreams.Round(id), ExpectedVersion.Any,
                [new RoundPropertiesChanged(id, locked.Container, added, [], moved)], ct: ct).ConfigureAwait(false);
        }
        var report = new ImportReport(added.Count, already, moved, rejected);
        await session.CompleteSubmissionAsync(Counts(report), ct).ConfigureAwait(false);
        var position = await session.CommitAsync(ct).ConfigureAwait(false);
        return new ImportOutcome(report, null, added.Count > 0 ? position : null);
    }

    /// <summary>The counts a screen's submission key keeps ("added,alreadyOnRound,rejected"), shown again for a replay.</summary>
    internal static string Counts(ImportReport report) => string.Join(',',
        report.Added.ToString(CultureInfo.InvariantCulture), report.AlreadyOnRound.ToString(CultureInfo.InvariantCulture),
        report.Rejected.Count.ToString(CultureInfo.InvariantCulture));
}
