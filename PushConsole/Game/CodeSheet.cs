using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PushConsole.Data;
using QRCoder;

namespace PushConsole.Game;

/// <summary>A hunt's codes, and the printable A4 sheet: six per page, each with its QR image, the hunt's name and its hint.</summary>
public sealed class CodeSheet(IDbContextFactory<AppDbContext> contexts, QrCodes codes)
{
    private const int PerRow = 2, Rows = 3;
    private const double PageWidth = 210, PageHeight = 297, CellWidth = 95, CellHeight = 90, QrSize = 60;

    public async Task<CodeList> ListAsync(long appId, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hunt = await ChallengeService.FindAsync(db, appId, id, ct);
        if (hunt.Kind != ChallengeKind.Qr) throw new Api.BadInputException("id", $"\"{id}\" is a {ChallengeParser.Name(hunt.Kind)} challenge; only qr hunts have codes.");
        var hints = ChallengeService.Hints(hunt);
        var list = new List<CodeView>(hunt.CodeCount);
        for (var n = 1; n <= hunt.CodeCount; n++)
            list.Add(new CodeView(n, await codes.CodeAsync(appId, hunt.Id, n, ct), n <= hints.Count ? hints[n - 1] : $"Code {n} of {hunt.CodeCount}"));
        return new CodeList(hunt.ExternalId, list, $"/v4/challenges/{hunt.ExternalId}/codes.svg");
    }

    /// <summary>The sheet as SVG in millimetres (A4 pages stacked), ready to print at 100 %.</summary>
    public async Task<string> SvgAsync(long appId, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var name = (await ChallengeService.FindAsync(db, appId, id, ct)).Name;
        var list = await ListAsync(appId, id, ct);
        var pages = Math.Max(1, (list.Codes.Count + PerRow * Rows - 1) / (PerRow * Rows));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{PageWidth}mm\" height=\"{PageHeight * pages}mm\" viewBox=\"0 0 {PageWidth} {PageHeight * pages}\" font-family=\"sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(name)} · QR codes</title><rect width=\"{PageWidth}\" height=\"{PageHeight * pages}\" fill=\"#fff\"/>");
        using var generator = new QRCodeGenerator();
        for (var i = 0; i < list.Codes.Count; i++)
        {
            var code = list.Codes[i];
            var page = i / (PerRow * Rows);
            var (col, row) = (i % PerRow, i / PerRow % Rows);
            var x = 10 + col * CellWidth;
            var y = page * PageHeight + 12 + row * CellHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<g data-code=\"{code.Number}\"><rect x=\"{x}\" y=\"{y}\" width=\"{CellWidth - 5}\" height=\"{CellHeight - 5}\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"2 2\" stroke-width=\"0.3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (CellWidth - 5) / 2}\" y=\"{y + 8}\" font-size=\"5\" font-weight=\"bold\" text-anchor=\"middle\">{Escape(Clip(name, 40))}</text>");
            Qr(svg, generator, code.Code, x + (CellWidth - 5 - QrSize) / 2, y + 11);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (CellWidth - 5) / 2}\" y=\"{y + 77}\" font-size=\"4\" text-anchor=\"middle\">{Escape(Clip(code.Hint, 55))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (CellWidth - 5) / 2}\" y=\"{y + 82}\" font-size=\"2.5\" fill=\"#666\" text-anchor=\"middle\">#{code.Number}</text></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One QR code as a single path of its dark modules.</summary>
    private static void Qr(StringBuilder svg, QRCodeGenerator generator, string text, double x, double y)
    {
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = QrSize / matrix.Count;
        svg.Append("<path fill=\"#000\" d=\"");
        for (var r = 0; r < matrix.Count; r++)
            for (var c = 0; c < matrix[r].Count; c++)
                if (matrix[r][c])
                    svg.Append(CultureInfo.InvariantCulture, $"M{x + c * module:0.###} {y + r * module:0.###}h{module:0.###}v{module:0.###}h-{module:0.###}z");
        svg.Append("\"/>");
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
