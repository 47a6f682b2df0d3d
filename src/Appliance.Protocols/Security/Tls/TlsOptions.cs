namespace Appliance.Protocols.Security.Tls;

/// <summary>Config section <c>tls</c>: https/wss on the same ports (seed 003 §12).</summary>
public sealed class TlsOptions
{
    /// <summary><c>http</c> (plain only), <c>both</c> (plain and TLS on each port, told apart by the first byte) or <c>https</c> (TLS only).</summary>
    public string Mode { get; set; } = "both";

    /// <summary>PKCS#11 module path holding the device key; empty = a key file in the state dir.</summary>
    public string Pkcs11Module { get; set; } = "";

    public const string Section = "tls";

    /// <summary>Returns the first problem as "tls:key: expected …", or null.</summary>
    public string? Validate()
    {
        try { _ = ParsedMode; }
        catch (ArgumentException e) { return e.Message; }
        if (!string.IsNullOrEmpty(Pkcs11Module))
            return $"{Section}:pkcs11Module: PKCS#11 device keys are not supported by this build (found \"{Pkcs11Module}\"); leave it empty for a key file";
        return null;
    }

    public TlsMode ParsedMode => Mode.ToLowerInvariant() switch
    {
        "http" or "http-only" => TlsMode.Http,
        "both" => TlsMode.Both,
        "https" or "https-only" => TlsMode.Https,
        _ => throw new ArgumentException($"tls:mode: expected http, both or https, found \"{Mode}\""),
    };
}

public enum TlsMode
{
    Http,
    Both,
    Https,
}

public static class TlsModeNames
{
    /// <summary><c>http</c>, <c>both</c> or <c>https</c>: the mode as the discovery TXT's <c>tls</c> key says it.</summary>
    public static string Name(this TlsMode mode) => mode switch { TlsMode.Http => "http", TlsMode.Https => "https", _ => "both" };
}
