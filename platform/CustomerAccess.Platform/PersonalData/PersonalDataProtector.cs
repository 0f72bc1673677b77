using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CustomerAccess.Platform.EventStore;
using Npgsql;

namespace CustomerAccess.Platform.PersonalData;

/// <summary>
/// Crypto-shredding: each data subject (customer) has its own AES-256 key, kept wrapped by the
/// master key in es.subject_keys. Personal fields are stored as {"$pii":"..."}; erasing the
/// subject's key leaves the ciphertext (and so the hash chain) untouched but unreadable.
/// Keys and plaintext are never logged.
/// </summary>
public sealed class PersonalDataProtector
{
    public const string Marker = "$pii";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _masterKey;

    public PersonalDataProtector(byte[] masterKey)
    {
        if (masterKey.Length != 32) throw new ArgumentException("The master key must be 32 bytes (AES-256).", nameof(masterKey));
        _masterKey = masterKey;
    }

    public static PersonalDataProtector FromBase64(string masterKeyBase64) => new(Convert.FromBase64String(masterKeyBase64));

    /// <summary>Returns the subject's key, creating it on first use; throws if it was erased.</summary>
    public async Task<byte[]> GetOrCreateKeyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenant, string subjectId, CancellationToken ct)
    {
        var fresh = RandomNumberGenerator.GetBytes(32);
        // Two statements in one round trip: under READ COMMITTED the select takes its own snapshot,
        // so it sees a key a concurrent transaction created (the insert waited for it to commit).
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    insert into es.subject_keys (tenant_id, subject_id, wrapped_key) values ($1, $2, $3)
                    on conflict (tenant_id, subject_id) do nothing
                    """)
                {
                    Parameters = { new() { Value = tenant }, new() { Value = subjectId }, new() { Value = Wrap(fresh, tenant, subjectId) } },
                },
                new NpgsqlBatchCommand("select wrapped_key from es.subject_keys where tenant_id = $1 and subject_id = $2")
                {
                    Parameters = { new() { Value = tenant }, new() { Value = subjectId } },
                },
            },
        };
        object? wrapped = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(ct).ConfigureAwait(false)) wrapped = reader.GetValue(0);
        }
        if (wrapped is not byte[] bytes) throw new SubjectErasedException(subjectId);
        return Unwrap(bytes, tenant, subjectId);
    }

    /// <summary>Loads the keys of many subjects in one query; erased or unknown subjects are absent.</summary>
    public async Task<Dictionary<(string Tenant, string Subject), byte[]>> LoadKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<(string Tenant, string Subject)> subjects, CancellationToken ct)
    {
        var keys = new Dictionary<(string, string), byte[]>();
        if (subjects.Count == 0) return keys;
        await using var cmd = new NpgsqlCommand("""
            select k.tenant_id, k.subject_id, k.wrapped_key from es.subject_keys k
            join unnest($1::text[], $2::text[]) as s(tenant_id, subject_id) using (tenant_id, subject_id)
            where k.wrapped_key is not null
            """, connection, transaction);
        cmd.Parameters.AddWithValue(subjects.Select(s => s.Tenant).ToArray());
        cmd.Parameters.AddWithValue(subjects.Select(s => s.Subject).ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var tenant = reader.GetString(0);
            var subject = reader.GetString(1);
            keys[(tenant, subject)] = Unwrap((byte[])reader[2], tenant, subject);
        }
        return keys;
    }

    /// <summary>Erasure: forgets the key for good. Returns false if there was nothing to erase.</summary>
    public static async Task<bool> EraseKeyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenant, string subjectId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into es.subject_keys (tenant_id, subject_id, wrapped_key, erased_at) values ($1, $2, null, now())
            on conflict (tenant_id, subject_id) do update set wrapped_key = null, erased_at = coalesce(es.subject_keys.erased_at, now())
            """, connection, transaction);
        cmd.Parameters.AddWithValue(tenant);
        cmd.Parameters.AddWithValue(subjectId);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>Replaces each named field's value by its ciphertext, bound to tenant and subject.</summary>
    public static void EncryptFields(JsonObject payload, IEnumerable<string> fields, byte[] key, string tenant, string subjectId)
    {
        foreach (var field in fields)
        {
            if (payload[field] is not { } value) continue;
            var plain = Encoding.UTF8.GetBytes(value.ToJsonString());
            payload[field] = new JsonObject { [Marker] = Seal(plain, key, Aad(tenant, subjectId)) };
        }
    }

    /// <summary>Restores every encrypted field it has a key for; without the key a field reads as null.</summary>
    public static void DecryptFields(JsonObject payload, byte[]? key, string tenant, string subjectId)
    {
        foreach (var (name, value) in payload.ToList())
        {
            if (value is not JsonObject obj || obj.Count != 1 || obj[Marker] is not JsonValue sealedValue) continue;
            if (key is null) { payload[name] = null; continue; }
            var plain = Open(sealedValue.GetValue<string>(), key, Aad(tenant, subjectId));
            payload[name] = JsonNode.Parse(plain);
        }
    }

    public static bool HasEncryptedFields(string json) => json.Contains("\"" + Marker + "\"", StringComparison.Ordinal);

    private byte[] Wrap(byte[] key, string tenant, string subject) => Convert.FromBase64String(Seal(key, _masterKey, Aad(tenant, subject)));

    private byte[] Unwrap(byte[] wrapped, string tenant, string subject) => Open(Convert.ToBase64String(wrapped), _masterKey, Aad(tenant, subject));

    private static byte[] Aad(string tenant, string subject) => Encoding.UTF8.GetBytes(tenant + "\u001f" + subject);

    private static string Seal(byte[] plain, byte[] key, byte[] aad)
    {
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), aad);
        return Convert.ToBase64String(output);
    }

    private static byte[] Open(string sealedBase64, byte[] key, byte[] aad)
    {
        var input = Convert.FromBase64String(sealedBase64);
        var plainLength = input.Length - NonceSize - TagSize;
        var plain = new byte[plainLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, plainLength), input.AsSpan(NonceSize + plainLength), plain, aad);
        return plain;
    }
}
