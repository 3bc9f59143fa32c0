namespace PushConsole.Devices;

/// <summary>Where on each installation of the lookup page another feature puts its component.</summary>
public enum LookupSlot
{
    /// <summary>The device's deliveries with their outcome (the dispatcher's).</summary>
    Deliveries,
    /// <summary>Buttons such as "Send test push" (the providers').</summary>
    Actions,
    /// <summary>What the device's behaviour says, e.g. its activity profile (best-time sends).</summary>
    Activity,
    /// <summary>Under a user (preferences, GDPR export and erasure); the component gets <c>[Parameter] public LookupUser User</c> instead.</summary>
    User,
}

/// <summary>
/// A component another feature shows on each installation of the lookup page. It gets one parameter,
/// <c>[Parameter] public LookupInstallation Installation { get; set; }</c> (<see cref="LookupSlot.User"/>: <c>LookupUser User</c>). Register it with
/// <see cref="LookupPanelRegistration.AddLookupPanel{TComponent}"/>.
/// </summary>
public sealed record LookupPanel(LookupSlot Slot, Type Component, int Order = 0);

public static class LookupPanelRegistration
{
    public static IServiceCollection AddLookupPanel<TComponent>(this IServiceCollection services, LookupSlot slot, int order = 0)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        services.AddSingleton(new LookupPanel(slot, typeof(TComponent), order));
}
