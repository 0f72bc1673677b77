using System.Text.Json;
using CustomerAccess.Platform.EventStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// A failure the caller can act on, turned into an RFC 9457 problem response. Handlers throw it
/// before anything is written, so a refused request changes nothing.
/// </summary>
public class ApiProblemException(int status, string title, string? detail = null) : Exception(detail ?? title)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IDictionary<string, string[]>? Errors { get; init; }
    public IDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    public static ApiProblemException NotFound(string what) => new(StatusCodes.Status404NotFound, "Not found", $"{what} was not found.");
    public static ApiProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
    public static ApiProblemException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ApiProblemException Validation(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "The request is not valid", "See errors for each field.") { Errors = errors };

    public static ApiProblemException Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field errors and throws one 400 problem listing them all.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public Validator Require(bool condition, string field, string message)
    {
        if (!condition) Add(field, message);
        return this;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool IsValid => _errors.Count == 0;

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw ApiProblemException.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}

/// <summary>Maps every exception to a problem response; unexpected ones say nothing about their data.</summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblemException p => Build(p.Status, p.Title, p.Detail, p.Errors, p.Extensions),
            ConcurrencyException => Build(409, "Conflict", "The record was changed by someone else at the same time; try again.", null, null),
            SubjectErasedException => Build(409, "Conflict", "This customer's personal data has been erased.", null, null),
            BadHttpRequestException { InnerException: JsonException { Path: { } path } j } b when FieldOf(path) is { } field =>
                Build(b.StatusCode, "The request is not valid", "See errors for each field.",
                    new Dictionary<string, string[]> { [field] = [j.Message == LenientStringConverter.NulMessage ? NulCharacterGuard.Message : "Has the wrong type."] }, null),
            // A query or route parameter that does not bind ("limit=abc"): a validation problem naming it.
            // The message's value part is never copied: it is the caller's input.
            BadHttpRequestException b when b.InnerException is null && ParameterOf(b.Message) is { } parameter =>
                Build(b.StatusCode, "The request is not valid", "See errors for each field.",
                    new Dictionary<string, string[]> { [parameter.Name] = [parameter.Missing ? "Is required." : "Has the wrong format."] }, null),
            BadHttpRequestException b => Build(b.StatusCode, "Bad request", BadRequestDetail(b), null, null),
            JsonException => Build(400, "Bad request", "The request body is not valid JSON.", null, null),
            // Text PostgreSQL cannot store (a NUL that came some way no guard checks): the transaction
            // rolled back, so it is the caller's input that failed, not the service.
            Npgsql.PostgresException { SqlState: "22021" or "22P05" } => Build(400, "The request is not valid",
                "The request contains a character that cannot be stored (such as U+0000).", null, null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested) return true;
            // The exception's type only: messages can carry personal data. For a database error, its
            // SQLSTATE and the names of what it concerns, never the values in its message or detail.
            if (exception is Npgsql.PostgresException pg)
                LogDatabaseError(logger, pg.SqlState, pg.TableName, pg.ColumnName, pg.ConstraintName, pg.Routine, httpContext.Request.Path);
            else
                LogUnhandled(logger, exception.GetType().FullName, httpContext.Request.Path);
            problem = Build(500, "Something went wrong", "The request could not be completed. It has been logged.", null, null);
        }
        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }

    /// <summary>"$.customer.firstName" → "customer.firstName"; the body itself ("$") has no field.</summary>
    private static string? FieldOf(string path) =>
        path.StartsWith("$.", StringComparison.Ordinal) && path.Length > 2 ? path[2..]
        : path.StartsWith("$[", StringComparison.Ordinal) ? path[1..] : null;

    /// <summary>
    /// The parameter a minimal API binding failure names: 'Failed to bind parameter "int? limit" from
    /// "abc".' or 'Required parameter "string q" was not provided from query string.'. The body's own
    /// failures (missing, not JSON) are left to <see cref="BadRequestDetail"/>.
    /// </summary>
    private static (string Name, bool Missing)? ParameterOf(string message)
    {
        var match = BindingFailure().Match(message);
        if (!match.Success) return null;
        var missing = match.Groups["kind"].Value == "Required";
        if (missing && message.EndsWith("from body.", StringComparison.Ordinal)) return null;
        return (match.Groups["name"].Value, missing);
    }

    [System.Text.RegularExpressions.GeneratedRegex("""^(?<kind>Failed to bind|Required) parameter "[^"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)" """, System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    private static string BadRequestDetail(BadHttpRequestException b) =>
        b.InnerException is JsonException ? "The request body is not valid JSON or has a field of the wrong type."
        : b.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "The request body is missing or not valid."
        : "The request is not valid: a parameter is missing or has the wrong format.";

    private static ProblemDetails Build(int status, string title, string? detail, IDictionary<string, string[]>? errors, IDictionary<string, object?>? extensions)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        if (extensions is not null)
            foreach (var (k, v) in extensions) problem.Extensions[k] = v;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Database error {SqlState} (table {Table}, column {Column}, constraint {Constraint}, routine {Routine}) on {Path}")]
    private static partial void LogDatabaseError(ILogger logger, string sqlState, string? table, string? column, string? constraint, string? routine, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Path}")]
    private static partial void LogUnhandled(ILogger logger, string? exceptionType, PathString path);
}

public static class EventPositionHeader
{
    public const string Written = "X-Event-Position";
    public const string MinPosition = "X-Min-Position";

    /// <summary>Tells the client where its write landed in the global log, so it can read its own writes.</summary>
    public static void Set(HttpContext context, long? position)
    {
        if (position is { } p) context.Response.Headers[Written] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
