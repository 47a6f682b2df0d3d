namespace Appliance.Devices.MagStripe;

/// <summary>
/// Swipes from a stripe reader's receive loop to <see cref="IMagStripeReader.ReadSwipeAsync"/>, or kept for
/// <see cref="IMagStripeReader.TakeLastSwipe"/> when nobody waits. Shared by the stripe drivers.
/// </summary>
internal sealed class SwipeMailbox() : LatestValueMailbox<MagStripeSwipe>(
    () => new MagStripeException(DeviceErrorKind.NothingPresented, "请刷卡 / no card was swiped in time"))
{
    /// <summary>
    /// A swipe that could not be read: the waiters are told (so the person can be asked to swipe again), and an older
    /// kept swipe is forgotten, since the person has moved on to another card or another try.
    /// </summary>
    public void Reject(MagStripeException error) => Fail(error, forgetLast: true);

    /// <summary>The reader went away: the waiters fail; a kept swipe stays (it was read whole).</summary>
    public void FailWaiters(MagStripeException error) => Fail(error, forgetLast: false);
}
