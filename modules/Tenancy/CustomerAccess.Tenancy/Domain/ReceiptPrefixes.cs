namespace CustomerAccess.Tenancy.Domain;

/// <summary>
/// Each council's receipt prefix (<c>COT-000123</c>): chosen once, when the council joins, and never
/// shared, so a receipt number read out over the phone names one council's receipt.
/// </summary>
internal static class ReceiptPrefixes
{
    /// <summary>The four partner councils' prefixes, as their receipts already carry them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Seeded = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cheltenham"] = "CHL",
        ["cotswold"] = "COT",
        ["forest-of-dean"] = "FOD",
        ["west-oxfordshire"] = "WOX",
    };

    /// <summary>
    /// The seed councils' case and garden-waste references began before receipt prefixes were unified
    /// (CHE-C-000123, WO-…), so they keep those; no other council may take them.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> SeededReferences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cheltenham"] = "CHE",
        ["cotswold"] = "COT",
        ["forest-of-dean"] = "FOD",
        ["west-oxfordshire"] = "WO",
    };

    /// <summary>Prefixes no council joining now may have: the seed councils' reference prefixes that differ from their receipt ones.</summary>
    public static readonly IReadOnlySet<string> Reserved = SeededReferences.Values.Except(Seeded.Values).ToHashSet(StringComparer.Ordinal);

    /// <summary>The prefix of a council's case and garden-waste references: its receipt prefix, or a seed council's own.</summary>
    public static string ReferencePrefix(string councilId, string receiptPrefix) =>
        SeededReferences.TryGetValue(councilId, out var p) ? p : receiptPrefix;

    /// <summary>The rule before prefixes were chosen at onboarding (first three letters or digits), for councils onboarded then.</summary>
    public static string Legacy(string councilId) => Seeded.TryGetValue(councilId, out var p) ? p
        : new string(councilId.Where(char.IsAsciiLetterOrDigit).Take(3).ToArray()).ToUpperInvariant().PadRight(3, 'X');

    /// <summary>
    /// The first of the council's candidates that no other council uses: the initials of a name of
    /// three or more words (forest-of-dean → FOD), the first three letters, the first letter with two
    /// later ones, then two letters and a digit. Never exhausted in practice; the last resort is numbered.
    /// </summary>
    public static string Choose(string councilId, IReadOnlySet<string> taken)
    {
        if (Seeded.TryGetValue(councilId, out var seeded) && !taken.Contains(seeded)) return seeded;
        foreach (var candidate in Candidates(councilId))
            if (!taken.Contains(candidate)) return candidate;
        for (var n = 1; ; n++)
        {
            var numbered = "C" + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(numbered)) return numbered;
        }
    }

    private static IEnumerable<string> Candidates(string councilId)
    {
        var words = councilId.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant())
            .Where(w => w.Length > 0).ToList();
        var letters = string.Concat(words);
        if (words.Count >= 3) yield return string.Concat(words.Take(3).Select(w => w[0]));
        if (letters.Length >= 3) yield return letters[..3];
        else yield return letters.PadRight(3, 'X');
        if (letters.Length == 0) yield break;
        for (var i = 1; i < letters.Length; i++)
            for (var j = i + 1; j < letters.Length; j++)
                yield return $"{letters[0]}{letters[i]}{letters[j]}";
        var two = letters.Length >= 2 ? letters[..2] : letters.PadRight(2, 'X');
        for (var d = 1; d <= 9; d++) yield return $"{two}{d}";
    }
}
