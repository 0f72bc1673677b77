using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using CustomerAccess.Platform.EventStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerAccess.Platform.Messaging;

/// <summary>
/// Delivers outbox messages to every <see cref="IMessageHandler{T}"/>, on one host at a time.
/// Woken by NOTIFY on commit, it also sweeps on a slow timer, so a crash between commit and
/// delivery loses nothing: whatever is in the outbox is pending by definition. A handler's effect
/// and its inbox row commit together; failures back off exponentially and, after
/// <see cref="MessagingOptions.MaxAttempts"/>, the message is parked in platform.dead_letters.
/// </summary>
public sealed partial class OutboxDispatcher(
    EventStore.EventStore store,
    MessageTypeRegistry types,
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    ILogger<OutboxDispatcher> logger,
    TimeProvider? time = null) : BackgroundService
{
    private static readonly Counter<long> Delivered = EventStore.EventStore.Meter.CreateCounter<long>("customeraccess.messages.delivered", "{message}");
    private static readonly Counter<long> Failed = EventStore.EventStore.Meter.CreateCounter<long>("customeraccess.messages.failed", "{attempt}");
    private static readonly Counter<long> DeadLettered = EventStore.EventStore.Meter.CreateCounter<long>("customeraccess.messages.dead_lettered", "{message}");
    private static long _pending;
    private static readonly ObservableGauge<long> Pending = EventStore.EventStore.Meter.CreateObservableGauge(
        "customeraccess.outbox.pending", () => Interlocked.Read(ref _pending), "{message}", "Messages waiting in the outbox, as last seen by the leader.");
    private readonly MessagingOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool IsLeader { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunBackgroundWork) return;
        _ = Pending;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await LeaderLease.TryAcquireAsync(
                    store.Database.SystemConnectionString, "outbox", ["ca_outbox"], stoppingToken).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(_options.LeaseRetryInterval, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                IsLeader = true;
                try
                {
                    await LeadAsync(lease, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    IsLeader = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDispatcherFailed(logger, Projections.SubscriptionRunner.Describe(e));
                await Task.Delay(_options.ErrorBackoff, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task LeadAsync(LeaderLease lease, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var due = await TakeDueAsync(ct).ConfigureAwait(false);
            foreach (var row in due) await DeliverAsync(row, ct).ConfigureAwait(false);
            if (due.Count == _options.OutboxBatchSize) continue;

            // Sleep until the next retry is due, a commit NOTIFYs, or the sweep interval passes.
            var (pending, nextDue) = await PendingAsync(ct).ConfigureAwait(false);
            Interlocked.Exchange(ref _pending, pending);
            var wait = nextDue is { } d && d < _options.PollInterval ? d : _options.PollInterval;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            await lease.WaitAsync(wait, ct).ConfigureAwait(false);
        }
    }

    private async Task<List<OutboxRow>> TakeDueAsync(CancellationToken ct)
    {
        await using var cmd = store.Database.System.CreateCommand("""
            select id, tenant_id, message_id, message_type, payload::text, correlation_id, causation_id, trace_parent, trace_state, attempts, sent_by
            from platform.outbox where next_attempt_at <= now() order by next_attempt_at, id limit $1
            """);
        cmd.Parameters.AddWithValue(_options.OutboxBatchSize);
        var rows = new List<OutboxRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        return rows;
    }

    private async Task<(long Pending, TimeSpan? NextDue)> PendingAsync(CancellationToken ct)
    {
        await using var cmd = store.Database.System.CreateCommand(
            "select count(*), extract(epoch from min(next_attempt_at) - now())::float8 from platform.outbox");
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetDouble(1)));
    }

    private async Task DeliverAsync(OutboxRow row, CancellationToken ct)
    {
        string? error = null;
        try
        {
            var type = types.Find(row.Type) ?? throw new InvalidOperationException($"Message type '{row.Type}' is not known to this host.");
            var message = JsonSerializer.Deserialize(row.Payload, type, JsonDefaults.Options)!;
            await using var scope = scopes.CreateAsyncScope();
            var handlers = scope.ServiceProvider.GetServices(typeof(IMessageHandler<>).MakeGenericType(type));
            var invoke = HandlerInvoker.For(type);
            foreach (var handler in handlers)
            {
                try
                {
                    await DeliverToAsync(row, message, handler!, invoke, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Keep going: other handlers' deliveries are independent; this one is retried.
                    error = Describe(handler!.GetType(), e);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = Describe(null, e);
        }

        if (error is null)
        {
            await using var done = store.Database.System.CreateCommand("delete from platform.outbox where id = $1");
            done.Parameters.AddWithValue(row.Id);
            await done.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            Delivered.Add(1, new KeyValuePair<string, object?>("message_type", row.Type));
            return;
        }

        var attempts = row.Attempts + 1;
        Failed.Add(1, new KeyValuePair<string, object?>("message_type", row.Type));
        if (attempts >= _options.MaxAttempts)
        {
            await using var park = store.Database.System.CreateCommand("""
                with gone as (delete from platform.outbox where id = $1 returning *)
                insert into platform.dead_letters (tenant_id, message_id, message_type, payload, correlation_id, causation_id,
                                                   trace_parent, trace_state, created_at, attempts, error, sent_by)
                select tenant_id, message_id, message_type, payload, correlation_id, causation_id, trace_parent, trace_state,
                       created_at, $2, $3, sent_by from gone
                """);
            park.Parameters.AddWithValue(row.Id);
            park.Parameters.AddWithValue(attempts);
            park.Parameters.AddWithValue(error);
            await park.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            DeadLettered.Add(1, new KeyValuePair<string, object?>("message_type", row.Type));
            LogDeadLettered(logger, row.MessageId, row.Type, attempts);
            return;
        }

        await using var retry = store.Database.System.CreateCommand("""
            update platform.outbox set attempts = $2, last_error = $3, next_attempt_at = now() + $4 where id = $1
            """);
        retry.Parameters.AddWithValue(row.Id);
        retry.Parameters.AddWithValue(attempts);
        retry.Parameters.AddWithValue(error);
        retry.Parameters.AddWithValue(RetryDelay(attempts));
        await retry.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        LogRetrying(logger, row.MessageId, row.Type, attempts);
    }

    private async Task DeliverToAsync(OutboxRow row, object message, object handler, HandlerInvoker invoke, CancellationToken ct)
    {
        var handlerName = handler.GetType().FullName!;
        ActivityContext.TryParse(row.TraceParent, row.TraceState, out var parent);
        using var activity = EventStore.EventStore.ActivitySource.StartActivity(
            "message.handle " + row.Type, ActivityKind.Consumer, parent);
        activity?.SetTag("customeraccess.message_id", row.MessageId);
        activity?.SetTag("customeraccess.message_type", row.Type);
        activity?.SetTag("customeraccess.handler", handlerName);
        activity?.SetTag("customeraccess.tenant", row.Tenant);

        var context = new EventContext
        {
            Actor = "system",
            Channel = "message",
            CorrelationId = row.CorrelationId ?? row.MessageId,
            CausationId = row.MessageId,
            TraceParent = activity?.Id ?? row.TraceParent,
            TraceState = activity?.TraceStateString ?? row.TraceState,
            OnBehalfOf = row.SentBy is null or "system" ? null : row.SentBy,
        };
        await using var session = await store.OpenSessionAsync(row.Tenant, context, ct).ConfigureAwait(false);
        await using (var inbox = session.Db.Command("""
            insert into platform.inbox (tenant_id, message_id, handler) values ($1, $2, $3) on conflict do nothing
            """))
        {
            inbox.Parameters.AddWithValue(row.Tenant);
            inbox.Parameters.AddWithValue(row.MessageId);
            inbox.Parameters.AddWithValue(handlerName);
            if (await inbox.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                activity?.SetTag("customeraccess.duplicate", true);
                return; // handled before: a redelivery after a crash or a retry of another handler
            }
        }
        try
        {
            await invoke.InvokeAsync(handler, message, new MessageContext
            {
                MessageId = row.MessageId, Tenant = row.Tenant, MessageType = row.Type, CorrelationId = row.CorrelationId,
                CausationId = row.CausationId, Attempt = row.Attempts + 1, Session = session,
            }, ct).ConfigureAwait(false);
            await session.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempts - 1);
        var capped = Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds);
#pragma warning disable CA5394 // jitter, not security
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
    }

    /// <summary>Exception type and message only (messages carry no personal data by rule), bounded.</summary>
    private static string Describe(Type? handler, Exception e)
    {
        var text = (handler is null ? "" : handler.FullName + ": ") + e.GetType().FullName + ": " + e.Message;
        return text.Length > 2000 ? text[..2000] : text;
    }

    private sealed record OutboxRow(long Id, string Tenant, Guid MessageId, string Type, string Payload, Guid? CorrelationId,
        Guid? CausationId, string? TraceParent, string? TraceState, int Attempts, string? SentBy);

    private abstract class HandlerInvoker
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, HandlerInvoker> Cache = new();

        public static HandlerInvoker For(Type messageType) =>
            Cache.GetOrAdd(messageType, static t => (HandlerInvoker)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(t))!);

        public abstract Task InvokeAsync(object handler, object message, MessageContext context, CancellationToken ct);

        private sealed class Typed<T> : HandlerInvoker
        {
            public override Task InvokeAsync(object handler, object message, MessageContext context, CancellationToken ct) =>
                ((IMessageHandler<T>)handler).HandleAsync((T)message, context, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher failed ({ExceptionType}); retrying")]
    private static partial void LogDispatcherFailed(ILogger logger, string? exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({MessageType}) failed attempt {Attempt}; will retry")]
    private static partial void LogRetrying(ILogger logger, Guid messageId, string messageType, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} ({MessageType}) dead-lettered after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, Guid messageId, string messageType, int attempts);
}
