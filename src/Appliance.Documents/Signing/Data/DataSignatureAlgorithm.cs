using Appliance.Documents.Pdf.Signing;

namespace Appliance.Documents.Signing.Data;

/// <summary>The data signature algorithms of seed 004 (DATA / HASH jobs, verifySignData).</summary>
public enum DataSignatureAlgorithm
{
    /// <summary>SM2 with SM3, user ID 1234567812345678.</summary>
    Sm3WithSm2,
    /// <summary>RSA PKCS#1 v1.5 with SHA-1: checked, never made.</summary>
    Sha1WithRsa,
    Sha256WithRsa,
    /// <summary>ECDSA on P-256 (when signing; checking takes the certificate's curve) with SHA-256.</summary>
    Sha256WithEcdsa,
}

public static class DataSignatureAlgorithms
{
    /// <summary>The algorithm a seed 004 name stands for, whatever its case (<c>SM3withSM2</c>, <c>sha256WithRSA</c>).</summary>
    public static DataSignatureAlgorithm Parse(string name) => name?.ToUpperInvariant() switch
    {
        "SM3WITHSM2" => DataSignatureAlgorithm.Sm3WithSm2,
        "SHA1WITHRSA" => DataSignatureAlgorithm.Sha1WithRsa,
        "SHA256WITHRSA" => DataSignatureAlgorithm.Sha256WithRsa,
        "SHA256WITHECDSA" => DataSignatureAlgorithm.Sha256WithEcdsa,
        _ => throw new DataSignatureException(DataSignatureFailure.UnknownAlgorithm,
            $"不支持的签名算法 / unknown signature algorithm \"{name}\" (SM3withSM2, SHA1withRSA, SHA256withRSA, SHA256withECDSA)"),
    };

    /// <summary>The device key that makes this algorithm's signatures; SHA-1 is only ever checked.</summary>
    public static DocumentSigningAlgorithm SigningKey(this DataSignatureAlgorithm algorithm) => algorithm switch
    {
        DataSignatureAlgorithm.Sm3WithSm2 => DocumentSigningAlgorithm.Sm2,
        DataSignatureAlgorithm.Sha256WithRsa => DocumentSigningAlgorithm.Rsa2048,
        DataSignatureAlgorithm.Sha256WithEcdsa => DocumentSigningAlgorithm.EcdsaP256,
        _ => throw new DataSignatureException(DataSignatureFailure.UnknownAlgorithm, $"终端不使用 {algorithm} 签名 / the terminal does not sign with {algorithm}"),
    };

    /// <summary>The size of the digest a HASH job hands over (SM2: e).</summary>
    public static int DigestSize(this DataSignatureAlgorithm algorithm) => Hash(algorithm).Size();

    internal static SignatureHash Hash(this DataSignatureAlgorithm algorithm) => algorithm switch
    {
        DataSignatureAlgorithm.Sm3WithSm2 => SignatureHash.Sm3,
        DataSignatureAlgorithm.Sha1WithRsa => SignatureHash.Sha1,
        DataSignatureAlgorithm.Sha256WithRsa or DataSignatureAlgorithm.Sha256WithEcdsa => SignatureHash.Sha256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    internal static SignatureKeyKind KeyKind(this DataSignatureAlgorithm algorithm) => algorithm switch
    {
        DataSignatureAlgorithm.Sm3WithSm2 => SignatureKeyKind.Sm2,
        DataSignatureAlgorithm.Sha1WithRsa or DataSignatureAlgorithm.Sha256WithRsa => SignatureKeyKind.Rsa,
        DataSignatureAlgorithm.Sha256WithEcdsa => SignatureKeyKind.Ecdsa,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
