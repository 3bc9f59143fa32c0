using System.Globalization;
using System.Runtime.CompilerServices;

namespace PushConsole.Sending.Providers;

/// <summary>
/// A provider's payload rendered once per content (the dispatcher shares one <see cref="PushContent"/> per variant, language
/// and platform) and sending options, then copied per push with the token and delivery id spliced in as bytes.
/// The first render uses sentinels for both; if either is not found exactly once, or a token would need JSON escaping,
/// that push is rendered in full instead, so the bytes are always exactly what the full render writes.
/// </summary>
internal sealed class PayloadTemplates(Func<PushMessage, byte[]> render, bool tokenInPayload)
{
    private const long IdSentinel = 7_318_926_405_518_273_946;
    private const string TokenSentinel = "\u0001push-token\u0001";
    private static readonly byte[] IdSentinelBytes = "7318926405518273946"u8.ToArray();
    // what the JSON writer makes of the sentinel (control characters are escaped)
    private static readonly byte[] TokenSentinelBytes = "\\u0001push-token\\u0001"u8.ToArray();

    private readonly ConditionalWeakTable<PushContent, Entry> _byContent = new();

    public byte[] Render(PushMessage message)
    {
        var key = new Key(message.Type, message.Priority, message.TimeToLive, message.CollapseId);
        if (!_byContent.TryGetValue(message.Content, out var entry) || entry.Key != key)
        {
            entry = new Entry(key, Build(message));
            _byContent.AddOrUpdate(message.Content, entry);
        }
        return entry.Template is { } template && (!tokenInPayload || IsPlain(message.Target.Token))
            ? template.Splice(tokenInPayload ? message.Target.Token : null, message.DeliveryId)
            : render(message);
    }

    private Template? Build(PushMessage message)
    {
        var bytes = render(message with { DeliveryId = IdSentinel, Target = tokenInPayload ? PushTarget.Fcm(TokenSentinel) : message.Target });
        var idAt = OnlyIndexOf(bytes, IdSentinelBytes);
        var tokenAt = tokenInPayload ? OnlyIndexOf(bytes, TokenSentinelBytes) : -1;
        if (idAt < 0 || tokenInPayload && (tokenAt < 0 || tokenAt > idAt)) return null;
        return new Template(bytes, tokenAt, idAt);
    }

    private static int OnlyIndexOf(byte[] bytes, byte[] part)
    {
        var at = bytes.AsSpan().IndexOf(part);
        return at >= 0 && bytes.AsSpan(at + 1).IndexOf(part) < 0 ? at : -1;
    }

    /// <summary>Characters that the JSON writer copies as they are (FCM tokens are base64url with ':' and '-').</summary>
    private static bool IsPlain(string token)
    {
        if (token.Length == 0) return false;
        foreach (var c in token)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.')) return false;
        return true;
    }

    private readonly record struct Key(PushType Type, PushPriority Priority, TimeSpan? TimeToLive, string? CollapseId);

    private sealed record Entry(Key Key, Template? Template);

    /// <summary>The rendered bytes with the token (if any) at <c>tokenAt</c>, before the delivery id at <c>idAt</c>.</summary>
    private sealed class Template(byte[] bytes, int tokenAt, int idAt)
    {
        public byte[] Splice(string? token, long deliveryId)
        {
            Span<byte> id = stackalloc byte[20];
            deliveryId.TryFormat(id, out var idLength, default, CultureInfo.InvariantCulture);
            var tokenLength = token?.Length ?? 0;
            var result = new byte[bytes.Length - IdSentinelBytes.Length + idLength - (token is null ? 0 : TokenSentinelBytes.Length - tokenLength)];
            var source = bytes.AsSpan();
            var target = result.AsSpan();
            var from = 0;
            if (token is not null)
            {
                source[..tokenAt].CopyTo(target);
                target = target[tokenAt..];
                for (var i = 0; i < token.Length; i++) target[i] = (byte)token[i];
                target = target[token.Length..];
                from = tokenAt + TokenSentinelBytes.Length;
            }
            source[from..idAt].CopyTo(target);
            target = target[(idAt - from)..];
            id[..idLength].CopyTo(target);
            source[(idAt + IdSentinelBytes.Length)..].CopyTo(target[idLength..]);
            return result;
        }
    }
}
