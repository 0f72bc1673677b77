using System.Security.Cryptography;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAccess.Tenancy.Features;

/// <summary>POST /api/auth/token: local sign-in for a bearer token (refused in production).</summary>
internal static class IssueToken
{
    internal sealed record Request(string? Username, string? Password);

    internal sealed record Response(string AccessToken, string TokenType, int ExpiresIn);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/api/auth/token", Handle).AllowAnonymous().WithName("IssueToken");

    private static async Task<IResult> Handle(Request? request, ILocalSignIn signIn, ILocalSigningKey keys, IHostEnvironment environment,
        TimeProvider time, CancellationToken ct)
    {
        if (environment.IsProduction())
            throw ApiProblemException.Forbidden("Local sign-in is turned off in production: use a token from the councils' OpenID Connect provider.");
        var v = new Validator();
        v.Require(!string.IsNullOrWhiteSpace(request?.Username), "username", "A username is required.");
        v.Require(!string.IsNullOrEmpty(request?.Password), "password", "A password is required.");
        v.ThrowIfInvalid();
        var user = await signIn.SignInAsync(request!.Username!, request.Password!, ct).ConfigureAwait(false);
        if (user is null)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The username or password is not right, or the account is locked for a while.");
        var key = await keys.GetAsync(ct).ConfigureAwait(false);
        return Results.Ok(new Response(Create(user, key, time.GetUtcNow()), "Bearer", (int)LocalTokens.Lifetime.TotalSeconds));
    }

    internal static string Create(LocalUser user, byte[] key, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LocalTokens.Issuer,
            Audience = LocalTokens.Audience,
            Subject = AccessClaims.ToIdentity(user, "local"),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + LocalTokens.Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = "local" }, SecurityAlgorithms.HmacSha256),
        });
}

/// <summary>
/// The local signing key: CustomerAccess:Auth:SigningKey (base64, at least 32 bytes) when configured,
/// else one made at first start and kept in tenancy.signing_keys, so tokens outlive a restart and
/// every host over the database accepts them.
/// </summary>
internal sealed class SigningKeyStore(PlatformDatabase db, IConfiguration configuration) : ILocalSigningKey
{
    private byte[]? _key;

    public async Task<byte[]> GetAsync(CancellationToken ct = default)
    {
        if (_key is not null) return _key;
        if (configuration["CustomerAccess:Auth:SigningKey"] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("CustomerAccess:Auth:SigningKey must be base64 of at least 32 bytes.");
            return _key = bytes;
        }
        await using var cmd = db.System.CreateCommand("""
            with made as (insert into tenancy.signing_keys (id, key) values ('local', $1) on conflict (id) do nothing returning key)
            select key from made union all select key from tenancy.signing_keys where id = 'local' limit 1
            """);
        cmd.Parameters.AddWithValue(RandomNumberGenerator.GetBytes(64));
        return _key = (byte[])(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
