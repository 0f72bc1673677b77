using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Tests.Messaging;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.Projections;

public class InlineProjectionAtomicityTests
{
    private sealed class ThrowingInlineProjection : IInlineProjection
    {
        public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            // Writes something first, so the test shows that too is rolled back.
            await using var cmd = session.Db.Command("select 1");
            await cmd.ExecuteNonQueryAsync(ct);
            throw new InvalidOperationException("read model refused the event");
        }
    }

    [Test]
    public async Task A_throwing_inline_projection_rolls_back_the_append()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = db.CreateEventStore([typeof(InlineProjectionAtomicityTests).Assembly], [new ThrowingInlineProjection()]);
        var stream = "atomic-" + Guid.NewGuid();
        await using (var session = await store.OpenSessionAsync("cheltenham", new EventContext { Actor = "test" }))
        {
            Assert.ThrowsAsync<InvalidOperationException>(() => session.AppendAsync(stream, ExpectedVersion.NoStream, [new Counted(1)]));
            Assert.That(session.IsCommitted, Is.False);
        }

        Assert.That(await TestSql.ScalarAsync<long>(db, "select count(*) from es.events where stream_id = $1", stream), Is.Zero);
        var clean = db.CreateEventStore([typeof(InlineProjectionAtomicityTests).Assembly]);
        await using var reader = await clean.OpenSessionAsync("cheltenham", new EventContext { Actor = "test" });
        Assert.That(await reader.ReadStreamAsync(stream), Is.Empty);
    }
}
