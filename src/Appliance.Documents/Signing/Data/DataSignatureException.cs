namespace Appliance.Documents.Signing.Data;

public enum DataSignatureFailure
{
    /// <summary>An algorithm name the terminal does not know, or one it only checks.</summary>
    UnknownAlgorithm,
    /// <summary>A digest that is not the algorithm's size.</summary>
    DigestLength,
    /// <summary>A certificate that is not DER (or PEM) X.509.</summary>
    UnreadableCertificate,
}

/// <summary>A data signing or checking request the terminal refuses; the message says why, in Chinese and English.</summary>
public sealed class DataSignatureException(DataSignatureFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public DataSignatureFailure Failure { get; } = failure;
}
