using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Mediator;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>
/// The mediator's <see cref="FindGazetteerAddress"/>: the same lookup customer registration uses
/// (<see cref="GazetteerQueries.FindAsync"/>), in a read-only transaction of the asking council.
/// </summary>
internal sealed class FindGazetteerAddressHandler(PlatformDatabase db) : IRequestHandler<FindGazetteerAddress, PropertyAddress?>
{
    public async Task<PropertyAddress?> HandleAsync(FindGazetteerAddress request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var tx = await db.BeginAsync(request.Council, ct).ConfigureAwait(false);
        return await GazetteerQueries.FindAsync(tx, request.Uprn, ct).ConfigureAwait(false) is { } a
            ? new PropertyAddress(a.Uprn, a.Lines, a.Postcode, a.IsCurrent)
            : null;
    }
}
