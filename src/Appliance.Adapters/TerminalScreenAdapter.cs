using Appliance.Core.Capture;
using Appliance.Core.Screen;
using Appliance.Imaging.Capture;
using Appliance.Imaging.Jpeg;
using Appliance.Ui;
using Appliance.Ui.Images;

namespace Appliance.Adapters;

/// <summary>
/// Binds <see cref="ITerminalScreen"/> to the screen (Appliance.Ui): the windows, the prompt, and the panel's picture
/// encoded by libjpeg-turbo. The screen's own errors become <see cref="CaptureException"/> here and nowhere else, so
/// both protocols read a busy screen or a bad picture the same way.
/// </summary>
public sealed class TerminalScreenAdapter(ScreenService screen) : ITerminalScreen
{
    private const int JpegQuality = 80;

    public float TextScale { get => screen.TextScale; set => screen.TextScale = value; }

    private readonly Lock _gate = new();
    /// <summary>The floating button group on screen: its clicks are what <see cref="LastFloatingButtonClicked"/> reports.</summary>
    private FloatingButtonGroup? _floating;

    public PixelSize Size => new(screen.Width, screen.Height);

    public Task<SignatureOutcome> ShowSignatureAsync(SignatureWindowOptions options, CancellationToken cancel) =>
        Translated(() => screen.ShowSignatureAsync(options, cancel));

    public bool ResetSignature() => screen.ResetSignature();

    public Task<string> ShowEvaluationAsync(EvaluationWindowOptions options, CancellationToken cancel) =>
        Translated(() => screen.ShowEvaluationAsync(options, cancel));

    public async Task ShowFloatingButtonsAsync(FloatingButtonGroupOptions options, CancellationToken cancel)
    {
        var group = await Translated(() => screen.ShowFloatingButtonsAsync(options, cancel)).ConfigureAwait(false);
        lock (_gate) _floating = group;
    }

    public void CloseFloatingButtons()
    {
        lock (_gate) _floating = null;
        screen.CloseFloatingButtons();
    }

    public string? LastFloatingButtonClicked
    {
        get { lock (_gate) return _floating?.LastClicked; }
    }

    public Task StartCarouselAsync(CarouselOptions options, CancellationToken cancel) =>
        Translated(async () =>
        {
            await screen.StartCarouselAsync(options, cancel).ConfigureAwait(false);
            return true;
        });

    public void StopCarousel() => screen.StopCarousel();

    public void ShowPrompt(ScreenPrompt prompt) =>
        screen.ShowPrompt(new PromptOptions { Text = prompt.Title, Detail = prompt.Detail.Length > 0 ? prompt.Detail : null });

    public void ShowIdle() => screen.ClearPrompt();

    public long FrameVersion => screen.FrameVersion;

    public ScreenFrame CaptureJpeg(PixelSize? fitInto)
    {
        var (width, height) = (screen.Width, screen.Height);
        var jpeg = JpegCodec.Shared.Encode(screen.CaptureBgra(), width, height, JpegPixels.Bgra, JpegQuality);
        if (fitInto is not { } box) return new ScreenFrame(jpeg, new PixelSize(width, height));
        var (fitWidth, fitHeight) = JpegResizer.Fit(width, height, box.Width, box.Height);
        return new ScreenFrame(JpegResizer.FitWithin(jpeg, box.Width, box.Height, JpegQuality), new PixelSize(fitWidth, fitHeight));
    }

    public byte[] RenderNoticeJpeg(string text, PixelSize size) => NoticeFrame.Render(text, size.Width, size.Height, screen.Typeface);

    /// <summary>The screen's errors in the terminal's words: a second window is busy, a bad picture or place is the caller's.</summary>
    private static async Task<T> Translated<T>(Func<Task<T>> show)
    {
        try
        {
            return await show().ConfigureAwait(false);
        }
        catch (ScreenBusyException e)
        {
            throw new CaptureException(CaptureFailure.Busy, "签字屏忙 / the screen is busy with another window", e);
        }
        catch (UiImageException e)
        {
            throw e.Failure switch
            {
                UiImageFailure.TooLarge => new CaptureException(CaptureFailure.TooLarge, $"图片过大 / the picture is too large: {e.Message}", e),
                _ => new CaptureException(CaptureFailure.BadRequest, $"图像无法加载 / image could not be loaded: {e.Message}", e),
            };
        }
        catch (ScreenPlacementException e)
        {
            throw new CaptureException(CaptureFailure.BadRequest, e.Message, e);
        }
        catch (ArgumentException e)
        {
            // Any other refusal of the screen's: its text may be the runtime's (a resource key in the AOT build), so ours.
            throw new CaptureException(CaptureFailure.BadRequest, "窗口参数无效 / the window's parameters cannot be shown", e);
        }
    }
}
