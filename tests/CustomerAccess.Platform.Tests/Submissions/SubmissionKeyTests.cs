using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Tests.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.Submissions;

/// <summary>One-time submission keys: claimed with the write, replayed without one, on a real database.</summary>
public class SubmissionKeyTests
{
    private TestDatabase _db = null!;
    private Platform.EventStore.EventStore _store = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _db = await TestDatabase.CreateAsync();
        _store = _db.CreateEventStore([typeof(AppendAndReadTests).Assembly]);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private static EventContext Advisor => new() { Actor = "advisor", Channel = "phone" };

    /// <summary>What a module's use case does: claim, append, remember the result, commit; or answer the earlier result.</summary>
    private async Task<(string Result, bool Replayed)> RecordAsync(string council, string? key, string stream, string what,
        Func<Task>? beforeCommit = null)
    {
        await using var session = await _store.OpenSessionAsync(council, Advisor);
        if (await session.ClaimSubmissionAsync(key, "test.record", SubmissionKeys.Fingerprint(stream, what)) is { } earlier) return (earlier, true);
        await session.AppendAsync(stream, ExpectedVersion.Any, [new ThingHappened(what, 1)]);
        var id = Guid.NewGuid().ToString();
        await session.CompleteSubmissionAsync(id);
        if (beforeCommit is not null) await beforeCommit();
        await session.CommitAsync();
        return (id, false);
    }

    private async Task<long> VersionAsync(string council, string stream)
    {
        await using var session = await _store.OpenSessionAsync(council, Advisor);
        return await session.StreamVersionAsync(stream);
    }

    [Test]
    public async Task A_replayed_key_records_nothing_and_answers_the_first_result()
    {
        var stream = "thing-" + Guid.NewGuid();
        var key = SubmissionKeys.New();
        var first = await RecordAsync("cheltenham", key, stream, "note");
        var again = await RecordAsync("cheltenham", key, stream, "note");
        Assert.That((first.Replayed, again.Replayed, again.Result), Is.EqualTo((false, true, first.Result)));
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(1));

        // Without a key, as before: every request records.
        await RecordAsync("cheltenham", null, stream, "note");
        await RecordAsync("cheltenham", null, stream, "note");
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(3));
    }

    [Test]
    public async Task The_same_key_with_another_request_is_a_conflict_and_another_council_has_its_own_keys()
    {
        var stream = "thing-" + Guid.NewGuid();
        var key = SubmissionKeys.New();
        await RecordAsync("cheltenham", key, stream, "note");
        var e = Assert.ThrowsAsync<ApiProblemException>(() => RecordAsync("cheltenham", key, stream, "another note"));
        Assert.That(e!.Status, Is.EqualTo(409));
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(1));

        var other = await RecordAsync("cotswold", key, stream, "note");
        Assert.That(other.Replayed, Is.False, "keys are per council (and RLS hides the other council's row)");
    }

    [Test]
    public async Task A_rolled_back_write_gives_its_key_back()
    {
        var stream = "thing-" + Guid.NewGuid();
        var key = SubmissionKeys.New();
        Assert.ThrowsAsync<InvalidOperationException>(() => RecordAsync("cheltenham", key, stream, "note", () => throw new InvalidOperationException("crash")));
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(0));
        var retried = await RecordAsync("cheltenham", key, stream, "note");
        Assert.That(retried.Replayed, Is.False);
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(1));
    }

    [Test]
    public async Task Racing_requests_with_one_key_record_once()
    {
        var stream = "thing-" + Guid.NewGuid();
        var key = SubmissionKeys.New();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RecordAsync("cheltenham", key, stream, "note"))));
        Assert.That(results.Count(r => !r.Replayed), Is.EqualTo(1));
        Assert.That(results.Select(r => r.Result).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await VersionAsync("cheltenham", stream), Is.EqualTo(1));
    }

    [Test]
    public async Task A_claim_without_a_result_cannot_commit_and_bad_or_stale_keys_are_refused()
    {
        await using (var session = await _store.OpenSessionAsync("cheltenham", Advisor))
        {
            await session.ClaimSubmissionAsync(SubmissionKeys.New(), "test.record", "x");
            Assert.ThrowsAsync<InvalidOperationException>(() => session.CommitAsync());
        }
        await using var s = await _store.OpenSessionAsync("cheltenham", Advisor);
        var tooLong = Assert.ThrowsAsync<ApiProblemException>(() => s.ClaimSubmissionAsync(new string('k', 101), "test.record", "x"));
        Assert.That(tooLong!.Errors!.Keys, Is.EquivalentTo(new[] { "idempotencyKey" }));
        var old = Guid.CreateVersion7(DateTimeOffset.UtcNow - TimeSpan.FromDays(31)).ToString();
        var stale = Assert.ThrowsAsync<ApiProblemException>(() => s.ClaimSubmissionAsync(old, "test.record", "x"));
        Assert.That(stale!.Errors!["idempotencyKey"][0], Does.Contain("more than 30 days ago"));
    }

    [Test]
    public async Task The_sweep_forgets_keys_past_the_retention_only()
    {
        var stream = "thing-" + Guid.NewGuid();
        var key = SubmissionKeys.New();
        await RecordAsync("cheltenham", key, stream, "note");
        Assert.That(await SubmissionKeySweep.SweepOnceAsync(_db.Database, DateTimeOffset.UtcNow, CancellationToken.None), Is.Zero);
        Assert.That((await RecordAsync("cheltenham", key, stream, "note")).Replayed, Is.True);
        var swept = await SubmissionKeySweep.SweepOnceAsync(_db.Database, DateTimeOffset.UtcNow + TimeSpan.FromDays(32), CancellationToken.None);
        Assert.That(swept, Is.GreaterThanOrEqualTo(1));
    }
}
