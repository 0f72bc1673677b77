using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Customer.Domain;

/// <summary>
/// A customer's own record folded from its stream alone: the write model, and what /history and
/// as-at reads return. Personal fields are null once the key is erased.
/// </summary>
internal sealed record CustomerState
{
    public required string Id { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public long? Uprn { get; init; }
    public string? MergedInto { get; init; }
    public IReadOnlyList<string> MergedDuplicates { get; init; } = [];
    public bool Erased { get; init; }
    public IReadOnlyDictionary<string, CustomerFlagSet> Flags { get; init; } = new Dictionary<string, CustomerFlagSet>();
    public long Version { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    public static string StreamId(string customerId) => CustomerAccess.Contracts.CustomerStreams.For(customerId);

    public static CustomerState? Fold(string id, IEnumerable<StoredEvent> events)
    {
        CustomerState? state = null;
        foreach (var e in events)
        {
            state = e.Data switch
            {
                CustomerRegistered r => new CustomerState
                {
                    Id = id, FirstName = r.FirstName, LastName = r.LastName, Email = r.Email, Phone = r.Phone,
                    DateOfBirth = r.DateOfBirth, Uprn = r.Uprn, CreatedAt = e.OccurredAt,
                },
                CustomerDetailsChanged c when state is not null => state with
                {
                    Email = c.Changed.Contains("email") ? c.Email : state.Email,
                    Phone = c.Changed.Contains("phone") ? c.Phone : state.Phone,
                    Uprn = c.Changed.Contains("uprn") ? c.Uprn : state.Uprn,
                },
                CustomerFlagSet f when state is not null => state with { Flags = new Dictionary<string, CustomerFlagSet>(state.Flags) { [f.FlagId] = f } },
                CustomerFlagRemoved f when state is not null => state with { Flags = state.Flags.Where(kv => kv.Key != f.FlagId).ToDictionary() },
                CustomerMerged m when state is not null => state with { MergedDuplicates = [.. state.MergedDuplicates, m.DuplicateId] },
                CustomerMergedInto m when state is not null => state with { MergedInto = m.SurvivorId },
                CustomerErased when state is not null => state with
                {
                    Erased = true, FirstName = null, LastName = null, Email = null, Phone = null, DateOfBirth = null, Uprn = null,
                },
                _ => state,
            };
            if (state is not null) state = state with { Version = e.StreamVersion };
        }
        return state;
    }
}
