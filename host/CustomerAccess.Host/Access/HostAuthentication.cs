using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CustomerAccess.Host.Access;

/// <summary>
/// How callers prove who they are. The API takes bearer tokens: outside production, tokens this host
/// signs locally (POST /api/auth/token, key shared through the database); in production, tokens from
/// the councils' OpenID Connect provider (CustomerAccess:Auth:Authority and Audience). The web UI
/// signs in with a cookie over the same users. One policy scheme picks: Bearer when an Authorization
/// header is present or the path is an API (so API calls are never cookie-authenticated and cannot
/// be forged cross-site), else the cookie.
/// </summary>
public static class HostAuthentication
{
    public const string Scheme = "CustomerAccess";
    public const string CookieName = "ca-auth";

    public static void AddCustomerAccessAuthentication(this WebApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        var auth = builder.Configuration.GetSection("CustomerAccess:Auth");
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or sign-in cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 || IsApi(context.Request.Path)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = auth["NameClaim"] ?? AccessClaims.Name;
                o.TokenValidationParameters.RoleClaimType = auth["RoleClaim"] ?? AccessClaims.Role;
                if (production)
                {
                    o.Authority = auth["Authority"] ?? throw new InvalidOperationException(
                        "CustomerAccess:Auth:Authority (the OpenID Connect provider) must be configured in production; see deploy/README.md.");
                    o.Audience = auth["Audience"] ?? throw new InvalidOperationException("CustomerAccess:Auth:Audience must be configured in production.");
                    o.RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", true);
                }
                else
                {
                    o.TokenValidationParameters.ValidIssuer = LocalTokens.Issuer;
                    o.TokenValidationParameters.ValidAudience = LocalTokens.Audience;
                    o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
                }
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/sign-in";
                o.LogoutPath = "/sign-out";
                // Signed in but not allowed: the 403 page, not the sign-in form (signing in again would not help).
                o.AccessDeniedPath = "/status/403";
                o.ExpireTimeSpan = LocalTokens.Lifetime;
                o.SlidingExpiration = true;
            });

        if (!production)
        {
            // Local tokens: the key comes from the database (warmed at start-up, see WarmUpAsync).
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<ILocalSigningKey>((o, keys) => o.TokenValidationParameters.IssuerSigningKeyResolver =
                    (_, _, _, _) => [new SymmetricSecurityKey(keys.GetAsync().GetAwaiter().GetResult()) { KeyId = "local" }]);
        }

        builder.Services.AddAuthorization(Policies.Register);
    }

    /// <summary>Loads the local signing key once, after migrations, so validating a token never waits on the database.</summary>
    public static async Task WarmUpAsync(WebApplication app)
    {
        if (!app.Environment.IsProduction())
            await app.Services.GetRequiredService<ILocalSigningKey>().GetAsync().ConfigureAwait(false);
    }

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/open311");
}
