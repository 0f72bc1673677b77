using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CustomerAccess.Host.Tests;

/// <summary>Signing in as the seeded users (password change-me-locally) for HTTP acceptance tests.</summary>
internal static class Api
{
    public const string Password = "change-me-locally";

    public static async Task<string> TokenAsync(HttpClient client, string username, string password = Password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.That(response.IsSuccessStatusCode, Is.True, $"sign-in as {username} answered {(int)response.StatusCode}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client whose every request carries the user's bearer token.</summary>
    public static async Task<HttpClient> AsAsync(HostFixture host, string username)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, username));
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }
}
