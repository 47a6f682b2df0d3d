namespace Appliance.Protocols.Security.Management;

/// <summary>Result codes in seed 004's style (§4): its own codes where they fit, 89009xxx for the terminal's.</summary>
public static class ManagementStatus
{
    public const string Success = "200";
    public const string BadParameter = "89000001";
    public const string UnknownAppId = "89000003";
    public const string BadSignature = "89000005";
    public const string ServerError = "89000007";
    public const string StaleTimestamp = "89009001";
    public const string ReplayedNonce = "89009002";
    public const string WrongPairingCode = "89009003";
    public const string PairingLockedOut = "89009004";
    public const string NoPairingRequest = "89009005";
    public const string TooManyAttempts = "89009006";
    public const string CertificateMismatch = "89009007";
    public const string UnknownCommand = "89009008";
    public const string UnknownKeyId = "89009009";
    public const string PairingListFull = "89009010";

    // Signing orders (issue 19, docs/PROTOCOLS.md "Signing orders"): the terminal's own codes beside seed 004's.
    /// <summary>The signer refused on the terminal (seed 002 PushSignedDoc errorcode, seed 004 REFUSE answers).</summary>
    public const string RefusedBySigner = "89009011";
    /// <summary>The caller's order number belongs to an order not yet ended.</summary>
    public const string OrderNumberInUse = "89009012";
    /// <summary>Another task holds the terminal's screen.</summary>
    public const string TerminalBusy = "89009013";
    /// <summary>The terminal keeps no more open orders.</summary>
    public const string TooManyOrders = "89009014";
    /// <summary>The document is not a PDF the terminal can open, or a placement is not on it.</summary>
    public const string BadDocument = "89009015";
    /// <summary>Too many large bodies are being read at once: try again shortly.</summary>
    public const string UploadsBusy = "89009016";
}

/// <summary>A refused management call: its seed-004 status, message and HTTP status.</summary>
public class ManagementException(string status, string message, int httpStatus = 400) : Exception(message)
{
    public string Status { get; } = status;
    public int HttpStatus { get; } = httpStatus;
}
