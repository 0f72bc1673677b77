using System.Globalization;
using System.Text;

namespace CustomerAccess.Customer.Gazetteer;

// BS 7666 Data Transfer Format 7.3 (../shared/formats/llpg-dtf73.md): one CSV of mixed records,
// each line "RECORD_IDENTIFIER, CHANGE_TYPE, PRO_ORDER, fields...". The reader splits CSV; the
// parser turns one row into a typed record or a rejection with a reason a custodian can act on.

internal enum ChangeType { Insert, Update, Delete }

internal abstract record Dtf73Record(int Line, ChangeType Change);

internal sealed record HeaderRecord(int Line, ChangeType Change, string? Custodian, string Version, string? FileType) : Dtf73Record(Line, Change);

internal sealed record TrailerRecord(int Line, ChangeType Change, long? RecordCount) : Dtf73Record(Line, Change);

internal sealed record StreetRecord(
    int Line, ChangeType Change, long Usrn, short? RecordType, string? NamingAuthority, short? State, DateOnly? StateDate,
    short? Classification, DateOnly? StartDate, DateOnly? EndDate, DateOnly? LastUpdateDate) : Dtf73Record(Line, Change);

internal sealed record StreetDescriptorRecord(
    int Line, ChangeType Change, long Usrn, string Description, string? Locality, string? Town, string? AdministrativeArea,
    string Language) : Dtf73Record(Line, Change);

internal sealed record BlpuRecord(
    int Line, ChangeType Change, long Uprn, short LogicalStatus, short? BlpuState, DateOnly? StateDate, string? BlpuClass,
    long? ParentUprn, decimal? Easting, decimal? Northing, short? Rpc, int? LocalCustodianCode, DateOnly? StartDate,
    DateOnly? EndDate, DateOnly? LastUpdateDate, string? Organisation, string? WardCode, string? ParishCode) : Dtf73Record(Line, Change);

/// <summary>A number range with suffixes ("12A", "1-3", "2A-2C"): half of an SAO or a PAO.</summary>
internal sealed record NumberRange(int? StartNumber, string? StartSuffix, int? EndNumber, string? EndSuffix)
{
    public static readonly NumberRange None = new(null, null, null, null);
}

internal sealed record LpiRecord(
    int Line, ChangeType Change, long Uprn, string LpiKey, string? Language, short LogicalStatus, DateOnly? StartDate,
    DateOnly? EndDate, DateOnly? LastUpdateDate, NumberRange SaoNumbers, string? SaoText, NumberRange PaoNumbers,
    string? PaoText, long Usrn, string? Level, string? PostalAddress, string? Postcode, string? PostTown,
    string? OfficialFlag) : Dtf73Record(Line, Change);

internal sealed record ImportRejection(int Line, string Reason);

/// <summary>Splits CSV into rows of fields: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF.</summary>
internal static class Dtf73Reader
{
    public static IEnumerable<(int Line, string[] Fields)> ReadRows(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var inQuotes = false;
        var rowHasContent = false;
        while (true)
        {
            var c = reader.Read();
            if (c == -1)
            {
                if (rowHasContent || fields.Count > 0 || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    yield return (rowStart, fields.ToArray());
                }
                yield break;
            }
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inQuotes = true;
                    rowHasContent = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    rowHasContent = true;
                    break;
                case '\r':
                    if (reader.Peek() == '\n') reader.Read();
                    goto case '\n';
                case '\n':
                    if (rowHasContent || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (rowStart, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    rowHasContent = false;
                    line++;
                    rowStart = line;
                    break;
                default:
                    field.Append((char)c);
                    rowHasContent = true;
                    break;
            }
        }
    }
}

/// <summary>Turns one CSV row into a typed DTF 7.3 record, or says why it cannot.</summary>
internal static class Dtf73Parser
{
    /// <summary>Field counts including the three leading fields.</summary>
    private static readonly Dictionary<string, (int Count, string Name)> Layouts = new(StringComparer.Ordinal)
    {
        ["10"] = (11, "header"),
        ["11"] = (20, "street"),
        ["15"] = (9, "street descriptor"),
        ["21"] = (23, "BLPU"),
        ["24"] = (30, "LPI"),
        ["99"] = (7, "trailer"),
    };

    public static IEnumerable<(Dtf73Record? Record, ImportRejection? Rejection)> Parse(TextReader reader)
    {
        foreach (var (line, fields) in Dtf73Reader.ReadRows(reader))
        {
            Dtf73Record? record = null;
            ImportRejection? rejection = null;
            try
            {
                record = ParseRow(line, fields);
            }
            catch (RowException e)
            {
                rejection = new ImportRejection(line, e.Message);
            }
            yield return (record, rejection);
        }
    }

    public static Dtf73Record ParseRow(int line, string[] fields)
    {
        // PostgreSQL text cannot hold U+0000: such a row would fail the whole import, not just itself.
        if (fields.Any(f => f.Contains('\0', StringComparison.Ordinal)))
            throw new RowException("the row contains the NUL character (U+0000)");
        var id = fields[0].Trim().TrimStart('\uFEFF');
        if (!Layouts.TryGetValue(id, out var layout))
            throw new RowException($"unknown record type '{Shorten(id)}' (expected 10, 11, 15, 21, 24 or 99)");
        if (fields.Length != layout.Count)
            throw new RowException($"{layout.Name} record (type {id}) has {fields.Length} fields; DTF 7.3 has {layout.Count}");
        var f = new Fields(fields);
        var change = f.Text(1) switch
        {
            "I" or "i" => ChangeType.Insert,
            "U" or "u" => ChangeType.Update,
            "D" or "d" => ChangeType.Delete,
            var other => throw new RowException($"change type '{Shorten(other ?? "")}' is not I, U or D"),
        };
        return id switch
        {
            "10" => ParseHeader(line, change, f),
            "99" => new TrailerRecord(line, change, f.Long(4, 12, "record count", optional: true)),
            "11" => ParseStreet(line, change, f),
            "15" => ParseStreetDescriptor(line, change, f),
            "21" => ParseBlpu(line, change, f),
            "24" => ParseLpi(line, change, f),
            _ => throw new RowException($"unknown record type '{id}'"),
        };
    }

    private static HeaderRecord ParseHeader(int line, ChangeType change, Fields f)
    {
        f.Date(5, "process date");
        f.Date(7, "entry date");
        var version = f.Text(9) ?? "";
        if (version != "7.3") throw new RowException($"header says version '{Shorten(version)}'; this importer reads DTF 7.3");
        return new HeaderRecord(line, change, f.Text(3), version, f.Text(10));
    }

    private static StreetRecord ParseStreet(int line, ChangeType change, Fields f)
    {
        if (change == ChangeType.Delete)
            return new StreetRecord(line, change, f.Usrn(3), null, null, null, null, null, null, null, null);
        f.Date(11, "entry date");
        return new StreetRecord(line, change, f.Usrn(3), f.Short(4, "street record type"), f.Text(5), f.Short(6, "street state"),
            f.Date(7, "state date"), f.Short(9, "street classification"), f.Date(13, "start date"), f.Date(14, "end date"),
            f.Date(12, "last update date"));
    }

    private static StreetDescriptorRecord ParseStreetDescriptor(int line, ChangeType change, Fields f)
    {
        var language = f.Text(8)?.ToUpperInvariant() ?? "ENG";
        if (change == ChangeType.Delete)
            return new StreetDescriptorRecord(line, change, f.Usrn(3), "", null, null, null, language);
        return new StreetDescriptorRecord(line, change, f.Usrn(3),
            f.Text(4) ?? throw new RowException("street descriptor has no street description"),
            f.Text(5), f.Text(6), f.Text(7), language);
    }

    private static BlpuRecord ParseBlpu(int line, ChangeType change, Fields f)
    {
        if (change == ChangeType.Delete)
            return new BlpuRecord(line, change, f.Uprn(3), 1, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        f.Date(16, "entry date");
        return new BlpuRecord(line, change, f.Uprn(3), f.LogicalStatus(4), f.Short(5, "BLPU state"), f.Date(6, "state date"),
            f.Text(7), f.Long(8, 12, "parent UPRN", optional: true), f.Decimal(9, "X"), f.Decimal(10, "Y"),
            f.Short(11, "RPC"), (int?)f.Long(12, 4, "local custodian code", optional: true), f.Date(13, "start date"),
            f.Date(14, "end date"), f.Date(15, "last update date"), f.Text(17), f.Text(18), f.Text(19));
    }

    private static LpiRecord ParseLpi(int line, ChangeType change, Fields f)
    {
        var uprn = f.Uprn(3);
        var key = f.Text(4) ?? throw new RowException("LPI has no LPI key");
        if (key.Length > 14) throw new RowException($"LPI key '{Shorten(key)}' is longer than 14 characters");
        if (change == ChangeType.Delete)
            return new LpiRecord(line, change, uprn, key, null, 1, null, null, null, NumberRange.None, null, NumberRange.None, null, 0,
                null, null, null, null, null);
        f.Date(9, "entry date");
        return new LpiRecord(line, change, uprn, key, f.Text(5)?.ToUpperInvariant(), f.LogicalStatus(6), f.Date(7, "start date"),
            f.Date(8, "end date"), f.Date(10, "last update date"),
            f.Range(11, "SAO"), f.Text(15), f.Range(16, "PAO"), f.Text(20),
            f.Usrn(21), f.Text(22), f.Text(23), NormalisePostcode(f.Text(24)), f.Text(25), f.Text(26));
    }

    /// <summary>"gl50 1aa" → "GL50 1AA"; a postcode without its space gets one before the last three characters.</summary>
    public static string? NormalisePostcode(string? postcode)
    {
        if (postcode is null) return null;
        var compact = new string(postcode.Where(ch => !char.IsWhiteSpace(ch)).ToArray()).ToUpperInvariant();
        return compact.Length is >= 5 and <= 7 ? compact[..^3] + " " + compact[^3..] : compact;
    }

    private static string Shorten(string s) => s.Length > 20 ? s[..20] + "…" : s;

    private readonly struct Fields(string[] values)
    {
        public string? Text(int i)
        {
            var v = values[i].Trim();
            return v.Length == 0 ? null : v;
        }

        public long? Long(int i, int maxDigits, string name, bool optional)
        {
            var v = Text(i);
            if (v is null)
                return optional ? null : throw new RowException($"{name} is missing");
            if (v.Length > maxDigits || !v.All(char.IsAsciiDigit))
                throw new RowException($"{name} '{Shorten(v)}' is not an integer of up to {maxDigits} digits");
            return long.Parse(v, CultureInfo.InvariantCulture);
        }

        public long Uprn(int i) => Long(i, 12, "UPRN", optional: false)!.Value;

        public long Usrn(int i) => Long(i, 8, "USRN", optional: false)!.Value;

        public short? Short(int i, string name) => (short?)Long(i, 4, name, optional: true);

        public short LogicalStatus(int i)
        {
            var v = Text(i);
            return v switch
            {
                "1" => 1, "3" => 3, "6" => 6, "8" => 8,
                _ => throw new RowException($"logical status '{Shorten(v ?? "")}' is not 1, 3, 6 or 8"),
            };
        }

        public DateOnly? Date(int i, string name)
        {
            var v = Text(i);
            if (v is null) return null;
            return DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new RowException($"{name} '{Shorten(v)}' is not a date (YYYY-MM-DD)");
        }

        public decimal? Decimal(int i, string name)
        {
            var v = Text(i);
            if (v is null) return null;
            return decimal.TryParse(v, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d)
                   && Math.Abs(d) < 100_000_000m
                ? d
                : throw new RowException($"{name} '{Shorten(v)}' is not a coordinate");
        }

        public NumberRange Range(int i, string part)
        {
            var start = (int?)Long(i, 4, $"{part} start number", optional: true);
            var startSuffix = Suffix(i + 1, $"{part} start suffix");
            var end = (int?)Long(i + 2, 4, $"{part} end number", optional: true);
            var endSuffix = Suffix(i + 3, $"{part} end suffix");
            if (start is null && (startSuffix is not null || end is not null))
                throw new RowException($"{part} has a suffix or end number but no start number");
            if (end is null && endSuffix is not null)
                throw new RowException($"{part} has an end suffix but no end number");
            return new NumberRange(start, startSuffix, end, endSuffix);
        }

        private string? Suffix(int i, string name)
        {
            var v = Text(i);
            if (v is null) return null;
            return v.Length <= 2 && v.All(char.IsAsciiLetter)
                ? v.ToUpperInvariant()
                : throw new RowException($"{name} '{Shorten(v)}' is not a letter suffix");
        }
    }
}

internal sealed class RowException(string message) : Exception(message);
