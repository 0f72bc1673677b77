using CustomerAccess.Customer.Gazetteer;

namespace CustomerAccess.Customer.Tests;

public class AddressRendererTests
{
    private static readonly StreetName HighStreet = new("High Street", null, "Cheltenham");

    private static LpiRecord Lpi(NumberRange? sao = null, string? saoText = null, NumberRange? pao = null, string? paoText = null, string? postTown = "CHELTENHAM") =>
        new(1, ChangeType.Insert, 1, "K", "ENG", 1, null, null, null, sao ?? NumberRange.None, saoText, pao ?? NumberRange.None, paoText,
            1001, null, "Y", "GL50 1AA", postTown, "Y");

    private static NumberRange N(int start, string? suffix = null, int? end = null, string? endSuffix = null) => new(start, suffix, end, endSuffix);

    [TestCase(12, null, null, null, "12")]
    [TestCase(12, "A", null, null, "12A")]
    [TestCase(12, null, 14, null, "12-14")]
    [TestCase(2, "A", 2, "C", "2A-2C")]
    public void Ranges_read_with_their_suffixes(int start, string? suffix, int? end, string? endSuffix, string expected) =>
        Assert.That(AddressRenderer.Range(N(start, suffix, end, endSuffix)), Is.EqualTo(expected));

    [Test]
    public void A_numbered_house_puts_its_number_before_the_street() =>
        Assert.That(AddressRenderer.Lines(Lpi(pao: N(12, "A")), HighStreet), Is.EqualTo(new[] { "12A High Street", "Cheltenham" }));

    [Test]
    public void A_named_house_has_its_name_on_its_own_line() =>
        Assert.That(AddressRenderer.Lines(Lpi(paoText: "Rose Cottage"), HighStreet), Is.EqualTo(new[] { "Rose Cottage", "High Street", "Cheltenham" }));

    [Test]
    public void A_named_and_numbered_house_has_both() =>
        Assert.That(AddressRenderer.Lines(Lpi(pao: N(3), paoText: "The Old School"), HighStreet),
            Is.EqualTo(new[] { "The Old School", "3 High Street", "Cheltenham" }));

    [Test]
    public void A_flat_with_text_and_number_in_a_named_numbered_building() =>
        Assert.That(AddressRenderer.Lines(Lpi(sao: N(2), saoText: "Flat", pao: N(10, null, 12), paoText: "Regency Court"), HighStreet),
            Is.EqualTo(new[] { "Flat 2", "Regency Court", "10-12 High Street", "Cheltenham" }));

    [Test]
    public void A_number_only_sao_goes_in_front_of_the_building_name() =>
        Assert.That(AddressRenderer.Lines(Lpi(sao: N(4, "B"), paoText: "Kingsmead"), HighStreet),
            Is.EqualTo(new[] { "4B Kingsmead", "High Street", "Cheltenham" }));

    [Test]
    public void A_number_only_sao_with_a_numbered_house_keeps_its_own_line() =>
        Assert.That(AddressRenderer.Lines(Lpi(sao: N(1, null, 3), pao: N(7)), HighStreet),
            Is.EqualTo(new[] { "1-3", "7 High Street", "Cheltenham" }));

    [Test]
    public void Locality_comes_before_the_town_and_the_post_town_stands_in_for_a_missing_street()
    {
        Assert.That(AddressRenderer.Lines(Lpi(pao: N(5)), new StreetName("Mill Street", "Prestbury", "Cheltenham")),
            Is.EqualTo(new[] { "5 Mill Street", "Prestbury", "Cheltenham" }));
        Assert.That(AddressRenderer.Lines(Lpi(pao: N(5)), null), Is.EqualTo(new[] { "5", "CHELTENHAM" }));
    }

    [Test]
    public void Search_text_has_whole_words_and_both_postcode_forms() =>
        Assert.That(AddressRenderer.SearchText(["Flat 2", "10-12 St Mary's Road", "Cheltenham"], "GL50 1AA"),
            Is.EqualTo(" FLAT 2 10 12 ST MARYS ROAD CHELTENHAM GL50 1AA GL501AA "));
}
