namespace Appliance.Documents.Pdf.Signing;

public enum DocumentSigningAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256.</summary>
    EcdsaP256,
    /// <summary>RSA 2048, PKCS#1 v1.5, SHA-256.</summary>
    Rsa2048,
    /// <summary>SM2 with SM3 (GM/T 0009/0010), user ID 1234567812345678.</summary>
    Sm2,
}
