using System.Security.Claims;
using System.Text.Encodings.Web;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAccess.Testing;

/// <summary>
/// A test-only sign-in: the header "X-Test-User: name;role[,role];council[,council][;team]" makes the
/// request that user. Lets module tests exercise roles and councils without the token route.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(value)) return Task.FromResult(AuthenticateResult.NoResult());
        var parts = value.Split(';');
        var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
        if (parts.Length > 1) claims.AddRange(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
        if (parts.Length > 2) claims.AddRange(parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => new Claim(AccessClaims.Council, c)));
        if (parts.Length > 3) claims.Add(new Claim(AccessClaims.Team, parts[3]));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = SchemeName;
            o.DefaultAuthenticateScheme = SchemeName;
            o.DefaultChallengeScheme = SchemeName;
            o.DefaultForbidScheme = SchemeName;
        }).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(SchemeName, _ => { });
        services.AddAuthorization(Policies.Register);
    }

    /// <summary>The header value for a user.</summary>
    public static string User(string name, string role, params string[] councils) => $"{name};{role};{string.Join(',', councils)}";
}
