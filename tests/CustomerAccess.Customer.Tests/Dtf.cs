namespace CustomerAccess.Customer.Tests;

/// <summary>Builds DTF 7.3 rows with the right number of fields, so tests state only what they mean.</summary>
internal static class Dtf
{
    public static string Header(string fileType = "F") =>
        Row("10", "I", "0", "Test Council", "1615", "2024-04-01", "1", "2024-04-01", "09:00:00", "7.3", fileType);

    public static string Trailer(int count = 0) => Row("99", "I", "0", "0", count.ToString(), "2024-04-01", "09:00:00");

    public static string Street(long usrn, string change = "I", string? stateDate = "2024-01-01") =>
        Row("11", change, "0", usrn.ToString(), "1", "1615", "2", stateDate ?? "", "1", "8", "1", "2024-01-01", "2024-01-01",
            "1990-01-01", "", "394900", "222300", "395300", "222350", "10");

    public static string Descriptor(long usrn, string description, string? locality, string town, string change = "I") =>
        Row("15", change, "0", usrn.ToString(), Quote(description), Quote(locality ?? ""), Quote(town), "Gloucestershire", "ENG");

    public static string Blpu(long uprn, string change = "I", int status = 1, string blpuClass = "RD04") =>
        Row("21", change, "0", uprn.ToString(), status.ToString(), "2", "2024-01-01", blpuClass, "", "394950.00", "222310.00", "1", "1615",
            "1990-01-01", "", "2024-01-01", "2024-01-01", "", "", "", "", "", "");

    public static string Lpi(long uprn, string key, long usrn, string postcode, string change = "I", int status = 1,
        string sao = ",,,,", string pao = ",,,,", string postTown = "CHELTENHAM") =>
        Row("24", change, "0", uprn.ToString(), key, "ENG", status.ToString(), "1990-01-01", "", "2024-01-01", "2024-01-01",
            sao, pao, usrn.ToString(), "", "Y", postcode, postTown, "Y", "", "", "");

    /// <summary>An SAO or PAO: start number, start suffix, end number, end suffix, text.</summary>
    public static string Part(int? start = null, string? startSuffix = null, int? end = null, string? endSuffix = null, string? text = null) =>
        string.Join(',', start?.ToString() ?? "", startSuffix ?? "", end?.ToString() ?? "", endSuffix ?? "", Quote(text ?? ""));

    public static string File(params string[] rows) => string.Join("\r\n", rows) + "\r\n";

    private static string Row(params string[] fields) => string.Join(',', fields);

    private static string Quote(string s) => s.Length == 0 ? "" : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
