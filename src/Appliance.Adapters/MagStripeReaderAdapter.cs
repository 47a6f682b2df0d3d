using Appliance.Core.Capture;
using Appliance.Devices.MagStripe;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="IMagStripeCapture"/> to the serial or keyboard-wedge stripe reader driver, whichever the board has.</summary>
public sealed class MagStripeReaderAdapter(DeviceSlot<IMagStripeReader> reader) : IMagStripeCapture
{
    public bool IsAvailable => reader.Current is not null;

    public async Task<MagStripeRead> ReadSwipeAsync(TimeSpan wait, CancellationToken cancel)
    {
        var swipe = await DeviceErrors.Translated(async () =>
        {
            var driver = reader.Device;
            return driver.TakeLastSwipe() ?? await driver.ReadSwipeAsync(wait, cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new MagStripeRead(swipe.Track1, swipe.Track2, swipe.Track3);
    }
}
