using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// A detached CMS SignedData (RFC 5652) for PAdES baseline (ETSI EN 319 142-1 §6.3, /SubFilter /ETSI.CAdES.detached):
/// signed attributes content-type, message-digest and signing-certificate-v2 (RFC 5035), no signing-time (the /Sig
/// dictionary's /M carries the claimed time), the chain as certificates, and for B-T the signature time-stamp token
/// as an unsigned attribute. Assembled from ASN.1 structures so the signature value exists before the token is asked.
/// </summary>
internal sealed class CadesSignature
{
    private readonly DocumentSigningKey _key;
    private readonly Asn1Set _signedAttributes;

    private CadesSignature(DocumentSigningKey key, Asn1Set signedAttributes, byte[] signatureValue)
    {
        _key = key;
        _signedAttributes = signedAttributes;
        SignatureValue = signatureValue;
    }

    public byte[] SignatureValue { get; }

    /// <summary>Signs the signed attributes built around <paramref name="contentDigest"/> (the digest of the byte ranges).</summary>
    public static CadesSignature Sign(DocumentSigningKey key, byte[] contentDigest)
    {
        var signingCertificate = key.Chain[0];
        // SHA-256 is ESSCertIDv2's default hash, so the identifier is left out (RFC 5035 §4).
        var certificateId = new EssCertIDv2(
            SHA256.HashData(signingCertificate.GetEncoded()),
            new IssuerSerial(new GeneralNames(new GeneralName(signingCertificate.IssuerDN)), new DerInteger(signingCertificate.SerialNumber)));
        var attributes = new DerSet(
            new Attribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new Attribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest))),
            new Attribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(new SigningCertificateV2(new[] { certificateId }))));

        // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4), not their [0] IMPLICIT form.
        var signer = SignatureSuite.CreateSigner(key.Algorithm, key.PrivateKey);
        var encoded = attributes.GetEncoded(Asn1Encodable.Der);
        signer.BlockUpdate(encoded, 0, encoded.Length);
        return new CadesSignature(key, attributes, signer.GenerateSignature());
    }

    /// <summary>The DER ContentInfo, with <paramref name="timestampToken"/> (a DER TimeStampToken) as id-aa-signatureTimeStampToken when given.</summary>
    public byte[] Encode(byte[]? timestampToken)
    {
        var signingCertificate = _key.Chain[0];
        Asn1Set? unsignedAttributes = null;
        if (timestampToken is not null)
        {
            unsignedAttributes = new DerSet(new Attribute(
                PkcsObjectIdentifiers.IdAASignatureTimeStampToken,
                new DerSet(ContentInfo.GetInstance(Asn1Object.FromByteArray(timestampToken)))));
        }
        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(signingCertificate.IssuerDN, signingCertificate.SerialNumber)),
            SignatureSuite.DigestAlgorithm(_key.Algorithm),
            _signedAttributes,
            SignatureSuite.SignatureAlgorithm(_key.Algorithm),
            new DerOctetString(SignatureValue),
            unsignedAttributes);
        var certificates = new Asn1EncodableVector();
        foreach (var certificate in _key.Chain) certificates.Add(certificate.CertificateStructure);
        var signedData = new SignedData(
            new DerSet(SignatureSuite.DigestAlgorithm(_key.Algorithm)),
            new ContentInfo(CmsObjectIdentifiers.Data, null),
            new DerSet(certificates),
            null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>An upper bound on <see cref="Encode"/>'s length without a token, for the /Contents placeholder.</summary>
    public static int EstimateLength(DocumentSigningKey key) =>
        key.Chain.Sum(c => c.GetEncoded().Length) + 1024;
}
