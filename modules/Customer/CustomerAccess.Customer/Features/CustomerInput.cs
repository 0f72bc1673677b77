using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace CustomerAccess.Customer.Features;

/// <summary>Checks shared by the routes that take customer details.</summary>
internal static partial class CustomerInput
{
    public const int MaxNameLength = 100;

    public static bool IsEmail(string email)
    {
        if (email.Length > 254 || email.Contains(' ', StringComparison.Ordinal)) return false;
        try
        {
            var parsed = new MailAddress(email);
            return parsed.Address == email && parsed.Host.Contains('.', StringComparison.Ordinal) && !parsed.Host.EndsWith('.');
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A UK number (01/02/03/07/08 + 9–10 digits) or an international one starting +.</summary>
    public static bool IsPhone(string phone)
    {
        if (!PhoneCharacters().IsMatch(phone)) return false;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (phone.TrimStart().StartsWith('+')) return digits.Length is >= 8 and <= 15;
        return digits.Length is 10 or 11 && digits[0] == '0';
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryUprn(string? text, out long uprn)
    {
        uprn = 0;
        return text is { Length: > 0 and <= 12 } && text.All(char.IsAsciiDigit) && long.TryParse(text, out uprn) && uprn > 0;
    }

    [GeneratedRegex(@"^\+?[0-9 ()\-]{8,20}$")]
    private static partial Regex PhoneCharacters();
}
