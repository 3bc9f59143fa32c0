using Microsoft.Extensions.Options;
using PushConsole.Devices;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>Registration's question (<see cref="IWebPushEndpointCheck"/>) answered by <see cref="WebPushEndpointPolicy"/> with this install's setting.</summary>
public sealed class WebPushEndpointCheck(IOptions<ProvidersOptions> providers) : IWebPushEndpointCheck
{
    public string? Refusal(string endpoint) => WebPushEndpointPolicy.Refusal(endpoint, providers.Value.WebPush.AllowPrivateEndpoints);
}
