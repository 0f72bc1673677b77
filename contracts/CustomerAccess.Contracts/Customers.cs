namespace CustomerAccess.Contracts;

/// <summary>
/// How other modules know a customer id is real without reading the Customer module's tables: a
/// customer is the event stream named here, and the platform can say whether a stream exists in a
/// council (row-level security keeps the answer to that council).
/// </summary>
public static class CustomerStreams
{
    public static string For(string customerId) => "customer-" + customerId;
}

/// <summary>
/// A case is the event stream named here (the Case module's own stream id), so another module can
/// check a case id it is given exists in the council without reading the Case module's tables.
/// </summary>
public static class CaseStreams
{
    public static string For(string caseId) => "case-" + caseId;
}

/// <summary>
/// A customer's personal data was erased (subject's right to erasure): their key is gone, so events
/// about them already read without it. Every module that copied personal data into a read model of its
/// own (free text, a photo link) removes it for this customer, so nothing of them stays readable
/// anywhere. Sent once per data subject, merged duplicates included, in the erasure's transaction.
/// </summary>
[CustomerAccess.Platform.Messaging.MessageType("customer.personal-data-erased")]
public sealed record CustomerPersonalDataErased(string CustomerId);
