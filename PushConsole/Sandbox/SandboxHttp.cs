using System.Text.Json;

namespace PushConsole.Sandbox;

internal static class SandboxHttp
{
    public static async Task WriteJsonAsync(HttpContext context, int status, object body, int? retryAfterSeconds = null)
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json; charset=UTF-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), JsonSerializerOptions.Web, context.RequestAborted);
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext context, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) { buffer.Write(chunk, 0, read); break; }
            buffer.Write(chunk, 0, read);
        }
        // drain the rest so the stream completes cleanly
        while (await context.Request.Body.ReadAsync(chunk, context.RequestAborted) > 0) { }
        return buffer.ToArray();
    }

    /// <summary>The request headers worth showing in recent messages (never the authorization value itself).</summary>
    public static Dictionary<string, string> Headers(HttpContext context, params string[] names)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
            if (context.Request.Headers.TryGetValue(name, out var value)) headers[name] = value.ToString();
        return headers;
    }
}
