using Appliance.Core.Capture;
using Appliance.Devices.SmartCard;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="ISmartCardPort"/> to the PC/SC card service (pcscd + libpcsclite).</summary>
public sealed class SmartCardAdapter(SmartCardService cards) : ISmartCardPort
{
    public Task<SmartCardRead> ReadIcCardAsync(TimeSpan? cardWait, CancellationToken cancel) =>
        ReadAsync(async () => (await cards.ReadIcCardAsync(cardWait, cancel).ConfigureAwait(false)).Fields());

    public Task<SmartCardRead> ReadSocialSecurityCardAsync(TimeSpan? cardWait, CancellationToken cancel) =>
        ReadAsync(async () => (await cards.ReadSocialSecurityCardAsync(cardWait, cancel).ConfigureAwait(false)).Fields());

    private static async Task<SmartCardRead> ReadAsync(Func<Task<IEnumerable<(string Name, string Value)>>> read)
    {
        try
        {
            var fields = await read().ConfigureAwait(false);
            return new SmartCardRead([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
        }
        catch (SmartCardException e)
        {
            throw DeviceErrors.ToCapture(e);
        }
    }
}
