using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Parameters;

namespace Appliance.Documents.Signing;

/// <summary>Whether an EC key lies on SM2's curve (sm2p256v1): the only thing telling an SM2 key from an ECDSA one.</summary>
internal static class Sm2Curve
{
    private static readonly Org.BouncyCastle.Math.EC.ECCurve Curve = GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1).Curve;

    public static bool Is(ECPublicKeyParameters key) =>
        key.Parameters is ECNamedDomainParameters named && named.Name.Equals(GMObjectIdentifiers.sm2p256v1) || key.Parameters.Curve.Equals(Curve);
}
