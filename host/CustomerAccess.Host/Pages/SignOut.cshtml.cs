using CustomerAccess.Host.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Host.Pages;

/// <summary>
/// GET shows a Sign out button; POST (from any page's header) ends the cookie session. A POST whose
/// antiforgery token is missing or stale shows the button again (400) instead of an empty page.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class SignOutModel(Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) : PageModel
{
    public bool Expired { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            Expired = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        Response.Cookies.Delete(CouncilContext.CookieName);
        return LocalRedirect("/sign-in");
    }
}
