namespace Appliance.Documents.Signing.Data;

/// <summary>What the bytes handed to the data signer are.</summary>
public enum DataContent
{
    /// <summary>The message: the signer digests it (SM2: e = SM3(Z ‖ M)).</summary>
    Message,
    /// <summary>The digest itself, of the algorithm's size (SM2: e).</summary>
    Digest,
}
