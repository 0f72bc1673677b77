namespace CustomerAccess.Waste.Domain;

/// <summary>
/// The Waste module's "now" (bin days, reporting windows). Tests replace this one clock to stand on
/// a fixed date without moving the rest of the host's time (leases, outbox timing).
/// </summary>
internal class WasteClock(TimeProvider time)
{
    public virtual DateTimeOffset UtcNow => time.GetUtcNow();
}
