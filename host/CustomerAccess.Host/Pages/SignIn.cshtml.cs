using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Host.Pages;

/// <summary>GET/POST /sign-in: local sign-in to a cookie over the users of the Tenancy module.</summary>
/// The antiforgery token is checked here rather than by the framework, whose refusal is an empty
/// 400: a form left open past its token (or an old tab) gets the form back with a message.
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class SignInModel(ILocalSignIn signIn, IHostEnvironment environment, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) : PageModel
{
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? Username { get; private set; }
    public string? ReturnUrl { get; private set; }
    public bool Disabled => environment.IsProduction();

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl, CancellationToken ct)
    {
        Username = username;
        ReturnUrl = returnUrl;
        if (Disabled) return Page();
        if (!await antiforgery.IsRequestValidAsync(HttpContext)) return Fail("The sign-in form had expired: sign in again", "username");
        if (string.IsNullOrWhiteSpace(username)) return Fail("Enter your username", "username");
        if (string.IsNullOrEmpty(password)) return Fail("Enter your password", "password");
        var user = await signIn.SignInAsync(username, password, ct);
        if (user is null) return Fail("The username or password is not right, or the account is locked for a while", "username");

        var principal = new System.Security.Claims.ClaimsPrincipal(AccessClaims.ToIdentity(user, CookieAuthenticationDefaults.AuthenticationScheme));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    private PageResult Fail(string message, string field)
    {
        Error = message;
        ErrorField = field;
        Response.StatusCode = field == "username" && message.StartsWith("The username", StringComparison.Ordinal) ? 401 : 400;
        return Page();
    }
}
