namespace CustomerAccess.Contracts;

/// <summary>
/// An event that belongs on the customer's timeline says how it reads there. The event's customer
/// is the customer id in its metadata. A summary never carries personal data (names, contact
/// details, notes): timeline entries outlive a customer's erasure.
/// </summary>
public interface ITimelineEntry
{
    /// <summary>customer, case, payments, waste, bookings or tenancy.</summary>
    string TimelineModule { get; }

    /// <summary>A short, personal-data-free sentence, e.g. "Phone contact: missed bin".</summary>
    string TimelineSummary { get; }

    /// <summary>A reference the resident or advisor can quote (case reference, receipt number).</summary>
    string? TimelineReference => null;

    /// <summary>
    /// How the entry reads once the customer's personal data is erased, when its summary quotes some
    /// (a contact's freely typed reason); null when the summary has none. The timeline keeps it
    /// beside the summary and swaps it in at erasure.
    /// </summary>
    string? TimelineSummaryAfterErasure => null;
}

/// <summary>The modules as they are named on the timeline.</summary>
public static class TimelineModules
{
    public const string Customer = "customer";
    public const string Case = "case";
    public const string Payments = "payments";
    public const string Waste = "waste";
    public const string Bookings = "bookings";
    public const string Tenancy = "tenancy";

    public static readonly IReadOnlyList<string> All = [Customer, Case, Payments, Waste, Bookings, Tenancy];
}

/// <summary>The channels a resident reaches the council through.</summary>
public static class ContactChannels
{
    public static readonly IReadOnlyList<string> All =
        ["phone", "face-to-face", "email", "web", "letter", "video", "social", "automated-phone"];

    /// <summary>Each channel in words, in the order of <see cref="All"/>, for every screen that names one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["phone"] = "Phone", ["face-to-face"] = "Face to face", ["email"] = "Email", ["web"] = "Web", ["letter"] = "Letter",
        ["video"] = "Video access point", ["social"] = "Social media", ["automated-phone"] = "Automated phone",
    };
}
