using System.Net;
using System.Net.Sockets;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>
/// Which Web Push endpoints PushConsole may connect to. The app key is public, so anyone can register a subscription: without
/// this policy the dispatcher could be pointed at cloud metadata, the local network or the host itself (SSRF). Checked at
/// registration (scheme, IP literals in every notation, names that are not public) and again on every connection
/// (<see cref="ConnectPublicOnlyAsync"/>: the resolved address), so DNS rebinding cannot get around it.
/// <c>Providers:WebPush:AllowPrivateEndpoints</c> lifts it for the sandbox and closed networks.
/// </summary>
public static class WebPushEndpointPolicy
{
    /// <summary>Suffixes of names that never resolve on the public internet (RFC 6761, RFC 6762, RFC 8375, cloud metadata names).</summary>
    private static readonly string[] PrivateSuffixes =
        [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".private", ".home.arpa", ".localdomain", ".test", ".invalid", ".onion", ".arpa"];

    /// <summary>Why <paramref name="endpoint"/> is refused, or null. <paramref name="checkNames"/>: also refuse names that are not public (registration).</summary>
    public static string? Refusal(string endpoint, bool allowPrivate, bool checkNames = true) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? Refusal(uri, allowPrivate, checkNames) : "must be an absolute https URL (the push service's).";

    /// <summary>The same for an endpoint already parsed (the sender parses each one once).</summary>
    public static string? Refusal(Uri uri, bool allowPrivate, bool checkNames = true)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            return "must be an absolute https URL (the push service's).";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not carry a user name or password.";
        if (allowPrivate) return null;
        if (uri.Scheme != "https") return "must use https (plain http only with Providers:WebPush:AllowPrivateEndpoints).";
        var host = uri.IdnHost.TrimEnd('.');
        if (ParseAddress(host) is { } ip)
            return IsPublic(ip) ? null : $"points at {ip}, a loopback, private, link-local or reserved address; push services are on the public internet.";
        if (!checkNames) return null;
        var name = host.ToLowerInvariant();
        if (!name.Contains('.') || name == "localhost" || PrivateSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
            return $"names \"{name}\", which is not a public host name; push services are on the public internet.";
        // a label made only of digits and dots (or 0x…) that did not parse is an address in a notation we do not guess at
        if (name.Split('.').All(l => l.Length > 0 && (l.All(char.IsAsciiDigit) || l.StartsWith("0x", StringComparison.Ordinal))))
            return $"\"{name}\" looks like an IP address in an unusual notation; use the push service's host name.";
        return null;
    }

    /// <summary>An IP literal in any notation the URL parser accepted (dotted, [v6], v4-mapped…), or null for a name.</summary>
    private static IPAddress? ParseAddress(string host)
    {
        var text = host.Trim('[', ']');
        var zone = text.IndexOf('%');
        if (zone > 0) text = text[..zone];
        return IPAddress.TryParse(text, out var ip) ? ip : null;
    }

    /// <summary>True for a globally routable unicast address; false for loopback, private, link-local, unique-local, shared, reserved, multicast and documentation ranges.</summary>
    public static bool IsPublic(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(ip.GetAddressBytes());
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var b = ip.GetAddressBytes();
        if (ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.IPv6Loopback)) return false;
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal) return false;
        if ((b[0] & 0xFE) == 0xFC) return false;                                   // fc00::/7 unique local (fd00:ec2::254 is AWS metadata)
        if (b.Take(12).All(x => x == 0)) return IsPublicV4(b[12..]);               // ::a.b.c.d, IPv4-compatible
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) return IsPublicV4(b[12..]); // 64:ff9b::/96 NAT64
        if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(b[2..6]);               // 2002::/16 6to4
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return false; // 2001::/32 Teredo (hides an IPv4 address)
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false; // 2001:db8::/32 documentation
        if (b[0] == 0x01 && b[1] == 0x00 && b.Skip(2).Take(6).All(x => x == 0)) return false; // 100::/64 discard
        return (b[0] & 0xE0) == 0x20;                                               // 2000::/3 is the global unicast space
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] is 0 or 10 or 127 or >= 224                                            // this network, private, loopback, multicast and reserved
        || b[0] == 100 && (b[1] & 0xC0) == 64                                        // 100.64/10 shared (carrier-grade NAT)
        || b[0] == 169 && b[1] == 254                                                // link-local, cloud metadata 169.254.169.254
        || b[0] == 172 && (b[1] & 0xF0) == 16                                        // 172.16/12
        || b[0] == 192 && b[1] == 168                                                // 192.168/16
        || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2                                // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
        || b[0] == 198 && (b[1] & 0xFE) == 18                                        // 198.18/15 benchmarking
        || b[0] == 198 && b[1] == 51 && b[2] == 100                                  // documentation
        || b[0] == 203 && b[1] == 0 && b[2] == 113);                                 // documentation

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/> for Web Push: resolves the host and connects only to public addresses,
    /// so a name that (now) resolves to a private one is never connected to.
    /// </summary>
    public static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = ParseAddress(host) is { } literal ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0) throw new WebPushEndpointRefusedException(host, addresses);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A Web Push endpoint whose host resolves only to addresses the policy refuses; the delivery fails for good, unretried.</summary>
public sealed class WebPushEndpointRefusedException(string host, IReadOnlyCollection<IPAddress> addresses)
    : IOException($"{host} resolves to {(addresses.Count == 0 ? "no address" : string.Join(", ", addresses))}, which is not a public address; it is never connected to.");
