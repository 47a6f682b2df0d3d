using Appliance.Documents.Signing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;
using Time = Org.BouncyCastle.Asn1.Cms.Time;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>What checking a CMS SignedData's signer found.</summary>
internal sealed record CmsSignerResult
{
    public List<string> Errors { get; } = [];
    public SignerInfo? Signer { get; init; }
    public X509Certificate? SignerCertificate { get; init; }
    /// <summary>The signer's certificate first, then the others carried.</summary>
    public IReadOnlyList<X509Certificate> Certificates { get; init; } = [];
    public string Algorithm { get; init; } = "";
    public byte[] SignatureValue { get; init; } = [];
    public DateTimeOffset? SigningTime { get; init; }
}

/// <summary>
/// Checks the one signer of a detached (or encapsulating) CMS SignedData (RFC 5652 §5.6) over the content a caller
/// feeds: the message-digest attribute against the content's digest, then the signature over the DER of the signed
/// attributes (or over the content when there are none) with the signer certificate's key. RSA PKCS#1 v1.5, ECDSA and
/// SM2 (user ID 1234567812345678, as the PDF signer's <c>SignatureSuite</c> makes them), through the same low-level
/// code as the data signatures rather than BouncyCastle's name-based factories.
/// </summary>
internal static class CmsSignerCheck
{
    /// <param name="feedContent">Writes the signed content into a digest; null when it cannot be had (the caller reports why):
    /// the signature over the signed attributes is still checked.</param>
    public static CmsSignerResult Verify(SignedData signedData, Action<IDigest>? feedContent)
    {
        var certificates = Certificates(signedData);
        var signers = signedData.SignerInfos;
        if (signers.Count == 0)
        {
            var none = new CmsSignerResult { Certificates = certificates };
            none.Errors.Add("签名中没有签名者 / the CMS holds no signer");
            return none;
        }
        var signer = SignerInfo.GetInstance(signers[0]);
        var signerCertificate = certificates.FirstOrDefault(c => Identifies(signer.SignerID, c));
        var digestHash = SignatureHashes.FromOid(signer.DigestAlgorithm.Algorithm);
        var (kind, signatureHash) = KeyAndHash(signer.SignatureAlgorithm.Algorithm, signerCertificate);
        signatureHash ??= digestHash;
        var signedAttributes = signer.SignedAttrs is { } set ? new AttributeTable(set) : null;
        var result = new CmsSignerResult
        {
            Signer = signer,
            SignerCertificate = signerCertificate,
            Certificates = signerCertificate is null ? certificates : [signerCertificate, .. certificates.Where(c => !ReferenceEquals(c, signerCertificate))],
            Algorithm = kind is { } k && signatureHash is { } h ? $"{h.Name()}With{k.Name()}" : "",
            SignatureValue = signer.Signature.GetOctets(),
            SigningTime = SigningTime(signedAttributes),
        };
        var errors = result.Errors;
        if (signers.Count > 1) errors.Add($"签名含 {signers.Count} 个签名者，仅检查第一个 / the CMS holds {signers.Count} signers; only the first is checked");
        if (digestHash is null) errors.Add($"不支持的摘要算法 / unsupported digest algorithm {signer.DigestAlgorithm.Algorithm.Id}");
        if (kind is null || signatureHash is null) errors.Add($"不支持的签名算法 / unsupported signature algorithm {signer.SignatureAlgorithm.Algorithm.Id}");
        if (signerCertificate is null) errors.Add("签名中没有签名者的证书 / the signer's certificate is not in the signature");
        if (errors.Count > 0 || digestHash is not { } contentHash || kind is not { } keyKind || signatureHash is not { } hash || signerCertificate is null)
            return result;

        var publicKey = signerCertificate.GetPublicKey();
        if (!DigestSignatures.Fits(keyKind, publicKey))
            errors.Add($"证书的密钥与签名算法不符 / the signer certificate's key is not a {keyKind.Name()} key");
        else
            CheckSignature(signer, signedAttributes, contentHash, keyKind, hash, publicKey, feedContent, errors);
        return result;
    }

    private static void CheckSignature(SignerInfo signer, AttributeTable? signedAttributes, SignatureHash contentHash, SignatureKeyKind kind, SignatureHash hash,
        AsymmetricKeyParameter publicKey, Action<IDigest>? feedContent, List<string> errors)
    {
        byte[] signedDigest;
        if (signedAttributes is not null)
        {
            var claimed = signedAttributes[CmsAttributes.MessageDigest]?.AttrValues;
            if (claimed is not { Count: 1 } || claimed[0] is not Asn1OctetString claimedDigest)
                errors.Add("签名属性中没有消息摘要 / the signed attributes hold no message-digest");
            else if (feedContent is not null && !claimedDigest.GetOctets().AsSpan().SequenceEqual(contentHash.Compute(feedContent)))
                errors.Add("摘要不符：签名后文档已被修改 / digest mismatch: the signed bytes were changed after signing");
            // The signature covers the attributes' DER as a SET (RFC 5652 §5.4), not their [0] IMPLICIT form.
            var encoded = signer.SignedAttrs.GetEncoded(Asn1Encodable.Der);
            signedDigest = DigestSignatures.DigestOf(kind, hash, publicKey, d => d.BlockUpdate(encoded, 0, encoded.Length));
        }
        else if (feedContent is not null)
        {
            signedDigest = DigestSignatures.DigestOf(kind, hash, publicKey, feedContent);
        }
        else
        {
            // Signed content alone, and the content is not to be had: nothing to check against (the caller said why).
            return;
        }
        if (!DigestSignatures.Verify(kind, hash, publicKey, signedDigest, signer.Signature.GetOctets()))
            errors.Add("签名值无效 / bad signature: the signature value does not verify with the signer's certificate");
    }

    private static List<X509Certificate> Certificates(SignedData signedData)
    {
        var list = new List<X509Certificate>();
        // Other certificate formats ([0] extended, [1] attribute, …) are tagged; only plain X.509 sequences are read.
        foreach (var entry in signedData.Certificates?.Cast<Asn1Encodable>() ?? [])
            if (entry.ToAsn1Object() is Asn1Sequence sequence)
                list.Add(new X509Certificate(X509CertificateStructure.GetInstance(sequence)));
        return list;
    }

    /// <summary>The signer identifier names this certificate: issuer and serial number, or subject key identifier.</summary>
    private static bool Identifies(SignerIdentifier id, X509Certificate certificate)
    {
        if (id.IsTagged)
        {
            var wanted = Asn1OctetString.GetInstance(id.ID).GetOctets();
            var extension = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            return extension is not null && SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(extension)).GetKeyIdentifier().AsSpan().SequenceEqual(wanted);
        }
        var issuerAndSerial = IssuerAndSerialNumber.GetInstance(id.ID);
        return issuerAndSerial.SerialNumber.Value.Equals(certificate.SerialNumber) && issuerAndSerial.Issuer.Equivalent(certificate.IssuerDN);
    }

    /// <summary>The key kind and, when the identifier names one, the hash of a signatureAlgorithm; nulls when unknown.</summary>
    private static (SignatureKeyKind? Kind, SignatureHash? Hash) KeyAndHash(DerObjectIdentifier oid, X509Certificate? certificate)
    {
        if (oid.Equals(PkcsObjectIdentifiers.RsaEncryption)) return (SignatureKeyKind.Rsa, null);
        if (oid.Equals(PkcsObjectIdentifiers.Sha1WithRsaEncryption)) return (SignatureKeyKind.Rsa, SignatureHash.Sha1);
        if (oid.Equals(PkcsObjectIdentifiers.Sha256WithRsaEncryption)) return (SignatureKeyKind.Rsa, SignatureHash.Sha256);
        if (oid.Equals(PkcsObjectIdentifiers.Sha384WithRsaEncryption)) return (SignatureKeyKind.Rsa, SignatureHash.Sha384);
        if (oid.Equals(PkcsObjectIdentifiers.Sha512WithRsaEncryption)) return (SignatureKeyKind.Rsa, SignatureHash.Sha512);
        if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha1)) return (SignatureKeyKind.Ecdsa, SignatureHash.Sha1);
        if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha256)) return (SignatureKeyKind.Ecdsa, SignatureHash.Sha256);
        if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha384)) return (SignatureKeyKind.Ecdsa, SignatureHash.Sha384);
        if (oid.Equals(X9ObjectIdentifiers.ECDsaWithSha512)) return (SignatureKeyKind.Ecdsa, SignatureHash.Sha512);
        if (oid.Equals(GMObjectIdentifiers.sm2sign_with_sm3)) return (SignatureKeyKind.Sm2, SignatureHash.Sm3);
        // Signers that name only the key (1.2.156.10197.1.301[.1] for SM2, id-ecPublicKey for either curve) take the digest algorithm's hash.
        if (oid.Equals(GMObjectIdentifiers.sm2p256v1) || oid.Equals(GMObjectIdentifiers.sm2sign)) return (SignatureKeyKind.Sm2, null);
        if (oid.Equals(X9ObjectIdentifiers.IdECPublicKey))
            return (certificate?.GetPublicKey() is ECPublicKeyParameters ec && Sm2Curve.Is(ec) ? SignatureKeyKind.Sm2 : SignatureKeyKind.Ecdsa, null);
        return (null, null);
    }

    private static DateTimeOffset? SigningTime(AttributeTable? signedAttributes)
    {
        if (signedAttributes?[CmsAttributes.SigningTime]?.AttrValues is not { Count: > 0 } values) return null;
        return new DateTimeOffset(DateTime.SpecifyKind(Time.GetInstance(values[0]).ToDateTime(), DateTimeKind.Utc));
    }
}
