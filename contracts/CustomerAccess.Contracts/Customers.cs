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
