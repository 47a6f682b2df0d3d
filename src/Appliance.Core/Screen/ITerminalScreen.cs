using Appliance.Core.Capture;

namespace Appliance.Core.Screen;

/// <summary>
/// The terminal's screen as the protocols and the session use it: the windows a PC opens (signature, evaluation,
/// floating buttons, advertising carousel), the prompt of the task on screen, and the panel's picture for the
/// sign-screen stream. UOS <c>getsign</c> and CameraService <c>sign=start</c> open the same signature window here.
/// <para>
/// Failures are <see cref="CaptureException"/>: <see cref="CaptureFailure.Busy"/> for a second signature or evaluation
/// window, <see cref="CaptureFailure.BadRequest"/> for a place off the screen or a picture that cannot be used,
/// <see cref="CaptureFailure.TimedOut"/> / <see cref="CaptureFailure.TooLarge"/> for a picture's download. Cancelling a
/// window's token closes it and throws <see cref="OperationCanceledException"/>.
/// </para>
/// Bound to the screen (Appliance.Ui) by an adapter; in-memory fakes stand in for tests.
/// </summary>
public interface ITerminalScreen
{
    /// <summary>The logical size, as the person sees the screen.</summary>
    PixelSize Size { get; }

    /// <summary>Large-text mode: every window's text at this multiple (1 normal, up to 2).</summary>
    float TextScale { get; set; }

    /// <summary>
    /// Shows the signature window and waits for the person: <see cref="SignatureOutcome.Confirmed"/> (OK with ink on the
    /// pad, with the raw pen samples) or <see cref="SignatureOutcome.Cancelled"/> (return button). Closed when this returns.
    /// </summary>
    Task<SignatureOutcome> ShowSignatureAsync(SignatureWindowOptions options, CancellationToken cancel);

    /// <summary>Clears the ink of the signature window on screen, as its reset button does. False when none is shown.</summary>
    bool ResetSignature();

    /// <summary>Shows the evaluation window and returns the <c>content</c> of the button tapped; the window closes then.</summary>
    Task<string> ShowEvaluationAsync(EvaluationWindowOptions options, CancellationToken cancel);

    /// <summary>Shows the floating button group (replacing one shown); it stays until <see cref="CloseFloatingButtons"/>.</summary>
    Task ShowFloatingButtonsAsync(FloatingButtonGroupOptions options, CancellationToken cancel);

    void CloseFloatingButtons();

    /// <summary>The <c>content</c> of the last button tapped in the group on screen; null before a tap or when none is shown.</summary>
    string? LastFloatingButtonClicked { get; }

    /// <summary>Loads every picture (the error names the first that did not load), then shows them in turn under any window.</summary>
    Task StartCarouselAsync(CarouselOptions options, CancellationToken cancel);

    /// <summary>Stops the carousel (if one runs); the idle screen shows again.</summary>
    void StopCarousel();

    /// <summary>Shows (or replaces) the prompt telling the person what to do, above every window.</summary>
    void ShowPrompt(ScreenPrompt prompt);

    /// <summary>Takes the prompt away: the idle screen (or the carousel) shows beneath.</summary>
    void ShowIdle();

    /// <summary>Increases each time pixels reach the panel ("has the screen changed?").</summary>
    long FrameVersion { get; }

    /// <summary>What the panel shows now as JPEG, scaled down to fit <paramref name="fitInto"/> when given.</summary>
    ScreenFrame CaptureJpeg(PixelSize? fitInto);

    /// <summary>A JPEG of <paramref name="size"/> saying <paramref name="text"/> in the screen's font (the last picture of a stream).</summary>
    byte[] RenderNoticeJpeg(string text, PixelSize size);
}

/// <summary>A size in whole pixels.</summary>
public readonly record struct PixelSize(int Width, int Height);

/// <summary>One picture of the panel: the JPEG and its size.</summary>
public sealed record ScreenFrame(byte[] Jpeg, PixelSize Size);
