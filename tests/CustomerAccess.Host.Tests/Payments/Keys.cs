namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// Idempotency keys as real clients make them: random UUIDs. (About 1 in 460 of these used to be
/// refused as a card number by CardNumberGuard; UUID-shaped tokens are now exempt.)
/// </summary>
internal static class Keys
{
    public static string New() => Guid.NewGuid().ToString();
}
