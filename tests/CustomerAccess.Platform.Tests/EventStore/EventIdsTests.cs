using System.Collections.Concurrent;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>The store's event ids: RFC 9562 version 7, time-ordered, unique across threads.</summary>
public class EventIdsTests
{
    [Test]
    public void An_id_is_version_7_with_the_rfc_variant_and_the_timestamps_milliseconds()
    {
        var at = new DateTimeOffset(2026, 12, 1, 23, 15, 42, 123, TimeSpan.Zero);
        var id = EventIds.CreateVersion7(at);
        var bytes = id.ToByteArray(bigEndian: true);

        Assert.Multiple(() =>
        {
            Assert.That(id.Version, Is.EqualTo(7));
            Assert.That(bytes[8] >> 6, Is.EqualTo(0b10), "variant");
            var millis = bytes.Take(6).Aggregate(0L, (acc, b) => (acc << 8) | b);
            Assert.That(millis, Is.EqualTo(at.ToUnixTimeMilliseconds()));
        });
    }

    [Test]
    public void Ids_sort_by_time_like_the_frameworks_version_7()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50).Select(i => EventIds.CreateVersion7(start.AddMilliseconds(i * 3))).ToList();
        Assert.That(ids.Select(g => g.ToString()), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(EventIds.CreateVersion7(start).ToString()[..13], Is.EqualTo(Guid.CreateVersion7(start).ToString()[..13]));
    }

    [Test]
    public void Ids_made_at_the_same_instant_on_many_threads_never_repeat()
    {
        var at = DateTimeOffset.UtcNow;
        var seen = new ConcurrentDictionary<Guid, byte>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5_000; i++)
                Assert.That(seen.TryAdd(EventIds.CreateVersion7(at), 0), Is.True);
        });
        Assert.That(seen, Has.Count.EqualTo(40_000));
    }
}
