namespace Appliance.Devices.SmartCard;

/// <summary>Which reader, how long to wait for a card.</summary>
public sealed class SmartCardOptions
{
    /// <summary>Substring of the PC/SC reader name; empty = the first reader.</summary>
    public string Reader { get; set; } = "";
    public TimeSpan CardWait { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The card-reading façade the protocols use: one read at a time (a second is refused as busy), each on
/// its own PC/SC context, off the request thread. Reports whether a reader is there after every attempt.
/// </summary>
public sealed class SmartCardService(SmartCardOptions options)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public SmartCardOptions Options { get; } = options;

    /// <summary>Raised with (reader present, detail) after each attempt, for the health registry.</summary>
    public event Action<bool, string>? ReaderState;

    public Task<IcCardInfo> ReadIcCardAsync(TimeSpan? wait, CancellationToken cancellationToken) =>
        RunAsync(channel => new EmvCardReader(channel).Read(), wait, cancellationToken);

    public Task<SocialCardInfo> ReadSocialSecurityCardAsync(TimeSpan? wait, CancellationToken cancellationToken) =>
        RunAsync(channel => new SocialSecurityCardReader(channel).Read(), wait, cancellationToken);

    private async Task<T> RunAsync<T>(Func<IApduChannel, T> read, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (!await _one.WaitAsync(0, cancellationToken).ConfigureAwait(false))
            throw new SmartCardException(SmartCardError.Busy, "another card read is in progress");
        try
        {
            return await Task.Factory.StartNew(() =>
            {
                try
                {
                    using var reader = PcscReader.Open(Options.Reader);
                    ReaderState?.Invoke(true, reader.ReaderName);
                    reader.WaitAndConnect(wait ?? Options.CardWait, cancellationToken);
                    return read(reader);
                }
                catch (SmartCardException e) when (e.Error == SmartCardError.ReaderAbsent)
                {
                    ReaderState?.Invoke(false, e.Message);
                    throw;
                }
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }
}
