namespace PushConsole.Audit;

public static class AuditRegistration
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<Devices.IPersonalData, AuditPersonalData>();
        return builder;
    }
}
