using Appliance.Documents.Pdf.Signing;

namespace Appliance.Documents.Signing.Data;

/// <summary>
/// Signs data with a device key (seed 004 DATA / HASH jobs): the message is digested as the algorithm says, or taken as
/// that digest (SM2: e = SM3(Z ‖ M) with the user ID 1234567812345678, Z from the key's certificate).
/// </summary>
public static class DataSigner
{
    /// <param name="key">The device key of <see cref="DataSignatureAlgorithms.SigningKey"/>'s algorithm.</param>
    public static DataSignature Sign(DocumentSigningKey key, byte[] data, DataContent content, DataSignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(data);
        if (key.Algorithm != algorithm.SigningKey())
            throw new ArgumentException($"{algorithm} is signed with the {algorithm.SigningKey()} key, not {key.Algorithm}", nameof(key));

        var certificate = key.Chain[0];
        var kind = algorithm.KeyKind();
        var hash = algorithm.Hash();
        byte[] digest;
        if (content == DataContent.Digest)
        {
            DataDigests.CheckLength(data, algorithm);
            digest = data;
        }
        else
        {
            digest = DigestSignatures.DigestOf(kind, hash, certificate.GetPublicKey(), d => d.BlockUpdate(data, 0, data.Length));
        }
        return new DataSignature(DigestSignatures.Sign(kind, hash, key.PrivateKey, digest), certificate.GetEncoded());
    }
}
