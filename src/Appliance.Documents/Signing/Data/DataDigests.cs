namespace Appliance.Documents.Signing.Data;

internal static class DataDigests
{
    /// <summary>A HASH job's bytes must be the algorithm's digest: anything else is the caller's mistake, not a signature.</summary>
    public static void CheckLength(byte[] digest, DataSignatureAlgorithm algorithm)
    {
        var expected = algorithm.DigestSize();
        if (digest.Length != expected)
            throw new DataSignatureException(DataSignatureFailure.DigestLength,
                $"摘要长度应为 {expected} 字节，实为 {digest.Length} / a {algorithm} digest is {expected} bytes, not {digest.Length}");
    }
}
