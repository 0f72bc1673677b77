using System.Globalization;
using CustomerAccess.Platform.Projections;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Platform.Messaging;

public static class MessagingEndpoints
{
    /// <summary>GET /api/admin/dead-letters and POST /api/admin/dead-letters/{id}/retry, for partnership admins.</summary>
    public static RouteGroupBuilder MapDeadLetterAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/dead-letters").RequireAuthorization(Policies.PartnershipAdmin).WithTags("Admin");
        group.MapGet("/", async (DeadLetters deadLetters, CancellationToken ct) =>
            Results.Ok(await deadLetters.ListAsync(200, ct).ConfigureAwait(false)));
        group.MapPost("/{id:long}/retry", async (long id, DeadLetters deadLetters, CancellationToken ct) =>
            await deadLetters.RetryAsync(id, ct).ConfigureAwait(false)
                ? Results.Accepted()
                : throw ApiProblemException.NotFound("An open dead letter with that id"));
        return group;
    }

    /// <summary>
    /// Read-your-writes: a GET carrying X-Min-Position: N waits (up to <paramref name="max"/>, 5 s by
    /// default) until every asynchronous read model has reached position N. A malformed value is a
    /// 400 problem; a wait that times out still answers, with X-Read-Model-Stale: true.
    /// </summary>
    public static IApplicationBuilder UseReadModelWait(this IApplicationBuilder app, TimeSpan? max = null)
    {
        var limit = max ?? TimeSpan.FromSeconds(5);
        return app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) &&
                context.Request.Headers.TryGetValue(EventPositionHeader.MinPosition, out var values))
            {
                if (values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position <= 0)
                    throw ApiProblemException.Validation(EventPositionHeader.MinPosition, "Must be a positive whole number (a value of X-Event-Position).");
                var waiter = context.RequestServices.GetRequiredService<ReadModelWaiter>();
                if (!await waiter.WaitForAsync(position, limit, context.RequestAborted).ConfigureAwait(false))
                    context.Response.Headers["X-Read-Model-Stale"] = "true";
            }
            await next(context).ConfigureAwait(false);
        });
    }
}
