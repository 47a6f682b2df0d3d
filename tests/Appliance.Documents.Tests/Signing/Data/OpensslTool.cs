using Appliance.Documents.Signing.Data;
using Appliance.TestSupport;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Signing.Data;

/// <summary>
/// OpenSSL 3 as the other party of a data signature: its own keys and certificates, its signatures, its verdict on
/// ours (SM2 with <c>-rawin -digest sm3 -pkeyopt distid:1234567812345678</c>, RSA and ECDSA with <c>dgst</c>).
/// </summary>
internal static class OpensslTool
{
    public const string Sm2Id = "distid:1234567812345678";

    /// <summary>A key and a self-signed certificate made by openssl: the key's PEM path and the certificate's DER.</summary>
    public static async Task<(string KeyPath, byte[] CertificateDer)> NewKeyAsync(TempDir dir, DataSignatureAlgorithm algorithm)
    {
        var name = algorithm.ToString().ToLowerInvariant();
        var key = dir.Combine(name + ".key.pem");
        var certificate = dir.Combine(name + ".crt.pem");
        (int ExitCode, string Output) made = algorithm switch
        {
            DataSignatureAlgorithm.Sm3WithSm2 => await RunAsync("openssl", "genpkey", "-algorithm", "SM2", "-out", key),
            DataSignatureAlgorithm.Sha256WithEcdsa => await RunAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", key),
            _ => await RunAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key),
        };
        Assert.True(made.ExitCode == 0, made.Output);
        string[] sm2Options = algorithm == DataSignatureAlgorithm.Sm3WithSm2 ? ["-sm3", "-sigopt", Sm2Id] : ["-sha256"];
        var request = await RunAsync("openssl", ["req", "-x509", "-new", "-key", key, .. sm2Options, "-subj", "/C=CN/O=Caller/CN=Caller " + name, "-days", "2", "-out", certificate]);
        Assert.True(request.ExitCode == 0, request.Output);
        return (key, await RunForBytesAsync("openssl", "x509", "-in", certificate, "-outform", "DER"));
    }

    /// <summary>The certificate's public key as PEM, extracted by openssl.</summary>
    public static async Task<string> PublicKeyAsync(TempDir dir, byte[] certificateDer)
    {
        var certificate = await WriteAsync(dir, $"cert-{Guid.NewGuid():N}.der", certificateDer);
        var pem = await RunForBytesAsync("openssl", "x509", "-inform", "DER", "-in", certificate, "-pubkey", "-noout");
        return await WriteAsync(dir, $"pub-{Guid.NewGuid():N}.pem", pem);
    }

    public static async Task<byte[]> SignAsync(TempDir dir, DataSignatureAlgorithm algorithm, string keyPath, byte[] data)
    {
        var input = await WriteAsync(dir, $"data-{Guid.NewGuid():N}.bin", data);
        var signature = dir.Combine($"sig-{Guid.NewGuid():N}.bin");
        var result = algorithm == DataSignatureAlgorithm.Sm3WithSm2
            ? await RunAsync("openssl", "pkeyutl", "-sign", "-inkey", keyPath, "-rawin", "-digest", "sm3", "-pkeyopt", Sm2Id, "-in", input, "-out", signature)
            : await RunAsync("openssl", "dgst", Digest(algorithm), "-sign", keyPath, "-out", signature, input);
        Assert.True(result.ExitCode == 0, result.Output);
        return await File.ReadAllBytesAsync(signature);
    }

    /// <summary>openssl's verdict on <paramref name="signature"/> over the message <paramref name="data"/>.</summary>
    public static async Task<(bool Verified, string Output)> VerifyAsync(TempDir dir, DataSignatureAlgorithm algorithm, byte[] certificateDer, byte[] data, byte[] signature)
    {
        var publicKey = await PublicKeyAsync(dir, certificateDer);
        var input = await WriteAsync(dir, $"data-{Guid.NewGuid():N}.bin", data);
        var signatureFile = await WriteAsync(dir, $"sig-{Guid.NewGuid():N}.bin", signature);
        var (exit, output) = algorithm == DataSignatureAlgorithm.Sm3WithSm2
            ? await RunAsync("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-digest", "sm3", "-pkeyopt", Sm2Id, "-in", input, "-sigfile", signatureFile)
            : await RunAsync("openssl", "dgst", Digest(algorithm), "-verify", publicKey, "-signature", signatureFile, input);
        return (exit == 0 && output.Contains("Verified", StringComparison.Ordinal), output);
    }

    /// <summary>The digest a HASH job hands over for <paramref name="data"/>, by openssl; for SM2 e = SM3(Z ‖ M), Z computed here.</summary>
    public static async Task<byte[]> DigestAsync(TempDir dir, DataSignatureAlgorithm algorithm, byte[] certificateDer, byte[] data)
    {
        if (algorithm != DataSignatureAlgorithm.Sm3WithSm2)
            return await RunForBytesAsync("openssl", "dgst", Digest(algorithm), "-binary", await WriteAsync(dir, $"data-{Guid.NewGuid():N}.bin", data));
        var z = Sm2Z((ECPublicKeyParameters)new Org.BouncyCastle.X509.X509Certificate(certificateDer).GetPublicKey());
        return await RunForBytesAsync("openssl", "dgst", "-sm3", "-binary", await WriteAsync(dir, $"zm-{Guid.NewGuid():N}.bin", [.. z, .. data]));
    }

    /// <summary>GM/T 0003.2 §5.5: Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), every field element 32 bytes.</summary>
    private static byte[] Sm2Z(ECPublicKeyParameters key)
    {
        var curve = GMNamedCurves.GetByName("sm2p256v1");
        var q = key.Q.Normalize();
        var g = curve.G.Normalize();
        byte[] id = "1234567812345678"u8.ToArray();
        byte[] input = [0x00, 0x80, .. id, .. curve.Curve.A.GetEncoded(), .. curve.Curve.B.GetEncoded(),
            .. g.AffineXCoord.GetEncoded(), .. g.AffineYCoord.GetEncoded(), .. q.AffineXCoord.GetEncoded(), .. q.AffineYCoord.GetEncoded()];
        var sm3 = new SM3Digest();
        sm3.BlockUpdate(input, 0, input.Length);
        var z = new byte[32];
        sm3.DoFinal(z, 0);
        return z;
    }

    private static string Digest(DataSignatureAlgorithm algorithm) => algorithm == DataSignatureAlgorithm.Sha1WithRsa ? "-sha1" : "-sha256";

    private static async Task<string> WriteAsync(TempDir dir, string name, byte[] bytes)
    {
        var path = dir.Combine(name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
