namespace Appliance.Core.Session;

/// <summary>Timeouts of the terminal session's tasks, and how long their outcome shows (configuration section <c>session</c>).</summary>
public sealed class TerminalSessionOptions
{
    public const string Section = "session";

    /// <summary>How long the signature window waits for OK or return before it closes by itself.</summary>
    public int SignTimeoutSeconds { get; set; } = 180;

    /// <summary>How long a document (<c>show_sign_pdf</c>) stays open in all: reading it, every signature, signing off.</summary>
    public int SignPdfTimeoutSeconds { get; set; } = 900;

    /// <summary>How long the fingerprint window waits for a finger (seed 000: 5 s).</summary>
    public int FingerprintTimeoutSeconds { get; set; } = 5;

    /// <summary>How long a card read waits for a card before it answers with empty fields.</summary>
    public int IdCardTimeoutSeconds { get; set; } = 10;

    /// <summary>How long the screen says how a task ended ("签名完成 / Signature done") before the idle screen; 0 for none.</summary>
    public double OutcomeSeconds { get; set; } = 3;

    public string? Validate()
    {
        foreach (var (key, value) in new[] { ("signTimeoutSeconds", SignTimeoutSeconds), ("signPdfTimeoutSeconds", SignPdfTimeoutSeconds), ("fingerprintTimeoutSeconds", FingerprintTimeoutSeconds), ("idCardTimeoutSeconds", IdCardTimeoutSeconds) })
            if (value is < 1 or > 3600) return $"{Section}:{key}: expected 1..3600, found {value}";
        if (OutcomeSeconds is < 0 or > 30 || double.IsNaN(OutcomeSeconds)) return $"{Section}:outcomeSeconds: expected 0..30, found {OutcomeSeconds}";
        return null;
    }
}
