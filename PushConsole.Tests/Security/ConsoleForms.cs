using System.Net;
using System.Text.RegularExpressions;

namespace PushConsole.Tests.Security;

/// <summary>Signs in to the console the way a browser posts the form (antiforgery token and cookie included), from a chosen address.</summary>
public static partial class ConsoleForms
{
    public sealed record LoginResult(HttpStatusCode Status, string? Error, HttpResponseMessage Response);

    public static HttpClient Browser(AppHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };

    public static async Task<LoginResult> LoginAsync(HttpClient browser, string email, string password, string? forwardedFor = null, string? forwardedProto = null)
    {
        var page = await browser.GetStringAsync("account/login");
        var fields = HiddenInput().Matches(page)
            .Select(m => (Name: Attribute(m.Value, "name"), Value: WebUtility.HtmlDecode(Attribute(m.Value, "value") ?? "")))
            .Where(f => f.Name is not null)
            .Select(f => new KeyValuePair<string, string>(f.Name!, f.Value))
            .Append(new("Input.Email", email)).Append(new("Input.Password", password)).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, "account/login") { Content = new FormUrlEncodedContent(fields) };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        var error = LoginError().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;
        return new LoginResult(response.StatusCode, error, response);
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"""\b{name}="([^"]*)" """.TrimEnd()) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""id="login-error"[^>]*>([^<]*)<""")]
    private static partial Regex LoginError();
}
