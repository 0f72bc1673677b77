using System.Security.Cryptography;
using System.Text;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Platform.Submissions;

/// <summary>
/// One-time submission keys, so a replayed request records nothing twice. A screen form carries a
/// key issued when it is rendered (<see cref="New"/>, hidden field <see cref="Field"/>); an API client
/// may send one as <c>idempotencyKey</c>. The module's use case calls
/// <see cref="EventSession.ClaimSubmissionAsync"/> before it writes and
/// <see cref="EventSession.CompleteSubmissionAsync"/> with its result before it commits, so the key and
/// the write commit together or not at all (<c>platform.submission_keys</c>, keyed by council and key).
/// The platform stores the module's operation name, a fingerprint of the request and the result id;
/// it knows nothing of what they mean.
/// </summary>
public static class SubmissionKeys
{
    /// <summary>The form field (and JSON field) carrying the key.</summary>
    public const string Field = "idempotencyKey";

    /// <summary>How long a key is remembered. A form older than this is refused rather than risk a second record.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public const int MaxLength = 100;

    /// <summary>The query a page adds to its redirect after a replay, so the layout says nothing was recorded twice.</summary>
    public const string ReplayedQuery = "replayed=1";

    /// <summary>A new key for a form being rendered: a version 7 UUID, so its age can be told.</summary>
    public static string New() => Guid.CreateVersion7().ToString();

    /// <summary>A fingerprint of what a request asks for, to tell a replay from another request reusing a key.</summary>
    public static string Fingerprint(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? "\u0000"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The key as it will be stored, or null when none was sent (the request then behaves as one
    /// without a key always has). Too long or with control characters → 400 <c>errors.idempotencyKey</c>;
    /// a form's key older than <see cref="Retention"/> → 400 asking to send the form again.
    /// </summary>
    public static string? Normalise(string? key, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        var k = key.Trim();
        if (k.Length > MaxLength || k.Any(char.IsControl))
            throw ApiProblemException.Validation(Field, $"The idempotency key must be 1 to {MaxLength} characters with no control characters.");
        if (Guid.TryParse(k, out var guid) && guid.Version == 7 && IssuedAt(guid) < now - Retention)
            throw ApiProblemException.Validation(Field,
                "This form was opened more than 30 days ago and can no longer be checked for a repeat: check the answers and send it again.");
        return k;
    }

    private static DateTimeOffset IssuedAt(Guid v7)
    {
        Span<byte> bytes = stackalloc byte[16];
        v7.TryWriteBytes(bytes, bigEndian: true, out _);
        long millis = 0;
        for (var i = 0; i < 6; i++) millis = (millis << 8) | bytes[i];
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }

    /// <summary>
    /// Looks without claiming: the result an earlier request with this key committed, or null when the key is
    /// unused (or absent). The same key for another operation or request is a 409. For a screen that decides
    /// something before its write (a duplicate warning, say) and must not decide it again on a replay.
    /// </summary>
    public static async Task<string?> EarlierAsync(TenantTransaction tx, string? key, string operation, string fingerprint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (string.IsNullOrWhiteSpace(key)) return null;
        await using var read = tx.Command("select operation, fingerprint, result from platform.submission_keys where tenant_id = $1 and key = $2");
        read.Parameters.AddWithValue(tx.Tenant);
        read.Parameters.AddWithValue(key.Trim());
        await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        if (r.IsDBNull(2) || r.GetString(0) != operation || r.GetString(1) != fingerprint) throw Reused();
        return r.GetString(2);
    }

    internal static ApiProblemException Reused() => ApiProblemException.Conflict(
        "This idempotency key was already used for a different request: the form was sent before with other details. " +
        "What it recorded stands and nothing new was recorded; send the form again to record this as well.");
}
