using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Tenancy.Domain;

/// <summary>
/// A council joined the partnership. Stream <c>council-{id}</c>, tenant = the council itself.
/// <see cref="ReceiptPrefix"/> is absent from events recorded before prefixes were chosen at onboarding;
/// those councils keep <see cref="ReceiptPrefixes.Legacy"/>.
/// </summary>
[EventType("tenancy.council-onboarded")]
internal sealed record CouncilOnboarded(
    string CouncilId,
    string Name,
    string ContactNumber,
    IReadOnlyList<string> ServiceThemes,
    IReadOnlyDictionary<string, int> DaysToResolve,
    string HolidayDivision,
    string? ReceiptPrefix = null)
{
    public static string StreamOf(string councilId) => "council-" + councilId;
}

/// <summary>
/// A council (the tenant) agreed, or stopped agreeing, to let another council see its customers'
/// identity. Stream <c>data-sharing-{otherCouncil}</c> of the sharing council.
/// </summary>
[EventType("tenancy.data-sharing-changed")]
internal sealed record DataSharingChanged(string Council, string OtherCouncil, bool ShareCustomerIdentity)
{
    public static string StreamOf(string otherCouncil) => "data-sharing-" + otherCouncil;
}
