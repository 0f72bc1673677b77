namespace CustomerAccess.Contracts;

/// <summary>The four partner councils local mode seeds (../shared/api-contract.md).</summary>
public static class SeedCouncils
{
    public const string Cheltenham = "cheltenham";
    public const string Cotswold = "cotswold";
    public const string ForestOfDean = "forest-of-dean";
    public const string WestOxfordshire = "west-oxfordshire";

    public static readonly IReadOnlyList<string> All = [Cheltenham, Cotswold, ForestOfDean, WestOxfordshire];
}
