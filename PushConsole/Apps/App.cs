using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PushConsole.Apps;

/// <summary>
/// One app in one environment (e.g. "Event app — staging"): its keys and provider credentials.
/// Secrets are stored encrypted (Data Protection) or hashed; only fingerprints are ever shown.
/// </summary>
public sealed class App
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Upper-invariant name; unique, so "Event App" and "event app" cannot both exist.</summary>
    public required string NormalizedName { get; set; }
    /// <summary>The name attendees see (the attendee page, the browser's notifications); the internal name stays in the console.</summary>
    public string? PublicName { get; set; }
    /// <summary>Public id used by apps on devices (<c>X-App-Key</c>) and as the Basic user name.</summary>
    public required string AppKey { get; set; }
    /// <summary>SHA-256 (hex) of the master secret; the secret itself is shown once.</summary>
    public required string MasterSecretHash { get; set; }
    public DateTime MasterSecretRotatedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Language used when a recipient's own has no content (BCP 47, e.g. "en").</summary>
    public string DefaultLanguage { get; set; } = "en";
    public FcmCredential? Fcm { get; set; }
    public ApnsCredential? Apns { get; set; }
    public required VapidCredential Vapid { get; set; }
}

public sealed class FcmCredential
{
    public required string ProjectId { get; set; }
    public required string ClientEmail { get; set; }
    public required string PrivateKeyId { get; set; }
    public required string TokenUri { get; set; }
    /// <summary>The whole service-account JSON, encrypted.</summary>
    public required string ProtectedJson { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastCheckAt { get; set; }
    public bool? LastCheckOk { get; set; }
    public string? LastCheckMessage { get; set; }
}

public sealed class ApnsCredential
{
    public required string KeyId { get; set; }
    public required string TeamId { get; set; }
    public required string BundleId { get; set; }
    /// <summary>Stored "sandbox" or "production": used for installations that do not say which APNs host they need.</summary>
    public required ApnsEnvironment Environment { get; set; }
    /// <summary>The .p8 PEM, encrypted.</summary>
    public required string ProtectedKey { get; set; }
    /// <summary>First 16 hex characters of SHA-256 over the public key (SPKI), to tell keys apart.</summary>
    public required string PublicKeyFingerprint { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class VapidCredential
{
    /// <summary>mailto: or https: contact sent as the JWT <c>sub</c>.</summary>
    public required string Subject { get; set; }
    /// <summary>Raw 65-byte uncompressed P-256 point, base64url (what browsers take as applicationServerKey).</summary>
    public required string PublicKey { get; set; }
    /// <summary>The private scalar d (base64url), encrypted.</summary>
    public required string ProtectedPrivateKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class AppConfiguration : IEntityTypeConfiguration<App>
{
    public void Configure(EntityTypeBuilder<App> builder)
    {
        builder.ToTable("apps");
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.NormalizedName).HasMaxLength(100);
        builder.Property(a => a.PublicName).HasMaxLength(100);
        builder.Property(a => a.AppKey).HasMaxLength(64);
        builder.Property(a => a.MasterSecretHash).HasMaxLength(64);
        builder.Property(a => a.DefaultLanguage).HasMaxLength(35);
        builder.HasIndex(a => a.NormalizedName).IsUnique();
        builder.HasIndex(a => a.AppKey).IsUnique();
        builder.OwnsOne(a => a.Fcm, fcm =>
        {
            fcm.Property(f => f.ProjectId).HasMaxLength(200);
            fcm.Property(f => f.ClientEmail).HasMaxLength(300);
            fcm.Property(f => f.PrivateKeyId).HasMaxLength(100);
            fcm.Property(f => f.TokenUri).HasMaxLength(500);
            fcm.Property(f => f.LastCheckMessage).HasMaxLength(1000);
        });
        builder.OwnsOne(a => a.Apns, apns =>
        {
            apns.Property(a => a.KeyId).HasMaxLength(20);
            apns.Property(a => a.TeamId).HasMaxLength(20);
            apns.Property(a => a.BundleId).HasMaxLength(200);
            apns.Property(a => a.Environment).HasConversion(PlatformNames.ApnsEnvironmentConverter).HasMaxLength(20);
            apns.Property(a => a.PublicKeyFingerprint).HasMaxLength(64);
        });
        builder.OwnsOne(a => a.Vapid, vapid =>
        {
            vapid.Property(v => v.Subject).HasMaxLength(300);
            vapid.Property(v => v.PublicKey).HasMaxLength(100);
        });
        builder.Navigation(a => a.Vapid).IsRequired();
    }
}
