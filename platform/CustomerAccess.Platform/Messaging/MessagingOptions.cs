namespace CustomerAccess.Platform.Messaging;

/// <summary>Settings of the background workers (configuration section CustomerAccess:Messaging).</summary>
public sealed class MessagingOptions
{
    public const string Section = "CustomerAccess:Messaging";

    /// <summary>Run subscriptions and the outbox dispatcher in this process (false: serve HTTP only).</summary>
    public bool RunBackgroundWork { get; set; } = true;

    /// <summary>Events per projection transaction.</summary>
    public int SubscriptionBatchSize { get; set; } = 500;

    /// <summary>Outbox rows taken per pass.</summary>
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>Fallback poll when no NOTIFY arrives (NOTIFY normally wakes workers at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How often a host that is not the leader tries to take the lease.</summary>
    public TimeSpan LeaseRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause after a projection fails before it is tried again.</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries tried before a message is parked in platform.dead_letters.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubled each attempt, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
