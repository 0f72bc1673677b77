using Microsoft.Extensions.Configuration;

namespace CustomerAccess.Bookings.Features;

/// <summary>Settings (configuration section Bookings).</summary>
public sealed class BookingsOptions
{
    /// <summary>How long a place is held for payment (Bookings:HoldMinutes, fractions allowed).</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the leader releases expired holds (Bookings:SweepInterval; zero: off).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The fund charged pitch, pavilion and room bookings are paid into (Bookings:Fund).</summary>
    public string Fund { get; init; } = "general";

    /// <summary>The widest availability window (days).</summary>
    public const int MaxRangeDays = 92;

    public static BookingsOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Bookings");
        var hold = section.GetValue<double?>("HoldMinutes");
        return new BookingsOptions
        {
            Hold = hold is > 0 ? TimeSpan.FromMinutes(hold.Value) : TimeSpan.FromMinutes(30),
            SweepInterval = section.GetValue<TimeSpan?>("SweepInterval") ?? TimeSpan.FromSeconds(15),
            Fund = section.GetValue<string?>("Fund") ?? "general",
        };
    }
}
