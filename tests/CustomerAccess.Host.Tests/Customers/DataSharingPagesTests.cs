using System.Net;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Customers;

// Data sharing on the screens: search's "Known at ..." sections and registering from them, through plain HTTP (no JavaScript).
public partial class DataSharingTests
{
    private HttpClient Browser(string name, string role, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return http;
    }

    [Test]
    public async Task The_search_screen_shows_a_labelled_section_per_sharing_council_and_registers_from_it_here()
    {
        await Share("cotswold", "forest-of-dean", true);
        var last = Surname("Fairford");
        var email = last.ToLowerInvariant() + "@example.com";
        var source = await Register("cotswold", "Mina", last, email, "01285 712345", await CurrentUprn("cotswold"));

        using var advisor = Browser("advisor.fod", "advisor", "forest-of-dean");
        var search = await PageForms.ReadAsync(await advisor.GetAsync($"/customers?q={Uri.EscapeDataString(email)}"));
        Assert.That(search, Does.Contain("No customers found"), "none of forest-of-dean's own");
        Assert.That(search, Does.Contain("Known at Cotswold District Council"));
        Assert.That(search, Does.Contain($"Mina {last}").And.Contain(email));
        var link = $"/councils/forest-of-dean/customers/new?sharedCouncil=cotswold&amp;sharedId={source}";
        Assert.That(search, Does.Contain(link));
        Assert.That(search, Does.Not.Contain($"/councils/forest-of-dean/customers/{source}\""), "no link to a record this council does not hold");
        var fragment = await (await advisor.GetAsync($"/customers?q={Uri.EscapeDataString(email)}&fragment=results")).Content.ReadAsStringAsync();
        Assert.That(fragment, Does.Contain("Known at Cotswold District Council"), "find-as-you-type shows them too");

        var form = await PageForms.ReadAsync(await advisor.GetAsync(System.Net.WebUtility.HtmlDecode(link)));
        Assert.That(form, Does.Contain("Details from Cotswold District Council"));
        Assert.That(form, Does.Contain($"value=\"{last}\"").And.Contain($"value=\"{email}\"").And.Contain("value=\"01285 712345\""));
        Assert.That(form, Does.Contain("is not in this council’s gazetteer"), "cotswold's address is not offered as forest-of-dean's");

        var posted = await PageForms.PostAsync(advisor, form, "/councils/forest-of-dean/customers/new", new()
        {
            ["Form.FirstName"] = "Mina", ["Form.LastName"] = last, ["Form.Email"] = email, ["Form.Phone"] = "01285 712345",
            ["Form.SharedCouncil"] = "cotswold", ["Form.SharedId"] = source,
        });
        var single = await PageForms.ReadAsync(posted);
        var path = posted.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(path, Does.StartWith("/councils/forest-of-dean/customers/").And.Not.EndWith(source));
        Assert.That(single, Does.Contain(last));
        var id = path.Split('/')[^1];
        await Eventually.Until(async () =>
            (await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/forest-of-dean/customers/{id}/timeline"), HttpStatusCode.OK))["items"]!
                .AsArray().Any(i => i!["reference"]?.GetValue<string>() == $"cotswold/{source}"),
            TimeSpan.FromSeconds(5), "the new record notes where its details came from");

        // A member serving forest-of-dean sees no other council's residents, and may not open the pre-filled form.
        using var member = Browser("cllr.fod", "member", "forest-of-dean");
        var memberSearch = await PageForms.ReadAsync(await member.GetAsync($"/customers?q={Uri.EscapeDataString(email)}"));
        Assert.That(memberSearch, Does.Not.Contain("Known at").And.Not.Contain(source));
        Assert.That((await member.GetAsync(System.Net.WebUtility.HtmlDecode(link))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // Withdrawn: the section and the pre-filled form are gone at once.
        await Share("cotswold", "forest-of-dean", false);
        var after = await PageForms.ReadAsync(await advisor.GetAsync($"/customers?q={Uri.EscapeDataString(email)}"));
        Assert.That(after, Does.Not.Contain("Known at Cotswold District Council"));
        Assert.That((await advisor.GetAsync(System.Net.WebUtility.HtmlDecode(link))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
