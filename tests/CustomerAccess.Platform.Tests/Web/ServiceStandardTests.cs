using CustomerAccess.Platform.Web;

namespace CustomerAccess.Platform.Tests.Web;

/// <summary>Due dates follow a council's days-to-resolve in working days: no weekends, no bank holidays.</summary>
public class ServiceStandardTests
{
    private static readonly CouncilInfo Council = new("cotswold", "Cotswold District Council", "01285 623000", [],
        new Dictionary<string, int> { ["enquiry"] = 5, ["complaint"] = 20 },
        [new DateOnly(2025, 12, 25), new DateOnly(2025, 12, 26), new DateOnly(2026, 1, 1)], "COT", "COT");

    [Test]
    public void Christmas_bank_holidays_and_the_weekend_do_not_count()
    {
        var raised = new DateTimeOffset(2025, 12, 19, 10, 0, 0, TimeSpan.Zero); // a Friday
        Assert.That(Council.DueAt("enquiry", raised), Is.EqualTo(new DateTimeOffset(2025, 12, 30, 23, 59, 59, TimeSpan.Zero)));
    }

    [Test]
    public void A_case_type_without_a_standard_gets_ten_working_days()
    {
        var raised = new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero); // a Monday
        Assert.That(Council.DueAt("service-request", raised).Date, Is.EqualTo(new DateTime(2025, 6, 16)));
    }
}
