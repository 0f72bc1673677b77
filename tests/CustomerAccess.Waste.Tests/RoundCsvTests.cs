using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Features;

namespace CustomerAccess.Waste.Tests;

/// <summary>How a round's CSV file is read (ConfigureRounds.ParseCsvAsync), without a database: lines, columns, refusals.</summary>
public class RoundCsvTests
{
    private static Task<ConfigureRounds.ParsedCsv> Parse(string text) => ConfigureRounds.ParseCsvAsync(new StringReader(text), CancellationToken.None);

    private static async Task<ApiProblemException> Refused(string text)
    {
        try
        {
            await Parse(text);
        }
        catch (ApiProblemException e)
        {
            return e;
        }
        Assert.Fail("the file was taken");
        return null!;
    }

    [Test]
    public async Task The_uprn_column_is_found_by_name_and_the_others_are_ignored()
    {
        var file = await Parse("\uFEFFAddress,\" UPRN \",Notes\r\n\"1, High St\",100,x\r\n2 High St,200\r\n");
        Assert.That(file.Uprns, Is.EqualTo(new[] { new ConfigureRounds.CsvUprn(2, 100), new ConfigureRounds.CsvUprn(3, 200) }));
        Assert.That(file.Rejected, Is.Empty);
    }

    [Test]
    public async Task Each_bad_line_is_reported_with_its_line_number_and_blank_lines_are_skipped()
    {
        var file = await Parse(string.Join("\n",
            "uprn,name",            // 1
            "12ab,x",               // 2
            "",                     // 3
            "300,\"two\nlines\"",   // 4-5
            "0",                    // 6
            "1234567890123",        // 7: 13 digits
            ",nothing",             // 8
            "300",                  // 9: the same as line 4
            " 400 ",                // 10
            "\"500\""));            // 11, no line break at the end
        Assert.That(file.Uprns.Select(u => (u.Line, u.Uprn)), Is.EqualTo(new[] { (4, 300L), (10, 400L), (11, 500L) }));
        Assert.That(file.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 2, 6, 7, 8, 9 }));
        Assert.Multiple(() =>
        {
            Assert.That(file.Rejected[0].Reason, Is.EqualTo(ConfigureRounds.NotAUprn));
            Assert.That(file.Rejected[1].Reason, Is.EqualTo(ConfigureRounds.NotAUprn));
            Assert.That(file.Rejected[2].Reason, Is.EqualTo(ConfigureRounds.NotAUprn));
            Assert.That(file.Rejected[3].Reason, Is.EqualTo(ConfigureRounds.NoUprn));
            Assert.That(file.Rejected[4].Reason, Is.EqualTo(ConfigureRounds.Duplicate(4)));
        });
    }

    [Test]
    public async Task A_file_without_a_uprn_header_or_with_too_many_rows_is_refused_whole()
    {
        Assert.That((await Refused("address,postcode\n1 High St,GL1 1AA\n")).Errors!.Keys, Is.EqualTo(new[] { "file" }));
        Assert.That((await Refused("100\n200\n")).Errors!.Keys, Is.EqualTo(new[] { "file" }), "a header is needed");
        Assert.That((await Refused("")).Errors!.Keys, Is.EqualTo(new[] { "file" }));
        Assert.That((await Refused("\r\n\r\n")).Errors!.Keys, Is.EqualTo(new[] { "file" }));
        var rows = "uprn\n" + string.Concat(Enumerable.Range(1, ConfigureRounds.MaxImportRows + 1).Select(i => i + "\n"));
        Assert.That((await Refused(rows)).Status, Is.EqualTo(413));
        var most = "uprn\n" + string.Concat(Enumerable.Range(1, ConfigureRounds.MaxImportRows).Select(i => i + "\n"));
        Assert.That((await Parse(most)).Uprns, Has.Count.EqualTo(ConfigureRounds.MaxImportRows));
    }

    [Test]
    public async Task A_quote_inside_a_quoted_field_and_a_lone_carriage_return_end_lines_as_expected()
    {
        var file = await Parse("name,uprn\r\"say \"\"hi\"\"\",10\r\nx,20");
        Assert.That(file.Uprns.Select(u => (u.Line, u.Uprn)), Is.EqualTo(new[] { (2, 10L), (3, 20L) }));
    }
}
