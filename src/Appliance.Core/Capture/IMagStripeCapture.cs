namespace Appliance.Core.Capture;

/// <summary>The magnetic-stripe reader (serial, or a USB keyboard wedge). Every failure is a <see cref="CaptureException"/>.</summary>
public interface IMagStripeCapture
{
    /// <summary>True once the reader's driver runs (it starts with the host); before that every call fails as absent.</summary>
    bool IsAvailable { get; }

    /// <summary>The swipe the reader holds and nobody took yet, else the next one within <paramref name="wait"/> (<see cref="CaptureFailure.TimedOut"/> when none comes).</summary>
    Task<MagStripeRead> ReadSwipeAsync(TimeSpan wait, CancellationToken cancel);
}

/// <summary>Track contents without sentinels ("" when the track was empty or unreadable).</summary>
public sealed record MagStripeRead(string Track1, string Track2, string Track3);
