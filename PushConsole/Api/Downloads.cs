using System.Globalization;
using System.Text;

namespace PushConsole.Api;

/// <summary>What every file download writes: a header that survives any file name, and CSV cells a spreadsheet will not run.</summary>
public static class Downloads
{
    // letters with a stroke have no decomposition, so they are spelled out by hand
    private static readonly Dictionary<char, char> Strokes = new() { ['Ł'] = 'L', ['ł'] = 'l', ['Ø'] = 'O', ['ø'] = 'o', ['Đ'] = 'D', ['đ'] = 'd', ['Ħ'] = 'H', ['ħ'] = 'h' };

    /// <summary>
    /// <c>Content-Disposition: attachment</c> with an ASCII <c>filename</c> fallback and the exact name as RFC 6266 / RFC 8187
    /// <c>filename*</c> (a raw non-ASCII header value makes Kestrel fail the response).
    /// </summary>
    public static string Attachment(string fileName)
    {
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            else fallback.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : Strokes.GetValueOrDefault(c, '_'));
        return $"attachment; filename=\"{fallback}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    /// <summary>
    /// One CSV (RFC 4180) cell. A value starting with = + - @ tab or CR is a formula to Excel and LibreOffice (CSV injection),
    /// so it gets a leading apostrophe, which spreadsheets show as text.
    /// </summary>
    public static string CsvCell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 && value.Trim().Length == value.Length ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
