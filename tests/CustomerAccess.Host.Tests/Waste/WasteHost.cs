using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>The Waste module's clock, set by a test (the rest of the host keeps real time).</summary>
internal sealed class TestWasteClock() : WasteClock(TimeProvider.System)
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    public override DateTimeOffset UtcNow => Now;

    /// <summary>A local (Europe/London) wall-clock time.</summary>
    public void SetLocal(int y, int m, int d, int hour, int minute = 0)
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var local = new DateTime(y, m, d, hour, minute, 0, DateTimeKind.Unspecified);
        Now = new DateTimeOffset(local, london.GetUtcOffset(local));
    }

    /// <summary>A host over <paramref name="host"/>'s database whose Waste clock is this one.</summary>
    public WebApplicationFactory<Program> Attach(HostFixture host) =>
        host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<WasteClock>(this)));
}

internal static class WasteUprns
{
    // The local gazetteer numbers a council's properties from custodian code x 10^7 (Cheltenham 1615);
    // the Waste seed rule: area k of 200 UPRNs is collected on weekday k mod 5, week A for k < 5.
    public const long CheltenhamMondayA = 16_150_000_001;   // area 0: refuse Mondays from 2026-01-05, recycling the other Mondays
    public const long CheltenhamFridayA = 16_150_000_801;   // area 4: refuse Fridays from 2026-01-09
    public const long NotOnARound = 16_159_999_999;
}
