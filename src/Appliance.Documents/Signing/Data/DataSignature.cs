namespace Appliance.Documents.Signing.Data;

/// <summary>A data signature: the value (DER; RSA the PKCS#1 block) and the signing certificate (DER).</summary>
public sealed record DataSignature(byte[] Value, byte[] Certificate);
