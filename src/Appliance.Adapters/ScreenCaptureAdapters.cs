using Appliance.Core.Capture;
using SignatureOutcome = Appliance.Core.Capture.SignatureOutcome;
using Appliance.Ui;
using Appliance.Core.Screen;
using UiOutcome = Appliance.Core.Screen.SignatureOutcome;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="ISignatureCapture"/> to the screen's signature window (Appliance.Ui).</summary>
public sealed class ScreenSignatureCaptureAdapter(ScreenService screen) : ISignatureCapture
{
    public async Task<SignatureOutcome> CaptureAsync(SignatureRequest request, CancellationToken cancel)
    {
        var options = new SignatureWindowOptions
        {
            Pos = request.Window is { } w ? UiPos.FromSize(w.X, w.Y, w.Width, w.Height) : UiPos.FullScreen,
            PenWidth = request.PenWidth,
            // UOS pages expect "signcancel" when the person declines, so the return button is shown here.
            ReturnButton = SignButtonOptions.DefaultReturn with { Visible = true },
        };
        UiOutcome outcome;
        try
        {
            outcome = await screen.ShowSignatureAsync(options, cancel).ConfigureAwait(false);
        }
        catch (ScreenBusyException e)
        {
            throw new CaptureException(CaptureFailure.DeviceAbsent, $"签名窗口被其他任务占用 / the signature window is held by another task: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new CaptureException(CaptureFailure.BadRequest, e.Message, e);
        }
        return outcome switch
        {
            UiOutcome.Confirmed c => SignatureOutcome.Signed(c.Png, InkSample.ToPenSamples(c.Samples)),
            _ => SignatureOutcome.CancelledByPerson,
        };
    }
}

/// <summary>Binds <see cref="ITerminalScreen"/> to the screen's prompt window; "idle" clears the prompt to show the idle screen beneath.</summary>
public sealed class ScreenPromptAdapter(ScreenService screen) : ITerminalScreen
{
    public void ShowPrompt(ScreenPrompt prompt) =>
        screen.ShowPrompt(new PromptOptions { Text = prompt.Title, Detail = prompt.Detail.Length > 0 ? prompt.Detail : null });

    public void ShowIdle() => screen.ClearPrompt();
}
