using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PushConsole.Sending.Providers.WebPush;

/// <summary>
/// P-256 ECDH for Web Push straight on OpenSSL's EC_KEY API (what node's crypto.createECDH uses), on Linux.
/// .NET's ECDiffieHellman validates the subscriber's key twice with a full scalar multiplication (n·Q = O, on import
/// and again in EVP_PKEY_derive_set_peer) on top of the agreement itself; on P-256 (cofactor 1) a point on the curve is
/// already in the group, so here the point is checked on the curve (EC_POINT_oct2point) and multiplied once.
/// Elsewhere, or if libcrypto 3 is missing, <see cref="IsAvailable"/> is false and the BCL path is used.
/// </summary>
internal static class OpenSslEcdh
{
    private const string LibCrypto = "libcrypto.so.3";
    private const int NidPrime256v1 = 415;
    private const int Uncompressed = 4;

    public static bool IsAvailable { get; } = Probe();

    /// <summary>Makes a fresh ephemeral key pair, writes its raw public point (65 bytes) and the shared secret with <paramref name="peerPublic"/> (32 bytes).</summary>
    public static void Agree(ReadOnlySpan<byte> peerPublic, Span<byte> ownPublic, Span<byte> secret) => Agree(peerPublic, [], ownPublic, secret);

    /// <summary>The same with a given private scalar (the RFC 8291 test vector); <paramref name="ownPrivate"/> empty = a fresh key.</summary>
    public static void Agree(ReadOnlySpan<byte> peerPublic, ReadOnlySpan<byte> ownPrivate, Span<byte> ownPublic, Span<byte> secret)
    {
        if (peerPublic.Length != 65 || peerPublic[0] != 0x04) throw new CryptographicException("A P-256 public key must be 65 bytes starting with 0x04.");
        if (ownPublic.Length != 65 || secret.Length != 32) throw new ArgumentException("65 bytes for the public point and 32 for the secret are needed.");
        var key = EC_KEY_new_by_curve_name(NidPrime256v1);
        var peer = IntPtr.Zero;
        var scalar = IntPtr.Zero;
        var point = IntPtr.Zero;
        try
        {
            if (key == IntPtr.Zero) throw Failed("EC_KEY_new_by_curve_name");
            var group = EC_KEY_get0_group(key);
            if (ownPrivate.IsEmpty)
            {
                if (EC_KEY_generate_key(key) != 1) throw Failed("EC_KEY_generate_key");
            }
            else
            {
                scalar = BN_bin2bn(ref MemoryMarshal.GetReference(ownPrivate), ownPrivate.Length, IntPtr.Zero);
                point = EC_POINT_new(group);
                if (scalar == IntPtr.Zero || point == IntPtr.Zero || EC_KEY_set_private_key(key, scalar) != 1
                    || EC_POINT_mul(group, point, scalar, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 1 || EC_KEY_set_public_key(key, point) != 1)
                    throw Failed("EC_KEY_set_private_key");
            }
            if (EC_POINT_point2oct(group, EC_KEY_get0_public_key(key), Uncompressed, ref MemoryMarshal.GetReference(ownPublic), 65, IntPtr.Zero) != 65)
                throw Failed("EC_POINT_point2oct");
            peer = EC_POINT_new(group);
            // oct2point refuses a point that is not on the curve
            if (peer == IntPtr.Zero || EC_POINT_oct2point(group, peer, ref MemoryMarshal.GetReference(peerPublic), 65, IntPtr.Zero) != 1)
                throw new CryptographicException("The subscriber's key is not a point on P-256.");
            if (ECDH_compute_key(ref MemoryMarshal.GetReference(secret), 32, peer, key, IntPtr.Zero) != 32) throw Failed("ECDH_compute_key");
        }
        finally
        {
            ERR_clear_error();
            if (peer != IntPtr.Zero) EC_POINT_free(peer);
            if (point != IntPtr.Zero) EC_POINT_free(point);
            if (scalar != IntPtr.Zero) BN_clear_free(scalar);
            if (key != IntPtr.Zero) EC_KEY_free(key);
        }
    }

    private static CryptographicException Failed(string call) => new($"OpenSSL {call} failed.");

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // a real agreement against a BCL key proves the entry points and the result
            using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = other.ExportParameters(false).Q;
            var peer = new byte[65];
            peer[0] = 0x04;
            q.X!.CopyTo(peer, 1);
            q.Y!.CopyTo(peer, 33);
            Span<byte> own = stackalloc byte[65];
            Span<byte> secret = stackalloc byte[32];
            Agree(peer, own, secret);
            using var ours = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = own[1..33].ToArray(), Y = own[33..].ToArray() },
            });
            using var oursPublic = ours.PublicKey;
            return other.DeriveRawSecretAgreement(oursPublic).AsSpan().SequenceEqual(secret);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or MarshalDirectiveException or CryptographicException)
        {
            return false;
        }
    }

    [DllImport(LibCrypto)] private static extern IntPtr EC_KEY_new_by_curve_name(int nid);
    [DllImport(LibCrypto)] private static extern void EC_KEY_free(IntPtr key);
    [DllImport(LibCrypto)] private static extern int EC_KEY_generate_key(IntPtr key);
    [DllImport(LibCrypto)] private static extern IntPtr EC_KEY_get0_group(IntPtr key);
    [DllImport(LibCrypto)] private static extern IntPtr EC_KEY_get0_public_key(IntPtr key);
    [DllImport(LibCrypto)] private static extern int EC_KEY_set_private_key(IntPtr key, IntPtr scalar);
    [DllImport(LibCrypto)] private static extern int EC_KEY_set_public_key(IntPtr key, IntPtr point);
    [DllImport(LibCrypto)] private static extern IntPtr EC_POINT_new(IntPtr group);
    [DllImport(LibCrypto)] private static extern void EC_POINT_free(IntPtr point);
    [DllImport(LibCrypto)] private static extern int EC_POINT_mul(IntPtr group, IntPtr result, IntPtr generatorScalar, IntPtr point, IntPtr pointScalar, IntPtr ctx);
    [DllImport(LibCrypto)] private static extern nuint EC_POINT_point2oct(IntPtr group, IntPtr point, int form, ref byte buffer, nuint length, IntPtr ctx);
    [DllImport(LibCrypto)] private static extern int EC_POINT_oct2point(IntPtr group, IntPtr point, ref byte buffer, nuint length, IntPtr ctx);
    [DllImport(LibCrypto)] private static extern int ECDH_compute_key(ref byte output, nuint length, IntPtr peer, IntPtr key, IntPtr kdf);
    [DllImport(LibCrypto)] private static extern IntPtr BN_bin2bn(ref byte bytes, int length, IntPtr result);
    [DllImport(LibCrypto)] private static extern void BN_clear_free(IntPtr number);
    [DllImport(LibCrypto)] private static extern void ERR_clear_error();
}
