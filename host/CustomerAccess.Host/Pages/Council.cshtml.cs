using CustomerAccess.Host.Ui;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Host.Pages;

/// <summary>GET/POST /council: choose the council being served (the header's switcher posts here; works without JavaScript).</summary>
public sealed class CouncilModel(CouncilContext councils) : PageModel
{
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? council, string? returnUrl, CancellationToken ct)
    {
        var available = await councils.AvailableAsync(ct);
        if (council is null || !available.Any(c => c.Id == council) || !User.Serves(council))
        {
            Error = "Choose one of the councils you serve";
            Response.StatusCode = 400;
            return Page();
        }
        CouncilContext.Remember(Response, council);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
