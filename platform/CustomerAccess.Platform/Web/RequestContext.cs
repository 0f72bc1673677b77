using CustomerAccess.Platform.EventStore;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Platform.Web;

public static class RequestContext
{
    /// <summary>
    /// The event context of an HTTP write: who (the signed-in user's name), the channel if the
    /// request names one, a correlation id (the caller's X-Correlation-Id if it is a GUID), and the
    /// request's W3C trace context.
    /// </summary>
    public static EventContext EventContext(this HttpContext http, string? channel = null)
    {
        var correlation = Guid.TryParse(http.Request.Headers["X-Correlation-Id"].ToString(), out var given) ? given : Guid.CreateVersion7();
        return new EventContext { Actor = http.User.Actor(), Channel = channel, CorrelationId = correlation }.WithCurrentTrace();
    }
}
