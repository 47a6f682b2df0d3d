using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace Appliance.Documents.Signing;

/// <summary>
/// SM2 signatures (GM/T 0003.2 §6–7) on the value e = SM3(Z ‖ M) itself. BouncyCastle's SM2Signer always digests a
/// message, and a seed 004 HASH job hands the terminal e, so signing and checking are written out here.
/// </summary>
internal static class Sm2Signatures
{
    /// <summary>The distinguishing identifier GM/T 0009 has every party assume when none was agreed.</summary>
    public static readonly byte[] DefaultUserId = "1234567812345678"u8.ToArray();

    private static readonly SecureRandom Random = new();

    /// <summary>Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA): the signer's identity and key, hashed before the message.</summary>
    public static byte[] Z(ECPublicKeyParameters publicKey, byte[] userId)
    {
        var digest = new SM3Digest();
        var bits = userId.Length * 8;
        digest.Update((byte)(bits >> 8));
        digest.Update((byte)bits);
        digest.BlockUpdate(userId, 0, userId.Length);
        var parameters = publicKey.Parameters;
        var g = parameters.G.Normalize();
        var q = publicKey.Q.Normalize();
        foreach (var element in (ECFieldElement[])[parameters.Curve.A, parameters.Curve.B, g.AffineXCoord, g.AffineYCoord, q.AffineXCoord, q.AffineYCoord])
        {
            var encoded = element.GetEncoded();
            digest.BlockUpdate(encoded, 0, encoded.Length);
        }
        var z = new byte[digest.GetDigestSize()];
        digest.DoFinal(z, 0);
        return z;
    }

    /// <summary>e = SM3(Z ‖ M) with the default user ID, M being what <paramref name="feed"/> writes.</summary>
    public static byte[] E(ECPublicKeyParameters publicKey, Action<IDigest> feed)
    {
        var digest = new SM3Digest();
        var z = Z(publicKey, DefaultUserId);
        digest.BlockUpdate(z, 0, z.Length);
        feed(digest);
        var e = new byte[digest.GetDigestSize()];
        digest.DoFinal(e, 0);
        return e;
    }

    public static (BigInteger R, BigInteger S) Sign(ECPrivateKeyParameters privateKey, byte[] e)
    {
        var parameters = privateKey.Parameters;
        var n = parameters.N;
        var d = privateKey.D;
        var eValue = new BigInteger(1, e);
        var multiplier = new FixedPointCombMultiplier();
        var inverseOfDPlus1 = BigIntegers.ModOddInverse(n, d.Add(BigInteger.One));
        while (true)
        {
            var k = BigIntegers.CreateRandomInRange(BigInteger.One, n.Subtract(BigInteger.One), Random);
            var x1 = multiplier.Multiply(parameters.G, k).Normalize().AffineXCoord.ToBigInteger();
            var r = eValue.Add(x1).Mod(n);
            if (r.SignValue == 0 || r.Add(k).Equals(n)) continue;
            var s = inverseOfDPlus1.Multiply(k.Subtract(r.Multiply(d))).Mod(n);
            if (s.SignValue != 0) return (r, s);
        }
    }

    public static bool Verify(ECPublicKeyParameters publicKey, byte[] e, BigInteger r, BigInteger s)
    {
        var parameters = publicKey.Parameters;
        var n = parameters.N;
        if (r.SignValue <= 0 || r.CompareTo(n) >= 0 || s.SignValue <= 0 || s.CompareTo(n) >= 0) return false;
        var t = r.Add(s).Mod(n);
        if (t.SignValue == 0) return false;
        var point = ECAlgorithms.SumOfTwoMultiplies(parameters.G, s, publicKey.Q, t).Normalize();
        if (point.IsInfinity) return false;
        return new BigInteger(1, e).Add(point.AffineXCoord.ToBigInteger()).Mod(n).Equals(r);
    }
}
