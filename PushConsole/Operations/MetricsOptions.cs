using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PushConsole.Operations;

/// <summary>Who may read <c>/metrics</c> (section <c>Metrics</c>); loopback only unless widened.</summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    public static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>CIDR networks (e.g. <c>10.0.0.0/8</c>) allowed to scrape; empty means loopback only.</summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>Seconds the outbox gauge reuses its last count (a scrape runs one small query at most this often).</summary>
    [Range(0, 3600)] public int OutboxSampleSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks ?? [])
            if (!IPNetwork.TryParse(network, out _))
                yield return new ValidationResult($"Metrics:AllowedNetworks: \"{network}\" is not a network in CIDR form such as 10.0.0.0/8 or 127.0.0.1/32.", [nameof(AllowedNetworks)]);
    }

    public MetricsNetworks Networks() => new(AllowedNetworks is { Length: > 0 } listed ? listed : Loopback);
}

/// <summary>Where OpenTelemetry also pushes metrics (section <c>Otlp</c>): off unless an endpoint is set.</summary>
public sealed class OtlpOptions
{
    public const string Section = "Otlp";

    /// <summary>e.g. <c>http://collector:4317</c> (gRPC); the standard OTEL_EXPORTER_OTLP_* variables refine it.</summary>
    [Url] public string? Endpoint { get; set; }
}

/// <summary>
/// The allow-list check for <c>/metrics</c>. A request that came through a proxy (an X-Forwarded-For the forwarded-headers
/// middleware did not consume) counts with every address it names, so a reverse proxy on the same machine does not
/// make the endpoint public.
/// </summary>
public sealed class MetricsNetworks(IEnumerable<string> networks)
{
    private readonly IPNetwork[] _networks = [.. networks.Select(n => IPNetwork.Parse(n))];

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _networks.Any(n => n.Contains(address));
    }

    public bool Allows(HttpContext context)
    {
        if (!Allows(context.Connection.RemoteIpAddress)) return false;
        foreach (var value in context.Request.Headers["X-Forwarded-For"])
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (!IPAddress.TryParse(part, out var forwarded) || !Allows(forwarded)) return false;
        return true;
    }
}
