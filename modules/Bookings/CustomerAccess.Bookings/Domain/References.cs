using System.Globalization;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Bookings.Domain;

/// <summary>
/// Booking references: "CHE-B-000123" for a charged booking, "CHE-BW-000123" for a bulky waste
/// collection. The council's reference prefix (<see cref="CouncilInfo.ReferencePrefix"/>, no other
/// council's) comes first, as on case and garden waste references, so a reference read out on the
/// shared phone line names one council's booking. References made before this (BK-000123,
/// BW-000123) stay as they were stored and are still found by <see cref="Normalise"/>d lookup.
/// </summary>
internal static class BookingReferences
{
    /// <summary>The per-council counters' names: they date from BK-/BW- references and are kept so numbering carries on.</summary>
    public const string BookingCounter = "BK";
    public const string BulkyCounter = "BW";

    /// <summary>Longest reference a lookup takes: a prefix of up to five, "-BW-" and the number fit with room to spare.</summary>
    public const int MaxLength = 40;

    public static string Booking(CouncilInfo council, long number) => Format(council, "B", number);

    public static string BulkyCollection(CouncilInfo council, long number) => Format(council, "BW", number);

    private static string Format(CouncilInfo council, string kind, long number) =>
        $"{council.ReferencePrefix}-{kind}-{number.ToString("000000", CultureInfo.InvariantCulture)}";

    /// <summary>A reference as a resident reads it out or an advisor types it: trimmed, in capitals (every stored reference is).</summary>
    public static string Normalise(string reference) => reference.Trim().ToUpperInvariant();
}
