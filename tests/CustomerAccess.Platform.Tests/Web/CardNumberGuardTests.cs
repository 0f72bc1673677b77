using CustomerAccess.Platform.Web;

namespace CustomerAccess.Platform.Tests.Web;

public class CardNumberGuardTests
{
    [TestCase("4111111111111111")]
    [TestCase("4111 1111 1111 1111")]
    [TestCase("4111-1111-1111-1111")]
    [TestCase("ref 5500 0055 5555 5559 paid")]
    [TestCase("378282246310005")] // Amex, 15 digits
    [TestCase("6011000990139424")]
    [TestCase("4222222222222")] // 13 digits
    [TestCase("id 7ee5e857-3489-4498-9143-40ff813fb5cd card 4111 1111 1111 1111")] // a UUID does not hide a card beside it
    [TestCase("4111.1111.1111.1111")]
    [TestCase("4111/1111/1111/1111")]
    [TestCase("3782.822463.10005")] // Amex grouping
    [TestCase("4111 1111.1111/1111")]
    [TestCase("4111\u00a01111\u00a01111\u00a01111")] // no-break spaces, as pasted from a web page
    [TestCase("\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11")] // fullwidth digits
    public void Finds_card_numbers(string text) => Assert.That(CardNumberGuard.ContainsCardNumber(text), Is.True);

    [TestCase("4111111111111112")] // fails Luhn
    [TestCase("01242 262626")] // a phone number
    [TestCase("+44 7700 900 982")]
    [TestCase("100023336956")] // a 12-digit UPRN
    [TestCase("2026-11-22T05:54:03Z")]
    [TestCase("01234567-8901-2345-6789-012345678901")] // longer than any card: part of something else
    [TestCase("41111111111111111111")] // 20 digits
    [TestCase("7ee5e857-3489-4498-9143-40ff813fb5cd")] // UUIDs whose digit runs pass Luhn: ids and idempotency keys
    [TestCase("{\"customerId\":\"61502dee-3518-4376-8241-0ad1f6da7a63\"}")]
    [TestCase("7ee5e85734894498914340ff813fb5cd")]
    [TestCase("")]
    [TestCase("51.89941234567888")] // a phone's GPS latitude (the digits pass Luhn): one dot is a decimal, not a card
    [TestCase("lat=51.89941234567888&long=-2.0783")]
    [TestCase("22/11/2026")]
    [TestCase("192.168.100.200")]
    [TestCase("10.0.19045.3693")] // a Windows build number
    public void Leaves_other_numbers_alone(string text) => Assert.That(CardNumberGuard.ContainsCardNumber(text), Is.False);

    [TestCase("79927398713", true)]
    [TestCase("79927398710", false)]
    public void Luhn_check(string digits, bool valid) => Assert.That(CardNumberGuard.Luhn(digits), Is.EqualTo(valid));
}
