using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// Version 7 UUIDs (RFC 9562: 48-bit Unix milliseconds, then random bits) for event ids, ordered by
/// time like <see cref="Guid.CreateVersion7(DateTimeOffset)"/>. The difference is where the random
/// bits come from: Guid.NewGuid reads /dev/urandom with one system call per id on this runtime,
/// which showed in the append benchmark; here each thread takes them from a buffer refilled from
/// <see cref="RandomNumberGenerator"/> a few hundred ids at a time. Event ids must be unique, not secret.
/// </summary>
internal static class EventIds
{
    private const int IdsPerRefill = 256;

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_next;

    public static Guid CreateVersion7(DateTimeOffset timestamp)
    {
        var random = t_random ??= new byte[16 * IdsPerRefill];
        if (t_next == 0) RandomNumberGenerator.Fill(random);
        Span<byte> bytes = stackalloc byte[16];
        random.AsSpan(t_next * 16, 16).CopyTo(bytes);
        t_next = (t_next + 1) % IdsPerRefill;

        // Bytes 0-5: the timestamp, big-endian; then the version (7) and variant (10) bits.
        Span<byte> millis = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(millis, timestamp.ToUnixTimeMilliseconds());
        millis[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
