namespace Appliance.Documents.Signing;

/// <summary>The public-key algorithms the terminal signs with and checks.</summary>
internal enum SignatureKeyKind
{
    /// <summary>RSA, PKCS#1 v1.5.</summary>
    Rsa,
    /// <summary>ECDSA on any named curve but SM2's.</summary>
    Ecdsa,
    /// <summary>SM2 (GM/T 0003) with SM3 and the user ID 1234567812345678.</summary>
    Sm2,
}

internal static class SignatureKeyKinds
{
    public static string Name(this SignatureKeyKind kind) => kind switch
    {
        SignatureKeyKind.Rsa => "RSA",
        SignatureKeyKind.Ecdsa => "ECDSA",
        SignatureKeyKind.Sm2 => "SM2",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
