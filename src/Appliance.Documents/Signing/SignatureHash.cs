using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace Appliance.Documents.Signing;

/// <summary>The digests a signature the terminal makes or checks may use.</summary>
internal enum SignatureHash
{
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Sm3,
}

internal static class SignatureHashes
{
    public static IDigest CreateDigest(this SignatureHash hash) => hash switch
    {
        SignatureHash.Sha1 => new Sha1Digest(),
        SignatureHash.Sha256 => new Sha256Digest(),
        SignatureHash.Sha384 => new Sha384Digest(),
        SignatureHash.Sha512 => new Sha512Digest(),
        SignatureHash.Sm3 => new SM3Digest(),
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    public static int Size(this SignatureHash hash) => hash switch
    {
        SignatureHash.Sha1 => 20,
        SignatureHash.Sha256 or SignatureHash.Sm3 => 32,
        SignatureHash.Sha384 => 48,
        SignatureHash.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    /// <summary>The digest's object identifier, as PKCS#1 v1.5's DigestInfo names it.</summary>
    public static DerObjectIdentifier Oid(this SignatureHash hash) => hash switch
    {
        SignatureHash.Sha1 => OiwObjectIdentifiers.IdSha1,
        SignatureHash.Sha256 => NistObjectIdentifiers.IdSha256,
        SignatureHash.Sha384 => NistObjectIdentifiers.IdSha384,
        SignatureHash.Sha512 => NistObjectIdentifiers.IdSha512,
        SignatureHash.Sm3 => GMObjectIdentifiers.sm3,
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    public static SignatureHash? FromOid(DerObjectIdentifier oid) =>
        oid.Equals(OiwObjectIdentifiers.IdSha1) ? SignatureHash.Sha1
        : oid.Equals(NistObjectIdentifiers.IdSha256) ? SignatureHash.Sha256
        : oid.Equals(NistObjectIdentifiers.IdSha384) ? SignatureHash.Sha384
        : oid.Equals(NistObjectIdentifiers.IdSha512) ? SignatureHash.Sha512
        : oid.Equals(GMObjectIdentifiers.sm3) ? SignatureHash.Sm3
        : null;

    /// <summary>The name seed 004 puts before "With" (SHA256WithRSA, SM3WithSM2).</summary>
    public static string Name(this SignatureHash hash) => hash switch
    {
        SignatureHash.Sha1 => "SHA1",
        SignatureHash.Sha256 => "SHA256",
        SignatureHash.Sha384 => "SHA384",
        SignatureHash.Sha512 => "SHA512",
        SignatureHash.Sm3 => "SM3",
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    /// <summary>The digest of what <paramref name="feed"/> writes into it.</summary>
    public static byte[] Compute(this SignatureHash hash, Action<IDigest> feed)
    {
        var digest = hash.CreateDigest();
        feed(digest);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }
}
