namespace Appliance.Core.Capture;

/// <summary>
/// The resident-ID-card (二代证) reader: reads the card placed on it, and tells its SAM module's id. Every failure is a
/// <see cref="CaptureException"/>; a wait with no card ends as <see cref="CaptureFailure.TimedOut"/> when the reader's
/// own wait runs out, or by the session cancelling the token (seed 000: an empty read).
/// </summary>
public interface IIdCardCapture
{
    /// <summary>True once the reader's driver runs (it starts with the host); before that every call fails as absent.</summary>
    bool IsAvailable { get; }

    Task<IdCardRead> ReadAsync(IdCardReadRequest request, CancellationToken cancel);

    /// <summary>The SAM module's id as vendors print it (<c>05.01-20201231-0001234567-1234567890</c>).</summary>
    Task<string> ReadSamIdAsync(CancellationToken cancel);
}

public sealed record IdCardReadRequest
{
    /// <summary>How long the reader waits for a card; null = until the token is cancelled (the session's timeout bounds it).</summary>
    public TimeSpan? CardWait { get; init; }

    /// <summary>Also read the card's fingerprint block (cards without one still read).</summary>
    public bool WithFingerprint { get; init; }

    /// <summary>Called once when a card is on the reader and its read begins (to tell the person to keep it still).</summary>
    public Action? CardFound { get; init; }

    /// <summary>Also draw the card's two faces (<see cref="IdCardRead.FrontImage"/>, <see cref="IdCardRead.BackImage"/>).</summary>
    public bool WithFaces { get; init; }
}
