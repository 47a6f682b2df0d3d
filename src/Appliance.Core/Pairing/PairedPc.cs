using System.Text.Json.Serialization;

namespace Appliance.Core.Pairing;

/// <summary>A PC allowed to use the terminal: its credential (key id + secret) and the address it paired from.</summary>
public sealed record PairedPc(string KeyId, string Secret, string Name, string Address, DateTimeOffset PairedAt);

/// <summary>A code on the terminal's screen waiting to be typed on the PC.</summary>
public sealed record PairingCodeShown(string RequestId, string Code, string PcName, string Address, DateTimeOffset ExpiresAt);

public enum PairingFailure
{
    /// <summary>No pending request with that id, or it expired.</summary>
    NoRequest,
    WrongCode,
    /// <summary>Too many wrong codes: this address may not try again until the lockout ends.</summary>
    LockedOut,
    /// <summary>Attempts come faster than allowed.</summary>
    TooFast,
    UnknownKey,
    /// <summary>As many PCs are paired as the terminal keeps (<see cref="PairingStore.MaxPairedPcs"/>).</summary>
    Full,
}

/// <summary>Why a pairing step was refused; <see cref="RetryAfter"/> is set for lockouts and rate limits.</summary>
public sealed class PairingException(PairingFailure failure, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public PairingFailure Failure { get; } = failure;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

public sealed class PairingOptions
{
    /// <summary>How long a code stays valid on screen.</summary>
    public int CodeLifetimeSeconds { get; set; } = 120;

    /// <summary>Wrong codes from one address before it is locked out.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutSeconds { get; set; } = 300;

    /// <summary>Minimum time between two attempts (request or confirm) from one address.</summary>
    public int MinAttemptIntervalMs { get; set; } = 1000;

    public const string Section = "pairing";

    /// <summary>Returns the first problem as "pairing:key: expected …", or null.</summary>
    public string? Validate()
    {
        foreach (var (key, value, min, max) in new[]
        {
            ("codeLifetimeSeconds", CodeLifetimeSeconds, 10, 3600),
            ("maxFailedAttempts", MaxFailedAttempts, 1, 100),
            ("lockoutSeconds", LockoutSeconds, 1, 86400),
            ("minAttemptIntervalMs", MinAttemptIntervalMs, 0, 60000),
        })
            if (value < min || value > max) return $"{Section}:{key}: expected {min}..{max}, found {value}";
        return null;
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(List<PairedPc>))]
internal sealed partial class PairingJson : JsonSerializerContext;
