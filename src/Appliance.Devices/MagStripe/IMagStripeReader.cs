namespace Appliance.Devices.MagStripe;

/// <summary>A magnetic-stripe reader that reports each swipe's tracks 1-3 (ISO 7811 character sets).</summary>
public interface IMagStripeReader
{
    /// <summary>Waits for the next swipe.</summary>
    Task<MagStripeSwipe> ReadSwipeAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The last swipe not yet taken, then forgets it; null when none.</summary>
    MagStripeSwipe? TakeLastSwipe();
}

/// <summary>Track contents without sentinels ("" when the track was empty or unreadable).</summary>
public sealed record MagStripeSwipe(string Track1, string Track2, string Track3);

public sealed class MagStripeException(DeviceErrorKind kind, string message, Exception? inner = null)
    : DeviceException("magStripe", kind, message, inner);
