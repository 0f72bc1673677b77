using System.Globalization;
using System.Text;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Modules;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>
/// Writes a small, realistic, deterministic DTF 7.3 gazetteer for each seeded council (a few
/// streets in its towns, 150-300 properties: numbered houses, named houses, flats in named
/// buildings, an alternative, a provisional and a historical address), so local mode has addresses.
/// </summary>
internal static class GazetteerSeed
{
    private sealed record SeedStreet(string Name, string? Locality, string Town, string PostcodeDistrict, int Houses);

    private sealed record SeedCouncil(string Custodian, string County, int CustodianCode, int Easting, int Northing, SeedStreet[] Streets);

    private static readonly Dictionary<string, SeedCouncil> Councils = new(StringComparer.Ordinal)
    {
        [SeedCouncils.Cheltenham] = new("Cheltenham Borough Council", "Gloucestershire", 1615, 394900, 222300,
        [
            new("Montpellier Walk", null, "Cheltenham", "GL50 1", 24),
            new("Suffolk Road", null, "Cheltenham", "GL50 2", 40),
            new("Hales Road", null, "Cheltenham", "GL52 6", 44),
            new("Tewkesbury Road", null, "Cheltenham", "GL51 9", 30),
            new("Leckhampton Road", "Leckhampton", "Cheltenham", "GL53 0", 36),
            new("Mill Street", "Prestbury", "Cheltenham", "GL52 3", 20),
        ]),
        [SeedCouncils.Cotswold] = new("Cotswold District Council", "Gloucestershire", 1605, 402300, 201900,
        [
            new("Dyer Street", null, "Cirencester", "GL7 2", 30),
            new("Cricklade Street", null, "Cirencester", "GL7 1", 34),
            new("Victoria Road", null, "Cirencester", "GL7 1", 40),
            new("London Street", "Fairford", "Cirencester", "GL7 4", 26),
            new("Cheltenham Road", "Bagendon", "Cirencester", "GL7 7", 12),
        ]),
        [SeedCouncils.ForestOfDean] = new("Forest of Dean District Council", "Gloucestershire", 1610, 357600, 210600,
        [
            new("Newland Street", null, "Coleford", "GL16 8", 32),
            new("Lords Hill", null, "Coleford", "GL16 8", 24),
            new("Park Road", "Berry Hill", "Coleford", "GL16 7", 30),
            new("High Street", "Sling", "Coleford", "GL16 8", 22),
            new("Bank Street", null, "Coleford", "GL16 8", 18),
        ]),
        [SeedCouncils.WestOxfordshire] = new("West Oxfordshire District Council", "Oxfordshire", 3135, 435700, 209800,
        [
            new("Corn Street", null, "Witney", "OX28 6", 40),
            new("High Street", null, "Witney", "OX28 6", 36),
            new("Bridge Street", null, "Witney", "OX28 1", 30),
            new("Burford Road", null, "Witney", "OX28 5", 34),
            new("Newland", null, "Witney", "OX28 3", 28),
        ]),
    };

    private static readonly string[] HouseNames =
        ["Rose Cottage", "The Old School", "Orchard House", "Ivy Lodge", "The Coach House", "Brook View", "Holly Bank", "The Old Bakery"];

    private static readonly string[] BuildingNames = ["Regency Court", "Mill House", "Priory Mansions", "Kingsmead"];

    private const string PostcodeLetters = "ABDEFGHJLNPQRSTUWXYZ";

    /// <summary>The council's seed gazetteer as DTF 7.3 CSV, or null for a council this seed does not know.</summary>
    public static string? Csv(string council)
    {
        if (!Councils.TryGetValue(council, out var c)) return null;
        var random = new Random(c.CustodianCode);
        var csv = new StringBuilder();
        var records = 0;
        const string date = "2024-04-01";
        void Row(params object?[] fields)
        {
            csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
            records++;
        }

        Row(10, "I", 0, c.Custodian, c.CustodianCode, date, 1, date, "09:00:00", "7.3", "F");
        var uprn = c.CustodianCode * 10_000_000L;
        var lpi = 0;
        for (var s = 0; s < c.Streets.Length; s++)
        {
            var street = c.Streets[s];
            var usrn = c.CustodianCode * 10_000L + s + 1;
            Row(11, "I", 0, usrn, 1, c.CustodianCode, 2, date, 1, 8, 1, date, date, "1990-01-01", null,
                c.Easting + s * 100, c.Northing, c.Easting + s * 100 + 400, c.Northing + 50, 10);
            Row(15, "I", 0, usrn, street.Name, street.Locality, street.Town, c.County, "ENG");
            var unit = random.Next(1, 9);
            for (var n = 1; n <= street.Houses; n++)
            {
                uprn++;
                var postcode = $"{street.PostcodeDistrict}{PostcodeLetters[(n + s) % 20]}{PostcodeLetters[(n / 6 + s * 3) % 20]}";
                var x = c.Easting + s * 100 + n * 8;
                var y = c.Northing + random.Next(0, 60);
                var named = n % 11 == 0;
                var flats = n % 13 == 0;
                Row(21, "I", 0, uprn, 1, 2, date, flats ? "PP" : "RD04", null, $"{x}.00", $"{y}.00", 1, c.CustodianCode,
                    "1990-01-01", null, date, date, null, null, null, null, null, null);
                Lpi(uprn, 1, null, named ? null : n, named ? null : (n % 17 == 0 ? "A" : null), named ? HouseNames[(n + s) % HouseNames.Length] : null,
                    usrn, postcode);
                if (named && n % 22 == 0)
                    Lpi(uprn, 3, null, n, null, null, usrn, postcode); // its number, as an alternative address
                if (flats)
                {
                    var building = uprn;
                    for (var f = 1; f <= 4; f++)
                    {
                        uprn++;
                        Row(21, "I", 0, uprn, 1, 2, date, "RD06", building, $"{x}.00", $"{y}.00", 1, c.CustodianCode,
                            "1990-01-01", null, date, date, null, null, null, null, null, null);
                        Lpi(uprn, 1, $"Flat {f}", n, null, BuildingNames[(s + n) % BuildingNames.Length], usrn, postcode);
                    }
                }
            }
            // A provisional new build at the end of the first street, and a demolished (historical) one.
            if (s == 0)
            {
                uprn++;
                Row(21, "I", 0, uprn, 6, 1, date, "RD04", null, $"{c.Easting}.00", $"{c.Northing}.00", 1, c.CustodianCode,
                    date, null, date, date, null, null, null, null, null, null);
                Lpi(uprn, 6, null, street.Houses + 1 + unit, null, null, usrn, $"{street.PostcodeDistrict}ZZ");
                uprn++;
                Row(21, "I", 0, uprn, 8, 4, date, "RD04", null, $"{c.Easting}.00", $"{c.Northing}.00", 1, c.CustodianCode,
                    "1950-01-01", "2001-06-30", date, date, null, null, null, null, null, null);
                Lpi(uprn, 8, null, null, null, "Old Smithy", usrn, $"{street.PostcodeDistrict}ZY");
            }
        }
        Row(99, "I", 0, 0, records + 1, date, "09:00:00");
        return csv.ToString();

        void Lpi(long u, int status, string? saoText, int? paoNumber, string? paoSuffix, string? paoText, long usrn, string postcode)
        {
            lpi++;
            var key = $"{c.CustodianCode}L{lpi:D9}";
            Row(24, "I", 0, u, key, "ENG", status, "1990-01-01", status == 8 ? "2001-06-30" : null, date, date,
                null, null, null, null, saoText, paoNumber, paoSuffix, null, null, paoText, usrn, null, "Y", postcode,
                c.Streets[0].Town.ToUpperInvariant(), "Y", null, null, null);
        }
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        string s when s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) || s.Contains(' ', StringComparison.Ordinal)
            => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Loads each seeded council's gazetteer through the importer; re-running changes nothing.</summary>
internal sealed partial class GazetteerSeeder(GazetteerImporter importer, ILogger<GazetteerSeeder> logger) : ILocalSeeder
{
    public int Order => 20;

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var council in SeedCouncils.All)
        {
            if (GazetteerSeed.Csv(council) is not { } csv) continue;
            using var reader = new StringReader(csv);
            var report = await importer.ImportAsync(council, reader, ct: ct).ConfigureAwait(false);
            LogSeeded(logger, council, report.Imported, report.Updated, report.Rejected.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gazetteer seed for {Council}: {Imported} imported, {Updated} updated, {Rejected} rejected")]
    private static partial void LogSeeded(ILogger logger, string council, int imported, int updated, int rejected);
}
