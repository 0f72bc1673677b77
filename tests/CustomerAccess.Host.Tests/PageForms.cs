using System.Net;
using System.Text.RegularExpressions;

namespace CustomerAccess.Host.Tests;

/// <summary>What the page-flow tests of every module's screens share: reading a page, posting its form.</summary>
internal static partial class PageForms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    /// <summary>The page's HTML, after checking its status and that it has one main landmark and one h1.</summary>
    public static async Task<string> ReadAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), html.Length > 3000 ? html[..3000] : html);
        Assert.That(Regex.Matches(html, "<main").Count, Is.EqualTo(1));
        Assert.That(Regex.Matches(html, "<h1").Count, Is.EqualTo(1));
        return html;
    }

    [GeneratedRegex("name=\"idempotencyKey\" value=\"([^\"]+)\"")]
    private static partial Regex SubmissionKey();

    /// <summary>
    /// The one-time submission key of the page's form whose opening tag contains <paramref name="formMarker"/>
    /// (its action, say), or of the first form that has one when the marker is null.
    /// </summary>
    public static string FormKey(string html, string? formMarker = null)
    {
        foreach (Match form in Regex.Matches(html, "<form[^>]*>.*?</form>", RegexOptions.Singleline))
        {
            var open = form.Value[..(form.Value.IndexOf('>', StringComparison.Ordinal) + 1)];
            if (formMarker is not null && !WebUtility.HtmlDecode(open).Contains(formMarker, StringComparison.Ordinal)) continue;
            var key = SubmissionKey().Match(form.Value);
            if (key.Success) return key.Groups[1].Value;
        }
        Assert.Fail($"No form{(formMarker is null ? "" : " with " + formMarker)} carries an idempotencyKey.");
        return "";
    }

    /// <summary>
    /// Posts the same form twice, as a double click or a back-and-resubmit does: the fields, the page's
    /// antiforgery token and its form's submission key, twice. Returns both responses.
    /// </summary>
    public static async Task<(HttpResponseMessage First, HttpResponseMessage Again)> PostTwiceAsync(HttpClient http, string formHtml, string action,
        Dictionary<string, string> fields, string? formMarker = null)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken(formHtml);
        fields["idempotencyKey"] = FormKey(formHtml, formMarker);
        var first = await http.PostAsync(action, new FormUrlEncodedContent(fields));
        var again = await http.PostAsync(action, new FormUrlEncodedContent(fields));
        return (first, again);
    }

    /// <summary>The page's antiforgery field as HTML, to pair with one form cut out of a page of many.</summary>
    public static string AntiforgeryField(string html) => Token().Match(html).Value;

    public static string AntiforgeryToken(string html) => WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the form page it came from.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string formHtml, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken(formHtml);
        return http.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}

/// <summary>Counts what was recorded, straight from the event store (the owner's connection, no RLS).</summary>
internal static class Recorded
{
    public static async Task<long> EventsAsync(CustomerAccess.Testing.TestDatabase db, string council, string customerId, string eventType)
    {
        await using var connection = await db.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*) from es.events where tenant_id = $1 and metadata->>'customerId' = $2 and event_type = $3", connection);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(customerId);
        cmd.Parameters.AddWithValue(eventType);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Events of a type in a council whose payload field has a value (for events about no customer).</summary>
    public static async Task<long> EventsWithAsync(CustomerAccess.Testing.TestDatabase db, string council, string eventType, string field, string value)
    {
        await using var connection = await db.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*) from es.events where tenant_id = $1 and event_type = $2 and data->>$3 = $4", connection);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(eventType);
        cmd.Parameters.AddWithValue(field);
        cmd.Parameters.AddWithValue(value);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
