using Appliance.Documents.Signing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Tsp;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>
/// A signature's time-stamp token (RFC 3161 in the unsigned attribute id-aa-signatureTimeStampToken, RFC 3161 Appendix A;
/// PAdES B-T): its genTime, whether it stamps this signature value, and whether the authority's signature over it holds
/// (checked when the token carries the authority's certificate, as a token asked with certReq does).
/// </summary>
internal static class SignatureTimestamp
{
    public static (bool Present, DateTimeOffset? Time, IReadOnlyList<string> Errors) Read(SignerInfo signer)
    {
        if (signer.UnsignedAttrs is not { } unsigned) return (false, null, []);
        var values = new AttributeTable(unsigned)[PkcsObjectIdentifiers.IdAASignatureTimeStampToken]?.AttrValues;
        if (values is not { Count: > 0 }) return (false, null, []);
        try
        {
            if (SignedData.GetInstance(ContentInfo.GetInstance(values[0]).Content) is not { } token
                || Asn1OctetString.GetInstance(token.EncapContentInfo.Content)?.GetOctets() is not { } tstInfoOctets)
                return (true, null, ["时间戳无法读取 / the time-stamp token holds no TSTInfo"]);
            var info = TstInfo.GetInstance(Asn1Object.FromByteArray(tstInfoOctets));
            var time = new DateTimeOffset(DateTime.SpecifyKind(info.GenTime.ToDateTime(), DateTimeKind.Utc));
            var errors = new List<string>();

            var imprint = info.MessageImprint;
            var hash = SignatureHashes.FromOid(imprint.HashAlgorithm.Algorithm);
            var signatureValue = signer.Signature.GetOctets();
            if (hash is null || !hash.Value.Compute(d => d.BlockUpdate(signatureValue, 0, signatureValue.Length)).AsSpan().SequenceEqual(imprint.GetHashedMessage()))
                errors.Add("时间戳不是对此签名值的 / the time-stamp token does not stamp this signature value");

            var check = CmsSignerCheck.Verify(token, d => d.BlockUpdate(tstInfoOctets, 0, tstInfoOctets.Length));
            // A token without the authority's certificate cannot be checked here; that alone does not make it wrong.
            if (check.SignerCertificate is not null)
                errors.AddRange(check.Errors.Select(e => "时间戳 / time-stamp token: " + e));
            return (true, time, errors);
        }
        catch (Exception e) when (MalformedAsn1.Is(e))
        {
            return (true, null, [$"时间戳无法读取 / the time-stamp token cannot be read: {e.Message}"]);
        }
    }
}
