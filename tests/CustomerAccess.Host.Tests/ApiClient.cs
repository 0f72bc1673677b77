using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests;

/// <summary>A client signed in as one test user (TestAuthHandler), with JSON helpers.</summary>
public sealed class ApiClient(HttpClient http, string user) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static ApiClient As(HostFixture host, string name, string role, params string[] councils)
    {
        var http = host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return new ApiClient(http, name);
    }

    public string User { get; } = user;

    public Task<HttpResponseMessage> PostAsync(string url, object body) => Http.PostAsJsonAsync(url, body);

    public Task<HttpResponseMessage> PatchAsync(string url, object body) => Http.PatchAsJsonAsync(url, body);

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Reads the response as JSON after asserting its status, showing the body when it differs.</summary>
    public static async Task<JsonNode> Expect(HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public void Dispose() => Http.Dispose();
}
