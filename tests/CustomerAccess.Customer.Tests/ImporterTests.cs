using CustomerAccess.Customer.Gazetteer;
using CustomerAccess.Testing;

namespace CustomerAccess.Customer.Tests;

public class ImporterTests
{
    private const string Council = "cheltenham";
    private const long HighStreet = 16150001, MillStreet = 16150002;
    private const long House1 = 161500000001, House2 = 161500000002, Flats = 161500000003;

    private TestDatabase _db = null!;
    private GazetteerImporter _importer = null!;

    [SetUp]
    public async Task SetUp()
    {
        _db = await TestDatabase.CreateAsync(typeof(CustomerModule).Assembly);
        _importer = new GazetteerImporter(_db.Database);
    }

    [TearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private static readonly string FullFile = Dtf.File(
        Dtf.Header(),
        Dtf.Street(HighStreet),
        Dtf.Descriptor(HighStreet, "High Street", null, "Cheltenham"),
        Dtf.Street(MillStreet),
        Dtf.Descriptor(MillStreet, "Mill Street", "Prestbury", "Cheltenham"),
        Dtf.Blpu(House1),
        Dtf.Blpu(House2),
        Dtf.Blpu(Flats, blpuClass: "PP"),
        Dtf.Lpi(House1, "1615L000000001", HighStreet, "GL50 1AA", pao: Dtf.Part(12, "A")),
        Dtf.Lpi(House2, "1615L000000002", MillStreet, "GL52 3BB", pao: Dtf.Part(text: "Rose Cottage")),
        Dtf.Lpi(House2, "1615L000000003", MillStreet, "GL52 3BB", status: 8, pao: Dtf.Part(text: "Old Rose Cottage")),
        Dtf.Lpi(Flats, "1615L000000004", HighStreet, "GL50 1AB", sao: Dtf.Part(2, text: "Flat"), pao: Dtf.Part(14, null, 16, null, "Regency Court, East")),
        Dtf.Lpi(999999999999, "1615L000000005", HighStreet, "GL50 1AC", pao: Dtf.Part(20)),    // line 13: no BLPU
        Dtf.Lpi(House1, "1615L000000006", 99999999, "GL50 1AA", pao: Dtf.Part(21)),            // line 14: no street
        "21,I,0,notanumber,1,2,2024-01-01,RD04,,1,1,1,1615,,,,,,,,,,",                         // line 15: bad UPRN
        Dtf.Trailer(16));

    private Task<ImportReport> Import(string csv, string council = Council) => _importer.ImportAsync(council, new StringReader(csv));

    [Test]
    public async Task A_full_file_loads_its_good_rows_and_reports_the_bad_ones_by_line()
    {
        var report = await Import(FullFile);

        Assert.Multiple(() =>
        {
            Assert.That(report.Imported, Is.EqualTo(2 + 2 + 3 + 4), "2 streets, 2 descriptors, 3 BLPUs, 4 LPIs");
            Assert.That(report.Updated, Is.Zero);
            Assert.That(report.Deleted, Is.Zero);
            Assert.That(report.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 13, 14, 15 }));
            Assert.That(report.Rejected[0].Reason, Does.Contain("UPRN 999999999999 has no BLPU"));
            Assert.That(report.Rejected[1].Reason, Does.Contain("USRN 99999999 has no street"));
            Assert.That(report.Rejected[2].Reason, Does.Contain("UPRN 'notanumber'"));
        });

        await using var tx = await _db.Database.BeginAsync(Council);
        var flat = await GazetteerQueries.FindAsync(tx, Flats);
        Assert.That(flat!.Lines, Is.EqualTo(new[] { "Flat 2", "Regency Court, East", "14-16 High Street", "Cheltenham" }));
        Assert.That(flat.Postcode, Is.EqualTo("GL50 1AB"));
        var cottage = await GazetteerQueries.FindAsync(tx, House2);
        Assert.That(cottage!.Lines, Is.EqualTo(new[] { "Rose Cottage", "Mill Street", "Prestbury", "Cheltenham" }), "the approved LPI, not the historical one");
    }

    [Test]
    public async Task Re_importing_the_same_file_changes_nothing()
    {
        await Import(FullFile);
        var again = await Import(FullFile);
        Assert.That((again.Imported, again.Updated, again.Deleted), Is.EqualTo((0, 0, 0)));
        Assert.That(again.Rejected, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_change_only_file_updates_and_deletes()
    {
        await Import(FullFile);
        var change = Dtf.File(
            Dtf.Header("C"),
            Dtf.Descriptor(HighStreet, "High Street North", null, "Cheltenham", change: "U"),
            Dtf.Lpi(House1, "1615L000000001", HighStreet, "GL50 1ZZ", change: "U", pao: Dtf.Part(12, "A")),
            "24,D,0," + House2 + ",1615L000000003" + new string(',', 25),
            "21,D,0," + Flats + new string(',', 19),
            Dtf.Blpu(House2, change: "U", status: 1, blpuClass: "RD02"),
            Dtf.Lpi(House2, "1615L000000007", HighStreet, "GL50 1AD", status: 3, pao: Dtf.Part(30)),
            Dtf.Lpi(Flats, "1615L000000008", HighStreet, "GL50 1AB", pao: Dtf.Part(14)),
            Dtf.Trailer());

        var report = await Import(change);

        Assert.Multiple(() =>
        {
            Assert.That(report.Updated, Is.EqualTo(3), "descriptor, LPI postcode, BLPU class");
            Assert.That(report.Imported, Is.EqualTo(1), "the alternative LPI on an existing BLPU");
            Assert.That(report.Deleted, Is.EqualTo(2), "the historical LPI and the block of flats");
            Assert.That(report.Rejected.Single().Line, Is.EqualTo(8), "an LPI for the BLPU deleted in the same file");
        });
        await using var tx = await _db.Database.BeginAsync(Council);
        var house = await GazetteerQueries.FindAsync(tx, House1);
        Assert.That(house!.Lines, Is.EqualTo(new[] { "12A High Street North", "Cheltenham" }));
        Assert.That(house.Postcode, Is.EqualTo("GL50 1ZZ"));
        Assert.That(await GazetteerQueries.FindAsync(tx, Flats), Is.Null);
        var (items, _) = await GazetteerQueries.SearchAsync(tx, "high street north", 10, 0);
        Assert.That(items.Select(i => i.Uprn), Is.EquivalentTo(new[] { House1, House2 }));
    }

    [Test]
    public async Task A_renamed_street_re_renders_addresses_the_file_does_not_carry()
    {
        await Import(FullFile);
        var report = await Import(Dtf.File(Dtf.Descriptor(MillStreet, "Mill Lane", "Prestbury", "Cheltenham", change: "U")));
        Assert.That(report.Updated, Is.EqualTo(1));
        await using var tx = await _db.Database.BeginAsync(Council);
        Assert.That((await GazetteerQueries.FindAsync(tx, House2))!.Lines, Does.Contain("Mill Lane"));
        var (items, _) = await GazetteerQueries.SearchAsync(tx, "mill lane", 10, 0);
        Assert.That(items.Select(i => i.Uprn), Is.EqualTo(new[] { House2 }));
    }

    [Test]
    public async Task Lookup_matches_postcodes_streets_numbers_and_names_but_not_historical_addresses()
    {
        await Import(FullFile);
        await using var tx = await _db.Database.BeginAsync(Council);
        async Task<long[]> Find(string q) => (await GazetteerQueries.SearchAsync(tx, q, 50, 0)).Items.Select(i => i.Uprn).ToArray();

        Assert.Multiple(async () =>
        {
            Assert.That(await Find("GL50 1AA"), Is.EqualTo(new[] { House1 }));
            Assert.That(await Find("gl501aa"), Is.EqualTo(new[] { House1 }));
            Assert.That(await Find("gl50 1aa"), Is.EqualTo(new[] { House1 }));
            Assert.That(await Find("GL50"), Is.EquivalentTo(new[] { House1, Flats }));
            Assert.That(await Find("12a high"), Is.EqualTo(new[] { House1 }));
            Assert.That(await Find("12 high"), Is.Empty, "12 is not 12A");
            Assert.That(await Find("rose cott"), Is.EqualTo(new[] { House2 }));
            Assert.That(await Find("old rose cottage"), Is.Empty, "historical LPI");
            Assert.That(await Find("regency"), Is.EqualTo(new[] { Flats }));
            Assert.That(await Find("prestbury"), Is.EqualTo(new[] { House2 }));
        });
    }

    [Test]
    public async Task One_council_never_sees_another_councils_gazetteer()
    {
        await Import(FullFile);
        await using var tx = await _db.Database.BeginAsync("cotswold");
        Assert.That(await GazetteerQueries.FindAsync(tx, House1), Is.Null);
        Assert.That((await GazetteerQueries.SearchAsync(tx, "high street", 10, 0)).Items, Is.Empty);
        Assert.That((await GazetteerQueries.SearchAsync(tx, "GL50", 10, 0)).Items, Is.Empty);
    }

    [Test]
    public async Task An_lpi_may_refer_to_a_blpu_and_street_already_in_the_gazetteer()
    {
        await Import(FullFile);
        var report = await Import(Dtf.File(Dtf.Lpi(House1, "1615L000000009", MillStreet, "GL52 3BC", status: 3, pao: Dtf.Part(1))));
        Assert.That(report.Imported, Is.EqualTo(1));
        Assert.That(report.Rejected, Is.Empty);
    }

    [Test]
    public async Task The_seed_gazetteer_of_every_council_imports_cleanly_and_idempotently()
    {
        foreach (var council in Contracts.SeedCouncils.All)
        {
            var csv = GazetteerSeed.Csv(council)!;
            var first = await Import(csv, council);
            Assert.That(first.Rejected, Is.Empty, council);
            await using (var tx = await _db.Database.BeginAsync(council))
            {
                var count = await tx.Command("select count(*) from customer.properties").ExecuteScalarAsync();
                Assert.That(count, Is.InRange(150L, 320L), council);
            }
            var second = await Import(csv, council);
            Assert.That((second.Imported, second.Updated, second.Deleted), Is.EqualTo((0, 0, 0)), council);
        }
    }
}
