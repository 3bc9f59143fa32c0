using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PushConsole.Sending.Providers.WebPush;

namespace PushConsole.Tests.Sending.Providers;

public sealed class WebPushEncryptionTests
{
    // RFC 8291 Appendix A, verbatim
    private const string Plaintext = "V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24";
    private const string AsPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private const string AsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private const string UaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string UaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
    private const string AuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
    private const string Body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    private static byte[] B(string s) => Base64Url.DecodeFromChars(s);

    private static ECDiffieHellman Key(string publicKey, string privateKey)
    {
        var q = B(publicKey);
        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, D = B(privateKey), Q = new ECPoint { X = q[1..33], Y = q[33..] },
        });
    }

    [Fact]
    public void The_RFC_8291_appendix_vector_is_reproduced_byte_for_byte()
    {
        using var asKey = Key(AsPublic, AsPrivate);

        var body = WebPushEncryption.Encrypt(B(Plaintext), B(UaPublic), B(AuthSecret), asKey, B(Salt));

        Assert.Equal(144, body.Length);
        Assert.Equal(Body, Base64Url.EncodeToString(body));
    }

    [Fact]
    public void The_intermediate_keys_match_the_RFC()
    {
        using var asKey = Key(AsPublic, AsPrivate);
        using var ua = WebPushEncryption.ImportPublic(B(UaPublic));
        var ecdh = asKey.DeriveRawSecretAgreement(ua.PublicKey);
        Assert.Equal("kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs", Base64Url.EncodeToString(ecdh));

        var (cek, nonce) = WebPushEncryption.DeriveKeys(ecdh, B(AuthSecret), B(UaPublic), B(AsPublic), B(Salt));
        Assert.Equal("oIhVW04MRdy2XN9CiKLxTg", Base64Url.EncodeToString(cek));
        Assert.Equal("4h_95klXJ5E_qnoN", Base64Url.EncodeToString(nonce));
    }

    [Fact]
    public void The_user_agent_decrypts_the_RFC_body_with_its_private_key()
    {
        using var ua = Key(UaPublic, UaPrivate);

        var plaintext = WebPushEncryption.Decrypt(B(Body), ua, B(AuthSecret), out var problem);

        Assert.Null(problem);
        Assert.Equal("When I grow up, I want to be a watermelon", Encoding.UTF8.GetString(plaintext!));
    }

    [Fact]
    public void Every_message_gets_a_fresh_ephemeral_key_and_salt_and_still_decrypts()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uaPublic = WebPushEncryption.RawPublicKey(ua);
        var auth = RandomNumberGenerator.GetBytes(16);
        var message = "{\"deliveryId\":7}"u8.ToArray();

        var first = WebPushEncryption.Encrypt(message, uaPublic, auth);
        var second = WebPushEncryption.Encrypt(message, uaPublic, auth);

        Assert.NotEqual(first[..16], second[..16]);       // salt
        Assert.NotEqual(first[21..86], second[21..86]);   // ephemeral public key (keyid)
        Assert.Equal(message, WebPushEncryption.Decrypt(first, ua, auth, out _));
        Assert.Equal(message, WebPushEncryption.Decrypt(second, ua, auth, out _));
    }

    [Fact]
    public void A_plaintext_over_3993_bytes_is_refused_and_3993_fits_in_4096()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uaPublic = WebPushEncryption.RawPublicKey(ua);
        var auth = RandomNumberGenerator.GetBytes(16);

        Assert.Equal(4096, WebPushEncryption.Encrypt(new byte[3993], uaPublic, auth).Length);
        Assert.Throws<ArgumentException>(() => WebPushEncryption.Encrypt(new byte[3994], uaPublic, auth));
    }

    [Fact]
    public void On_linux_the_key_agreement_runs_on_openssl_and_matches_the_bcl()
    {
        Assert.Equal(OperatingSystem.IsLinux(), OpenSslEcdh.IsAvailable);
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uaPublic = WebPushEncryption.RawPublicKey(ua);
        Span<byte> asPublic = stackalloc byte[65];
        Span<byte> secret = stackalloc byte[32];

        OpenSslEcdh.Agree(uaPublic, asPublic, secret);

        using var sender = WebPushEncryption.ImportPublic(asPublic.ToArray());
        using var senderKey = sender.PublicKey;
        Assert.Equal(ua.DeriveRawSecretAgreement(senderKey), secret.ToArray());
    }

    [Fact]
    public void A_subscriber_key_off_the_curve_is_refused()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var offCurve = WebPushEncryption.RawPublicKey(ua);
        offCurve[64] ^= 1; // y no longer satisfies the curve equation

        Assert.Throws<CryptographicException>(() => WebPushEncryption.Encrypt("{}"u8, offCurve, RandomNumberGenerator.GetBytes(16)));
    }
}
