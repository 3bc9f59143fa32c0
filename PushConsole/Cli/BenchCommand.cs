using System.CommandLine;
using PushConsole.Sandbox;

namespace PushConsole.Cli;

/// <summary><c>bench providers</c>: sends/s of each provider client alone against the sandbox (docs/BENCHMARKS.md).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var provider = new Option<string[]>("--provider") { Description = "fcm, apns, webpush (repeatable; all by default)", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--count") { Description = "Pushes per provider", DefaultValueFactory = _ => 50_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sends in flight", DefaultValueFactory = _ => 256 };
        var tls = new Option<bool>("--tls") { Description = "Use the sandbox's TLS listeners instead of cleartext HTTP/2" };
        var sandbox = new Option<string?>("--sandbox") { Description = "Control URL of a sandbox in another process (`sandbox --urls …`); in-process otherwise" };
        var apnsConnections = new Option<int>("--apns-connections") { Description = "HTTP/2 connections of the APNs client (Providers:Apns:Connections)", DefaultValueFactory = _ => new Sending.Providers.ProvidersOptions().Apns.Connections };
        var fcmConnections = new Option<int>("--fcm-connections") { Description = "HTTP/2 connections of the FCM client's pool (Providers:Fcm:Connections)", DefaultValueFactory = _ => new Sending.Providers.ProvidersOptions().Fcm.Connections };
        var json = new Option<bool>("--json") { Description = "One JSON line per provider (sandbox counters, CPU seconds of the window, peak RSS), for bench/run.sh" };
        var providers = new Command("providers", "Sends/s of each provider client alone against the sandbox.") { provider, count, concurrency, tls, sandbox, apnsConnections, fcmConnections, json };
        providers.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(provider) is { Length: > 0 } p ? p : ["fcm", "apns", "webpush"];
            var settings = new ProviderBenchmark.Settings(chosen, parse.GetValue(count), parse.GetValue(concurrency), parse.GetValue(tls),
                parse.GetValue(sandbox) is { } url ? new Uri(url.TrimEnd('/') + "/") : null, parse.GetValue(json))
            {
                ApnsConnections = parse.GetValue(apnsConnections),
                FcmConnections = parse.GetValue(fcmConnections),
            };
            if (!settings.Json) Console.WriteLine($"provider clients alone: {settings.Count} pushes each, {settings.Concurrency} in flight, {(settings.Tls ? "TLS" : "h2c")}, sandbox {(settings.ExternalSandbox?.ToString() ?? "in this process")}");
            await ProviderBenchmark.RunAsync(settings, Console.Out, ct);
            return 0;
        });
        return new Command("bench", "Benchmarks.") { providers };
    }
}
