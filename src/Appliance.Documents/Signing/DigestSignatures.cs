using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Appliance.Documents.Signing;

/// <summary>
/// Signatures made and checked on a digest already computed (for SM2: on e = SM3(Z ‖ M)), so a message, a PDF's
/// signed attributes and a caller's HASH all go through the same few lines. Values are DER (RSA: the PKCS#1 block).
/// </summary>
internal static class DigestSignatures
{
    /// <summary>
    /// The key is of the kind: RSA for RSA, and for EC keys the curve decides, since an SM2 key and an ECDSA key are both
    /// EC keys (SM2's Z hashes sm2p256v1's parameters; ECDSA is never made on that curve).
    /// </summary>
    public static bool Fits(SignatureKeyKind kind, AsymmetricKeyParameter publicKey) => kind switch
    {
        SignatureKeyKind.Rsa => publicKey is RsaKeyParameters { IsPrivate: false },
        SignatureKeyKind.Ecdsa => publicKey is ECPublicKeyParameters ec && !Sm2Curve.Is(ec),
        SignatureKeyKind.Sm2 => publicKey is ECPublicKeyParameters ec && Sm2Curve.Is(ec),
        _ => false,
    };

    /// <summary>What the signature is computed on for the message <paramref name="feed"/> writes: its digest, or SM2's e.</summary>
    public static byte[] DigestOf(SignatureKeyKind kind, SignatureHash hash, AsymmetricKeyParameter publicKey, Action<IDigest> feed) =>
        kind == SignatureKeyKind.Sm2 ? Sm2Signatures.E(EcKey(publicKey), feed) : hash.Compute(feed);

    public static byte[] Sign(SignatureKeyKind kind, SignatureHash hash, AsymmetricKeyParameter privateKey, byte[] digest)
    {
        switch (kind)
        {
            case SignatureKeyKind.Rsa:
            {
                // NullDigest passes the given digest through; RsaDigestSigner wraps it in PKCS#1 v1.5's DigestInfo.
                var signer = new RsaDigestSigner(new NullDigest(), hash.Oid());
                signer.Init(true, privateKey);
                signer.BlockUpdate(digest, 0, digest.Length);
                return signer.GenerateSignature();
            }
            case SignatureKeyKind.Ecdsa:
            {
                var key = (ECPrivateKeyParameters)privateKey;
                // Deterministic k (RFC 6979), as the PDF signer: no dependence on the device's entropy at signing time.
                var signer = new ECDsaSigner(new HMacDsaKCalculator(hash.CreateDigest()));
                signer.Init(true, key);
                var rs = signer.GenerateSignature(digest);
                return StandardDsaEncoding.Instance.Encode(key.Parameters.N, rs[0], rs[1]);
            }
            case SignatureKeyKind.Sm2:
            {
                var key = (ECPrivateKeyParameters)privateKey;
                var (r, s) = Sm2Signatures.Sign(key, digest);
                return StandardDsaEncoding.Instance.Encode(key.Parameters.N, r, s);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>False for a signature that does not verify, is not encoded as expected, or a key of another kind.</summary>
    public static bool Verify(SignatureKeyKind kind, SignatureHash hash, AsymmetricKeyParameter publicKey, byte[] digest, byte[] signature)
    {
        switch (kind)
        {
            case SignatureKeyKind.Rsa when publicKey is RsaKeyParameters { IsPrivate: false }:
            {
                var signer = new RsaDigestSigner(new NullDigest(), hash.Oid());
                signer.Init(false, publicKey);
                signer.BlockUpdate(digest, 0, digest.Length);
                return signer.VerifySignature(signature);
            }
            case SignatureKeyKind.Ecdsa when publicKey is ECPublicKeyParameters key:
            {
                if (Decode(key, signature) is not var (r, s)) return false;
                var signer = new ECDsaSigner();
                signer.Init(false, key);
                return signer.VerifySignature(digest, r, s);
            }
            case SignatureKeyKind.Sm2 when publicKey is ECPublicKeyParameters key:
                return Decode(key, signature) is var (r2, s2) && Sm2Signatures.Verify(key, digest, r2, s2);
            default:
                return false;
        }
    }

    /// <summary>(r, s) from DER, or from r ‖ s as some Chinese systems send SM2 values; null when it is neither.</summary>
    private static (BigInteger R, BigInteger S)? Decode(ECPublicKeyParameters key, byte[] signature)
    {
        var n = key.Parameters.N;
        try
        {
            var rs = StandardDsaEncoding.Instance.Decode(n, signature);
            return (rs[0], rs[1]);
        }
        catch (ArgumentException) { }
        catch (InvalidCastException) { }
        catch (IOException) { }
        if (signature.Length != 2 * ((n.BitLength + 7) / 8)) return null;
        try
        {
            var rs = PlainDsaEncoding.Instance.Decode(n, signature);
            return (rs[0], rs[1]);
        }
        catch (ArgumentException) { return null; }
    }

    private static ECPublicKeyParameters EcKey(AsymmetricKeyParameter key) =>
        key as ECPublicKeyParameters ?? throw new ArgumentException("SM2 needs an EC public key", nameof(key));
}
