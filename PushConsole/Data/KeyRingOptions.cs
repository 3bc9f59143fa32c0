using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PushConsole.Data;

/// <summary>
/// Settings of the Data Protection key ring (section <c>DataProtection</c>). Without a certificate the keys that encrypt
/// app credentials are stored as they are (in <c>Data:Directory/keys</c>, or in the database on PostgreSQL); with one,
/// each key is encrypted with the certificate's public key, so a copy of the database or data folder alone decrypts nothing.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with its private key; relative to the working directory.</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    /// <summary>The certificate, or a start-stopping error that names the setting and what to fix.</summary>
    public X509Certificate2? LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(CertificatePath)) return null;
        var path = Path.GetFullPath(CertificatePath);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{Section}:CertificatePath: {path} could not be read as a PKCS#12 (.pfx) file ({e.Message.TrimEnd('.')}). " +
                $"Give the path of a .pfx with its private key, and its password in {Section}:CertificatePassword.", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{Section}:CertificatePath: {path} holds no private key, so the key ring could not be read back. Export the .pfx with its private key.");
        return certificate;
    }
}
