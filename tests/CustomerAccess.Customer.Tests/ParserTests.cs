using CustomerAccess.Customer.Gazetteer;

namespace CustomerAccess.Customer.Tests;

public class ParserTests
{
    private static List<(Dtf73Record? Record, ImportRejection? Rejection)> Parse(string csv) =>
        Dtf73Parser.Parse(new StringReader(csv)).ToList();

    [Test]
    public void Reads_quoted_fields_with_commas_doubled_quotes_and_line_breaks()
    {
        var rows = Dtf73Reader.ReadRows(new StringReader("a,\"b, c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\nnext,\"\"\nlast")).ToList();
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[0].Fields, Is.EqualTo(new[] { "a", "b, c", "say \"hi\"", "two\nlines", "" }));
        Assert.That(rows[1].Line, Is.EqualTo(3), "a line break inside quotes still counts as a line");
        Assert.That(rows[1].Fields, Is.EqualTo(new[] { "next", "" }));
        Assert.That(rows[2].Fields, Is.EqualTo(new[] { "last" }));
    }

    [Test]
    public void Crlf_and_lf_and_blank_lines_give_the_same_rows_with_physical_line_numbers()
    {
        var crlf = Dtf73Reader.ReadRows(new StringReader("1,2\r\n\r\n3,4\r\n")).ToList();
        var lf = Dtf73Reader.ReadRows(new StringReader("1,2\n\n3,4")).ToList();
        Assert.That(crlf.Select(r => (r.Line, string.Join('|', r.Fields))), Is.EqualTo(lf.Select(r => (r.Line, string.Join('|', r.Fields)))));
        Assert.That(crlf[1].Line, Is.EqualTo(3));
    }

    [Test]
    public void Parses_every_record_type()
    {
        var rows = Parse(Dtf.File(Dtf.Header(), Dtf.Street(1001), Dtf.Descriptor(1001, "High Street, East", "Prestbury", "Cheltenham"),
            Dtf.Blpu(100000000001), Dtf.Lpi(100000000001, "1615L000000001", 1001, "gl52 3aa", pao: Dtf.Part(12, "a")), Dtf.Trailer(6)));
        Assert.That(rows.Select(r => r.Rejection), Is.All.Null);
        Assert.That(rows.Select(r => r.Record!.GetType().Name), Is.EqualTo(new[]
            { nameof(HeaderRecord), nameof(StreetRecord), nameof(StreetDescriptorRecord), nameof(BlpuRecord), nameof(LpiRecord), nameof(TrailerRecord) }));
        var descriptor = (StreetDescriptorRecord)rows[2].Record!;
        Assert.That(descriptor.Description, Is.EqualTo("High Street, East"));
        var lpi = (LpiRecord)rows[4].Record!;
        Assert.Multiple(() =>
        {
            Assert.That(lpi.Uprn, Is.EqualTo(100000000001));
            Assert.That(lpi.PaoNumbers, Is.EqualTo(new NumberRange(12, "A", null, null)));
            Assert.That(lpi.Postcode, Is.EqualTo("GL52 3AA"));
            Assert.That(lpi.Line, Is.EqualTo(5));
        });
    }

    [TestCase("21,I,0,1234567890123,1,2,2024-01-01,RD04,,1,1,1,1615,,,,,,,,,,", "UPRN '1234567890123' is not an integer of up to 12 digits")]
    [TestCase("21,I,0,12AB,1,2,2024-01-01,RD04,,1,1,1,1615,,,,,,,,,,", "UPRN '12AB' is not an integer")]
    [TestCase("21,I,0,12,1,2,2024-13-01,RD04,,1,1,1,1615,,,,,,,,,,", "state date '2024-13-01' is not a date")]
    [TestCase("21,I,0,12,5,2,2024-01-01,RD04,,1,1,1,1615,,,,,,,,,,", "logical status '5' is not 1, 3, 6 or 8")]
    [TestCase("21,X,0,12,1,2,2024-01-01,RD04,,1,1,1,1615,,,,,,,,,,", "change type 'X' is not I, U or D")]
    [TestCase("21,I,0,12,1", "BLPU record (type 21) has 5 fields; DTF 7.3 has 23")]
    [TestCase("11,I,0,123456789,1,1615,2,2024-01-01,1,8,1,2024-01-01,2024-01-01,1990-01-01,,1,1,1,1,10", "USRN '123456789' is not an integer of up to 8 digits")]
    [TestCase("32,I,0,whatever", "unknown record type '32'")]
    [TestCase("15,I,0,1001,High\u0000Street,Prestbury,Cheltenham,ENG", "NUL character")]
    [TestCase("10,I,0,Council,1615,2024-04-01,1,2024-04-01,09:00:00,7.2,F", "version '7.2'")]
    public void A_bad_row_is_rejected_with_its_reason(string row, string reason)
    {
        var rows = Parse(Dtf.File(Dtf.Header(), row));
        Assert.That(rows[1].Record, Is.Null);
        Assert.That(rows[1].Rejection!.Line, Is.EqualTo(2));
        Assert.That(rows[1].Rejection!.Reason, Does.Contain(reason));
    }

    [Test]
    public void A_range_with_an_end_but_no_start_is_rejected()
    {
        var rows = Parse(Dtf.Lpi(1, "K1", 1001, "GL50 1AA", pao: Dtf.Part(null, null, 4)));
        Assert.That(rows[0].Rejection!.Reason, Does.Contain("PAO has a suffix or end number but no start number"));
    }

    [Test]
    public void A_delete_needs_only_its_key()
    {
        var row = "24,D,0,100000000001,1615L000000001" + new string(',', 25);
        var rows = Parse(row);
        Assert.That(rows[0].Record, Is.InstanceOf<LpiRecord>().With.Property(nameof(LpiRecord.Change)).EqualTo(ChangeType.Delete));
    }

    [TestCase("gl501aa", "GL50 1AA")]
    [TestCase(" GL50  1AA ", "GL50 1AA")]
    [TestCase("ox28 6ab", "OX28 6AB")]
    [TestCase("GL7", "GL7")]
    public void Postcodes_are_normalised(string given, string stored) =>
        Assert.That(Dtf73Parser.NormalisePostcode(given), Is.EqualTo(stored));
}
