namespace Appliance.Devices.IdCard;

/// <summary>
/// A resident-ID-card (二代证) reader: a SAM module speaking GA 467 frames. Calls are serialised by the
/// implementation; each fails with <see cref="IdCardException"/>.
/// </summary>
public interface IIdCardReader
{
    /// <summary>
    /// Waits (polling find-card) up to <see cref="IdCardReadOptions.CardWait"/> for a card, then selects and
    /// reads it. Throws <see cref="IdCardException"/> with <see cref="DeviceErrorKind.NothingPresented"/> when no
    /// card came.
    /// </summary>
    Task<IdCardData> ReadAsync(IdCardReadOptions options, CancellationToken cancellationToken);

    /// <summary>The SAM module's unique id, formatted as the vendors print it (<c>05.01-20201231-0001234567-1234567890</c>).</summary>
    Task<string> ReadSamIdAsync(CancellationToken cancellationToken);

    /// <summary>One find-card poll: true when a card lies on the reader now.</summary>
    Task<bool> IsCardPresentAsync(CancellationToken cancellationToken);
}

public sealed record IdCardReadOptions
{
    /// <summary>Also read the 1024-byte fingerprint block (command 30 10); cards without one still read.</summary>
    public bool WithFingerprint { get; init; } = true;

    /// <summary>How long to wait for a card to be placed.</summary>
    public TimeSpan CardWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called once a card is found, before it is selected and read (the caller tells the person to keep it still).</summary>
    public Action? CardFound { get; init; }
}
