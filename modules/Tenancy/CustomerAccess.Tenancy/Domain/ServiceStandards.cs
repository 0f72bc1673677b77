namespace CustomerAccess.Tenancy.Domain;

/// <summary>What a council promises unless it says otherwise.</summary>
internal static class ServiceStandards
{
    public const string EnglandAndWales = "england-and-wales";

    /// <summary>Working days to resolve each case type.</summary>
    public static IReadOnlyDictionary<string, int> DefaultDaysToResolve { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["enquiry"] = 5,
        ["service-request"] = 10,
        ["complaint"] = 20,
        ["member-enquiry"] = 10,
    };

    public static IReadOnlyList<string> DefaultThemes { get; } =
        ["waste-and-recycling", "council-tax", "benefits", "housing", "planning", "parking", "environmental-health", "leisure-and-bookings"];
}
