namespace CustomerAccess.Platform.Web;

/// <summary>
/// A partner council as every module sees it (the Tenancy module owns the data). <see cref="ReceiptPrefix"/>
/// starts the council's receipt numbers and no other council's; <see cref="ReferencePrefix"/> starts its
/// other references (cases, garden waste) and no other council's either.
/// </summary>
public sealed record CouncilInfo(
    string Id,
    string Name,
    string ContactNumber,
    IReadOnlyList<string> ServiceThemes,
    IReadOnlyDictionary<string, int> DaysToResolve,
    IReadOnlyList<DateOnly> BankHolidays,
    string ReceiptPrefix,
    string ReferencePrefix)
{
    /// <summary>
    /// The instant a case of <paramref name="caseType"/> raised at <paramref name="raisedAt"/> is due: the
    /// council's days-to-resolve counted in working days (no weekends, no bank holidays), end of day UTC.
    /// </summary>
    public DateTimeOffset DueAt(string caseType, DateTimeOffset raisedAt)
    {
        var days = DaysToResolve.TryGetValue(caseType, out var d) ? d : 10;
        var date = DateOnly.FromDateTime(raisedAt.UtcDateTime);
        var holidays = BankHolidays.ToHashSet();
        while (days > 0)
        {
            date = date.AddDays(1);
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(date)) days--;
        }
        return new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
    }
}

/// <summary>Which councils exist. Implemented by the Tenancy module; a council onboarded on one host is known to all at once.</summary>
public interface ICouncilDirectory
{
    Task<bool> ExistsAsync(string councilId, CancellationToken ct = default);

    Task<CouncilInfo?> GetAsync(string councilId, CancellationToken ct = default);

    Task<IReadOnlyList<CouncilInfo>> ListAsync(CancellationToken ct = default);
}

public static class CouncilDirectoryExtensions
{
    /// <summary>The council, or the 404 problem every route answers for one that does not exist.</summary>
    public static async Task<CouncilInfo> RequireAsync(this ICouncilDirectory directory, string councilId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return await directory.GetAsync(councilId, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The council");
    }
}

/// <summary>
/// Data-sharing agreements between partner councils. Without one, nothing of a customer at one
/// council is visible from another. Agreements are directional: the owning council shares with the viewer.
/// </summary>
public interface IDataSharing
{
    Task<bool> SharesCustomerIdentityAsync(string owningCouncil, string viewingCouncil, CancellationToken ct = default);

    /// <summary>
    /// The councils that share their customers' identity with <paramref name="viewingCouncil"/> now (never the
    /// viewing council itself), ordered by id. Read afresh on every call, never cached: a withdrawn agreement
    /// stops counting on the next request.
    /// </summary>
    Task<IReadOnlyList<string>> CouncilsSharingCustomerIdentityWithAsync(string viewingCouncil, CancellationToken ct = default);
}

/// <summary>A person who signed in locally, with what their token or cookie will carry.</summary>
public sealed record LocalUser(string Username, IReadOnlyList<string> Roles, IReadOnlyList<string> Councils, string? Team);

/// <summary>
/// Local sign-in against the users the Tenancy module keeps (not in production, where an OpenID
/// Connect provider issues tokens). Null means "no": wrong password, unknown user or locked out alike.
/// </summary>
public interface ILocalSignIn
{
    Task<LocalUser?> SignInAsync(string username, string password, CancellationToken ct = default);
}

/// <summary>The symmetric key local tokens are signed with, shared by every host over one database.</summary>
public interface ILocalSigningKey
{
    Task<byte[]> GetAsync(CancellationToken ct = default);
}

/// <summary>What local tokens carry and how long they last (production tokens come from the OIDC provider).</summary>
public static class LocalTokens
{
    public const string Issuer = "customeraccess-local";
    public const string Audience = "customeraccess";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
}
