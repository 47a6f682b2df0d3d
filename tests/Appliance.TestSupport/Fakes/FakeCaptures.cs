using System.Threading.Channels;
using Appliance.Core.Capture;
using Appliance.Core.Screen;

namespace Appliance.TestSupport.Fakes;

// In-memory capture backends for tests of the session and the protocol (the real screen and device adapters
// replace them on the sim board). Each records what was asked and lets the test play the person.

/// <summary>The signature window of <see cref="FakeScreen"/>: the test waits for it to open, then signs or presses return.</summary>
public sealed class FakeSignatureCapture
{
    private readonly Channel<SignatureRequest> _opened = Channel.CreateUnbounded<SignatureRequest>();
    private TaskCompletionSource<SignatureOutcome> _answer = NewAnswer();

    /// <summary>When set, every window is signed at once with this outcome (for load tests).</summary>
    public SignatureOutcome? AnswerImmediately { get; set; }

    /// <summary>Completes when the next signature window opens, with what the PC asked for.</summary>
    public ValueTask<SignatureRequest> WaitForWindowAsync(CancellationToken cancel) => _opened.Reader.ReadAsync(cancel);

    public void Sign(byte[] png, params PenSample[] samples) => _answer.TrySetResult(Signed(png, samples));

    public void PressReturn() => _answer.TrySetResult(new SignatureOutcome.Cancelled(null));

    /// <summary>What OK on a window with ink gives (the size is the fake's; nothing reads it).</summary>
    public static SignatureOutcome.Confirmed Signed(byte[] png, params PenSample[] samples) => new(png, 0, 0, samples, null);

    public async Task<SignatureOutcome> ShowSignatureAsync(SignatureWindowOptions options, CancellationToken cancel)
    {
        if (AnswerImmediately is { } now) return now;
        var answer = _answer = NewAnswer();
        _opened.Writer.TryWrite(SignatureRequest.From(options));
        return await answer.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    private static TaskCompletionSource<SignatureOutcome> NewAnswer() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Where a signature window opened and its pen width, as a PC asks for them: <paramref name="Window"/> in screen
/// pixels, null for the whole screen.
/// </summary>
public sealed record SignatureRequest(ScreenRect? Window, float PenWidth)
{
    public static SignatureRequest From(SignatureWindowOptions options)
    {
        if (options.Pos == UiPos.FullScreen) return new(null, options.PenWidth);
        var r = options.Pos.Resolve(FakeScreen.Width, FakeScreen.Height);
        return new(new ScreenRect(r.Left, r.Top, r.Width, r.Height), options.PenWidth);
    }
}

public sealed class FakeFingerprintCapture : IFingerprintCapture
{
    private readonly Channel<bool> _waiting = Channel.CreateUnbounded<bool>();
    private TaskCompletionSource<FingerprintPicture> _finger = New();

    public ValueTask<bool> WaitForCaptureAsync(CancellationToken cancel) => _waiting.Reader.ReadAsync(cancel);

    public void PlaceFinger(byte[] png) => _finger.TrySetResult(new FingerprintPicture(png, 256, 288));

    public void Fail(CaptureFailure failure, string message) => _finger.TrySetException(new CaptureException(failure, message));

    public bool IsAvailable => true;

    public async Task<FingerprintPicture> CaptureAsync(CancellationToken cancel)
    {
        var finger = _finger = New();
        _waiting.Writer.TryWrite(true);
        return await finger.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    // The UOS port only captures pictures; CameraService's reads and matches keep the sim board's module.
    public Task<FingerprintRead> ReadAsync(FingerprintReadRequest request, CancellationToken cancel) => throw NotFaked();

    public Task<int> VerifyLiveAsync(byte[] feature, TimeSpan fingerWait, CancellationToken cancel) => throw NotFaked();

    public Task<int> MatchAsync(byte[] first, byte[] second, CancellationToken cancel) => throw NotFaked();

    private static CaptureException NotFaked() => new(CaptureFailure.NotSupported, "not faked");

    private static TaskCompletionSource<FingerprintPicture> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed class FakeIdCardCapture : IIdCardCapture
{
    private readonly Channel<bool> _waiting = Channel.CreateUnbounded<bool>();
    private TaskCompletionSource<IdCardRead> _card = New();

    public ValueTask<bool> WaitForReadAsync(CancellationToken cancel) => _waiting.Reader.ReadAsync(cancel);

    public void PlaceCard(IdCardRead card) => _card.TrySetResult(card);

    public bool IsAvailable => true;

    public async Task<IdCardRead> ReadAsync(IdCardReadRequest request, CancellationToken cancel)
    {
        var card = _card = New();
        _waiting.Writer.TryWrite(true);
        return await card.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    public Task<string> ReadSamIdAsync(CancellationToken cancel) => Task.FromResult("05.01-20201231-0001234567-1234567890");

    private static TaskCompletionSource<IdCardRead> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed class FakeCamera : ICameraCapture
{
    private int _frames;

    public int FramesGrabbed => Volatile.Read(ref _frames);

    public Task<byte[]> GrabPreviewJpegAsync(CancellationToken cancel) =>
        Task.FromResult(TestImages.CameraJpeg(Interlocked.Increment(ref _frames)));

    public Task<byte[]> TakePhotoJpegAsync(CancellationToken cancel) => Task.FromResult(TestImages.CameraJpeg(0, 640, 480));
}

/// <summary>
/// The screen as the session and the protocols see it: records the prompts, opens its <see cref="Signature"/> window;
/// the other windows are not there (<see cref="CaptureFailure.NotSupported"/>).
/// </summary>
public sealed class FakeScreen(FakeSignatureCapture? signature = null) : ITerminalScreen
{
    /// <summary>The sim board's screen size.</summary>
    public const int Width = 1280, Height = 800;

    private readonly Lock _gate = new();
    private readonly List<ScreenPrompt?> _shown = [];

    public FakeSignatureCapture Signature { get; } = signature ?? new FakeSignatureCapture();

    /// <summary>Everything shown, in order; null stands for the idle screen.</summary>
    public IReadOnlyList<ScreenPrompt?> Shown
    {
        get { lock (_gate) return [.. _shown]; }
    }

    public PixelSize Size => new(Width, Height);

    public float TextScale { get; set; } = 1;

    public Task<SignatureOutcome> ShowSignatureAsync(SignatureWindowOptions options, CancellationToken cancel) =>
        Signature.ShowSignatureAsync(options, cancel);

    public bool ResetSignature() => false;

    public Task<string> ShowEvaluationAsync(EvaluationWindowOptions options, CancellationToken cancel) =>
        Task.FromException<string>(Absent("evaluation window"));

    public Task ShowFloatingButtonsAsync(FloatingButtonGroupOptions options, CancellationToken cancel) => Task.FromException(Absent("floating buttons"));

    public void CloseFloatingButtons() { }

    public string? LastFloatingButtonClicked => null;

    public Task StartCarouselAsync(CarouselOptions options, CancellationToken cancel) => Task.FromException(Absent("carousel"));

    public void StopCarousel() { }

    public void ShowPrompt(ScreenPrompt prompt)
    {
        lock (_gate) _shown.Add(prompt);
    }

    public void ShowIdle()
    {
        lock (_gate) _shown.Add(null);
    }

    public long FrameVersion => 0;

    public ScreenFrame CaptureJpeg(PixelSize? fitInto) => new(TestImages.CameraJpeg(0, Width, Height), Size);

    public byte[] RenderNoticeJpeg(string text, PixelSize size) => TestImages.CameraJpeg(0, size.Width, size.Height);

    private static CaptureException Absent(string what) => new(CaptureFailure.NotSupported, $"the fake screen has no {what}");
}

/// <summary>A full set of fakes, and the service override that installs them into a <see cref="RunningTerminal"/>.</summary>
public sealed class FakeDevices
{
    public FakeDevices() => Screen = new FakeScreen(Signature);

    public FakeSignatureCapture Signature { get; } = new();
    public FakeFingerprintCapture Fingerprint { get; } = new();
    public FakeIdCardCapture IdCard { get; } = new();
    public FakeCamera Camera { get; } = new();
    public FakeScreen Screen { get; }

    public CaptureDevices AsCaptureDevices() => new()
    {
        Fingerprint = Fingerprint, IdCard = IdCard, Camera = Camera, Screen = Screen,
    };
}
