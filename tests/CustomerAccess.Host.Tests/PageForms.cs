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

    public static string AntiforgeryToken(string html) => WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the form page it came from.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string formHtml, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken(formHtml);
        return http.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}
