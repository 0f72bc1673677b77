using CustomerAccess.Platform.Database;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// Every successful write answers with X-Event-Position, including the writes that append nothing
/// of their own: an idempotent retry (the same idempotencyKey), a repeated erasure, a PATCH that
/// changes nothing. Handlers that commit set the header to their commit's position; when a
/// successful (2xx) POST, PUT, PATCH or DELETE on a council's API or Open311 route reaches its
/// response without one, this sets it to the council's latest position, as the gazetteer import
/// does: the earlier write the retry refers to is at or before it, so X-Min-Position with it reads
/// the client's own write.
/// </summary>
public sealed class WritePositionFallback(RequestDelegate next, PlatformDatabase db)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) &&
            !HttpMethods.IsOptions(context.Request.Method) && IsApi(context.Request.Path))
            context.Response.OnStarting(() => SetIfMissingAsync(context));
        return next(context);
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api/councils", StringComparison.Ordinal) || path.StartsWithSegments("/open311", StringComparison.Ordinal);

    private async Task SetIfMissingAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.StatusCode is < 200 or >= 300 || response.Headers.ContainsKey(EventPositionHeader.Written)) return;
        if (context.Request.RouteValues[CouncilAccess.RouteParameter] is not string council || string.IsNullOrWhiteSpace(council)) return;
        try
        {
            await using var tx = await db.BeginAsync(council, context.RequestAborted).ConfigureAwait(false);
            await using var cmd = tx.Command("select coalesce(max(position), 0) from es.events where tenant_id = $1");
            cmd.Parameters.AddWithValue(council);
            var position = (long)(await cmd.ExecuteScalarAsync(context.RequestAborted).ConfigureAwait(false))!;
            if (position > 0) EventPositionHeader.Set(context, position);
        }
        catch (Npgsql.NpgsqlException)
        {
            // The write itself succeeded; a response without the header is better than none at all.
        }
    }
}
