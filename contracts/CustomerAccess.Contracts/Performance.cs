namespace CustomerAccess.Contracts;

/// <summary>
/// What an event adds to the partnership's performance figures (contacts by channel, first-contact
/// resolution, cases, payments, failure demand). The Tenancy module keeps the figures per council
/// and day from the global log. Implement it explicitly so it is not stored with the event.
/// </summary>
public interface IPerformanceFact
{
    PerformanceFact PerformanceFact { get; }
}

/// <param name="ContactChannel">a contact on this channel (counts towards contactsByChannel)</param>
/// <param name="ResolvedAtFirstContact">for a contact: whether it was resolved then and there</param>
/// <param name="PaymentsPence">money taken (negative for a refund)</param>
/// <param name="FailureDemand">a contact caused by a failure to do something right the first time</param>
public sealed record PerformanceFact(
    string? ContactChannel = null, bool? ResolvedAtFirstContact = null, int CasesOpened = 0, int CasesResolvedWithinStandard = 0,
    long PaymentsPence = 0, int FailureDemand = 0);
