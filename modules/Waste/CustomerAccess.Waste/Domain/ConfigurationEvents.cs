using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Waste.Domain;

// A council's waste configuration, changed by a partnership admin through the API. No customer, so
// none of these is on a timeline; the audit route shows them with their actor (who changed what).
// Rounds and garden prices are projected inline into waste.rounds, waste.round_assignments and
// waste.garden_prices (ReadModels/WasteProjection) in the same transaction. The Open311 key events
// carry the key's fingerprint and partner only: never the key, never its hash.

/// <summary>A round was added or changed (stream <c>waste-round-{id}</c>).</summary>
[EventType("waste.round-configured")]
internal sealed record RoundConfigured(string RoundId, string Name, string Container, int Weekday, string Frequency, DateOnly Anchor);

/// <summary>A property that left another round of the same container when it joined this one.</summary>
internal sealed record MovedProperty(long Uprn, string FromRoundId);

/// <summary>
/// Properties put on a round one by one (single-UPRN assignments) or taken off it. A property added
/// leaves any other round of the same container it was put on singly (<see cref="MovedFrom"/>).
/// </summary>
[EventType("waste.round-properties-changed")]
internal sealed record RoundPropertiesChanged(string RoundId, string Container, IReadOnlyList<long> Added, IReadOnlyList<long> Removed,
    IReadOnlyList<MovedProperty> MovedFrom);

/// <summary>
/// A round is no longer collected (stream <c>waste-round-{id}</c>): its properties stay on it for the record, but it
/// answers no collections and takes no new properties; putting one of them on another round moves it there.
/// </summary>
[EventType("waste.round-retired")]
internal sealed record RoundRetired(string RoundId, string Container, int PropertiesOnRound);

/// <summary>The garden waste price per bin from a season on (stream <c>waste-garden-prices</c>).</summary>
[EventType("waste.garden-price-set")]
internal sealed record GardenPriceSet(int FromSeason, long PricePerBinPence, int MaxBins, long? PreviousPricePerBinPence, int? PreviousMaxBins);

/// <summary>An Open311 API key was issued to a reporting site (stream <c>waste-open311-key-{fingerprint}</c>).</summary>
[EventType("waste.open311-key-issued")]
internal sealed record Open311KeyIssued(string Fingerprint, string Partner);

/// <summary>An Open311 API key was revoked: the Open311 routes refuse it from this commit on.</summary>
[EventType("waste.open311-key-revoked")]
internal sealed record Open311KeyRevoked(string Fingerprint, string Partner);

internal static class ConfigurationStreams
{
    public static string Round(string id) => "waste-round-" + id;
    public const string GardenPrices = "waste-garden-prices";
    public static string Open311Key(string fingerprint) => "waste-open311-key-" + fingerprint;
}
