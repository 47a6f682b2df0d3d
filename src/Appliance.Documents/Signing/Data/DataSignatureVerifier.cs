using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Security.Certificates;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Appliance.Documents.Signing.Data;

/// <summary>Checks a data signature against a certificate's key (seed 004 verifySignData); it says only yes or no.</summary>
public static class DataSignatureVerifier
{
    /// <param name="certificate">DER X.509 (PEM is taken too).</param>
    /// <exception cref="DataSignatureException">A certificate that cannot be read, or a digest of the wrong size.</exception>
    public static bool Verify(byte[] data, DataContent content, DataSignatureAlgorithm algorithm, byte[] signature, byte[] certificate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signature);
        var publicKey = PublicKey(certificate);
        var kind = algorithm.KeyKind();
        if (!DigestSignatures.Fits(kind, publicKey)) return false;
        byte[] digest;
        if (content == DataContent.Digest)
        {
            DataDigests.CheckLength(data, algorithm);
            digest = data;
        }
        else
        {
            digest = DigestSignatures.DigestOf(kind, algorithm.Hash(), publicKey, d => d.BlockUpdate(data, 0, data.Length));
        }
        return DigestSignatures.Verify(kind, algorithm.Hash(), publicKey, digest, signature);
    }

    private static AsymmetricKeyParameter PublicKey(byte[] certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            var der = certificate.AsSpan().StartsWith("-----BEGIN"u8) ? FromPem(certificate) : certificate;
            return new X509Certificate(der).GetPublicKey();
        }
        catch (Exception e) when (e is CertificateException or IOException or ArgumentException or InvalidCastException or FormatException or SecurityUtilityException)
        {
            throw new DataSignatureException(DataSignatureFailure.UnreadableCertificate, $"证书无法读取 / the certificate cannot be read: {e.Message}", e);
        }
    }

    private static byte[] FromPem(byte[] pem)
    {
        var text = Encoding.ASCII.GetString(pem);
        var fields = System.Security.Cryptography.PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }
}
