using Appliance.Core.Capture;

namespace Appliance.Core.Screen;

/// <summary>
/// Every parameter of seed 003 §9.1 <c>sign=start</c> (and UOS <c>getsign</c>'s penwidth/pos), with the defaults the
/// terminal uses when the caller leaves one out.
/// </summary>
public sealed record SignatureWindowOptions
{
    /// <summary><c>pos</c>; default: the whole screen. Percent units refer to the screen.</summary>
    public UiPos Pos { get; init; } = UiPos.FullScreen;

    /// <summary><c>tip_message</c>: drawn at the top of the window; default: none.</summary>
    public TipMessage? TipMessage { get; init; }

    /// <summary><c>opacity</c> 0..100 of the window's background and buttons (ink stays opaque); default 100.</summary>
    public int Opacity { get; init; } = 100;

    /// <summary><c>background_image</c>, stretched over the window; default: plain white.</summary>
    public UiImageSource? BackgroundImage { get; init; }

    /// <summary>Window background where no image is given.</summary>
    public UiColor BackgroundColor { get; init; } = UiColor.White;

    /// <summary><c>valid_sign_rect</c> inside the window (px or % of the window); ink outside it is not drawn. Default: the whole window.</summary>
    public UiEdges ValidSignRect { get; init; } = UiEdges.Full;

    /// <summary><c>sign_buttons_info[button_name=sign_ok_button]</c>: 确认, visible.</summary>
    public SignButtonOptions OkButton { get; init; } = SignButtonOptions.DefaultOk;

    /// <summary><c>sign_buttons_info[button_name=sign_reset_button]</c>: 重签, visible.</summary>
    public SignButtonOptions ResetButton { get; init; } = SignButtonOptions.DefaultReset;

    /// <summary><c>sign_buttons_info[button_name=sign_return_button]</c>: 返回, hidden by default (seed).</summary>
    public SignButtonOptions ReturnButton { get; init; } = SignButtonOptions.DefaultReturn;

    /// <summary><c>remark</c>, echoed with the result.</summary>
    public string? Remark { get; init; }

    /// <summary>Nominal ink width in pixels (UOS <c>penwidth</c>); actual width follows pressure around it.</summary>
    public float PenWidth { get; init; } = 4;

    /// <summary>Ink colour.</summary>
    public UiColor InkColor { get; init; } = UiColor.Black;

    /// <summary>Called on the pen thread for each accepted sample (live stroke forwarding); keep it quick.</summary>
    public Action<PenSample>? SampleObserver { get; init; }
}

/// <summary>One of the sign window's three buttons (seed 003 §9.1 <c>sign_buttons_info</c> item).</summary>
public sealed record SignButtonOptions
{
    public required string Text { get; init; }
    public bool Visible { get; init; } = true;
    /// <summary><c>button_rect</c> in px or % of the window; null = the terminal's default place along the bottom edge.</summary>
    public UiEdges? Rect { get; init; }
    public float FontSize { get; init; } = 24;
    public UiColor TextColor { get; init; } = UiColor.White;
    public UiColor ButtonColor { get; init; } = UiPalette.Button;

    public static SignButtonOptions DefaultOk { get; } = new() { Text = "确认" };
    public static SignButtonOptions DefaultReset { get; } = new() { Text = "重签" };
    public static SignButtonOptions DefaultReturn { get; } = new() { Text = "返回", Visible = false };

    /// <summary>Seed 003 button ids.</summary>
    public const string OkName = "sign_ok_button", ResetName = "sign_reset_button", ReturnName = "sign_return_button";
}
