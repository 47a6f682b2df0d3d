using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// Digest, signer and object identifiers of one <see cref="DocumentSigningAlgorithm"/>, built from BouncyCastle's
/// low-level classes rather than its name-based factories, so what runs is explicit and nothing is looked up by name.
/// </summary>
internal static class SignatureSuite
{
    /// <summary>The SM2 distinguishing identifier every GM/T 0009 verifier assumes when none is agreed.</summary>
    public static readonly byte[] Sm2UserId = Documents.Signing.Sm2Signatures.DefaultUserId;

    private static readonly SecureRandom Random = new();

    public static IDigest CreateDigest(DocumentSigningAlgorithm algorithm) =>
        algorithm == DocumentSigningAlgorithm.Sm2 ? new SM3Digest() : new Sha256Digest();

    public static AlgorithmIdentifier DigestAlgorithm(DocumentSigningAlgorithm algorithm) =>
        algorithm == DocumentSigningAlgorithm.Sm2
            ? new AlgorithmIdentifier(GMObjectIdentifiers.sm3)
            : new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256);

    public static AlgorithmIdentifier SignatureAlgorithm(DocumentSigningAlgorithm algorithm) => algorithm switch
    {
        DocumentSigningAlgorithm.EcdsaP256 => new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256),
        // RFC 4055 §5: the RSA PKCS#1 v1.5 identifiers carry NULL parameters.
        DocumentSigningAlgorithm.Rsa2048 => new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance),
        DocumentSigningAlgorithm.Sm2 => new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>A signer that digests what it is fed and signs it (ECDSA and SM2 values DER-encoded, as CMS wants).</summary>
    public static ISigner CreateSigner(DocumentSigningAlgorithm algorithm, AsymmetricKeyParameter privateKey)
    {
        ISigner signer;
        ICipherParameters parameters = privateKey;
        switch (algorithm)
        {
            case DocumentSigningAlgorithm.EcdsaP256:
                // Deterministic k (RFC 6979): no dependence on the device's entropy at signing time.
                signer = new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())), new Sha256Digest());
                break;
            case DocumentSigningAlgorithm.Rsa2048:
                signer = new RsaDigestSigner(new Sha256Digest(), NistObjectIdentifiers.IdSha256);
                break;
            case DocumentSigningAlgorithm.Sm2:
                signer = new SM2Signer(new SM3Digest());
                parameters = new ParametersWithID(new ParametersWithRandom(privateKey, Random), Sm2UserId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
        signer.Init(true, parameters);
        return signer;
    }

    public static AsymmetricCipherKeyPair GenerateKeyPair(DocumentSigningAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case DocumentSigningAlgorithm.Rsa2048:
                var rsa = new RsaKeyPairGenerator();
                rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, 2048, 100));
                return rsa.GenerateKeyPair();
            case DocumentSigningAlgorithm.EcdsaP256:
            case DocumentSigningAlgorithm.Sm2:
                var curve = algorithm == DocumentSigningAlgorithm.Sm2 ? GMObjectIdentifiers.sm2p256v1 : SecObjectIdentifiers.SecP256r1;
                var domain = algorithm == DocumentSigningAlgorithm.Sm2 ? GMNamedCurves.GetByOid(curve) : SecNamedCurves.GetByOid(curve);
                var ec = new ECKeyPairGenerator();
                // Named-curve parameters, so the keys and certificates name the curve by OID.
                ec.Init(new ECKeyGenerationParameters(new ECNamedDomainParameters(curve, domain), Random));
                return ec.GenerateKeyPair();
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    /// <summary>Signs certificates with the same explicit signers (BouncyCastle's generator wants a factory).</summary>
    public static ISignatureFactory CertificateSignatureFactory(DocumentSigningAlgorithm algorithm, AsymmetricKeyParameter privateKey) =>
        new ExplicitSignatureFactory(algorithm, privateKey);

    private sealed class ExplicitSignatureFactory(DocumentSigningAlgorithm algorithm, AsymmetricKeyParameter privateKey) : ISignatureFactory
    {
        public object AlgorithmDetails => SignatureAlgorithm(algorithm);

        public IStreamCalculator<IBlockResult> CreateCalculator() => new DefaultSignatureCalculator(CreateSigner(algorithm, privateKey));
    }
}
