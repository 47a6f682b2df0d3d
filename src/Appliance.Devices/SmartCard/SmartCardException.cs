namespace Appliance.Devices.SmartCard;

/// <summary>Why a card read failed; each has its own wire code and message.</summary>
public enum SmartCardError
{
    /// <summary>No PC/SC service, no reader, or not the configured one.</summary>
    ReaderAbsent,
    /// <summary>No card was put on the reader in time.</summary>
    CardAbsent,
    /// <summary>The card went away during the read.</summary>
    CardRemoved,
    /// <summary>The card answered, but it is not the kind asked for (no payment application / no social-security application).</summary>
    UnknownCard,
    /// <summary>The card or reader failed otherwise (bad answer, error status word).</summary>
    CardFailed,
    /// <summary>Another read is in progress.</summary>
    Busy,
}

public sealed class SmartCardException(SmartCardError error, string message) : Exception(message)
{
    public SmartCardError Error { get; } = error;
}
