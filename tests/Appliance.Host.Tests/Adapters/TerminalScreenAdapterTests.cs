using Appliance.Adapters;
using Appliance.Core.Capture;
using Appliance.Core.Screen;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Imaging.Jpeg;
using Appliance.Protocols.Wire;
using Appliance.Ui;

namespace Appliance.Host.Tests.Adapters;

/// <summary>
/// The screen port over the real screen: the screen's own errors arrive as one <see cref="CaptureFailure"/> each (so
/// UOS and CameraService read them alike), and the panel's picture comes out as JPEG of the asked size.
/// </summary>
public sealed class TerminalScreenAdapterTests : IDisposable
{
    private const string FontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private readonly MemoryFramebuffer _framebuffer = new(1280, 800, FramebufferPixelFormat.Xrgb8888);
    private readonly ScreenService _screen;
    private readonly TerminalScreenAdapter _port;

    public TerminalScreenAdapterTests()
    {
        _screen = new ScreenService(_framebuffer, new ScreenSettings { CjkFontPath = FontPath });
        _port = new TerminalScreenAdapter(_screen);
    }

    public void Dispose()
    {
        _screen.Dispose();
        _framebuffer.Dispose();
    }

    [Fact]
    public async Task A_second_signature_window_is_busy_and_reads_as_code_9()
    {
        using var first = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var signing = _port.ShowSignatureAsync(new SignatureWindowOptions(), first.Token);

        var busy = await Assert.ThrowsAsync<CaptureException>(() => _port.ShowSignatureAsync(new SignatureWindowOptions(), Ct));

        Assert.Equal(CaptureFailure.Busy, busy.Failure);
        Assert.Equal("9", ErrorCodes.For(busy.Failure).Wire());
        Assert.StartsWith("签字屏忙 / the screen is busy", busy.Message, StringComparison.Ordinal);
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signing);
    }

    [Fact]
    public async Task A_window_off_the_screen_or_a_picture_that_is_none_is_the_callers_mistake()
    {
        var offScreen = await Assert.ThrowsAsync<CaptureException>(() =>
            _port.ShowSignatureAsync(new SignatureWindowOptions { Pos = UiPos.FromSize(2000, 2000, 100, 100) }, Ct));
        Assert.Equal(CaptureFailure.BadRequest, offScreen.Failure);
        Assert.Contains("outside the 1280x800 screen", offScreen.Message, StringComparison.Ordinal);

        var notAPicture = await Assert.ThrowsAsync<CaptureException>(() =>
            _port.StartCarouselAsync(new CarouselOptions { Pictures = [UiImageSource.FromBytes(new byte[] { 1, 2, 3 })] }, Ct));
        Assert.Equal(CaptureFailure.BadRequest, notAPicture.Failure);
        Assert.StartsWith("图像无法加载 / image could not be loaded: piclist[0]", notAPicture.Message, StringComparison.Ordinal);
        Assert.False(_screen.IsCarouselRunning);
    }

    [Fact]
    public void The_panel_comes_out_as_jpeg_at_its_size_or_fitted_into_the_box()
    {
        var full = _port.CaptureJpeg(null);
        Assert.Equal(new PixelSize(1280, 800), full.Size);
        Assert.Equal((1280, 800), JpegCodec.Shared.ReadSize(full.Jpeg));

        var fitted = _port.CaptureJpeg(new PixelSize(640, 640));
        Assert.Equal(new PixelSize(640, 400), fitted.Size);
        Assert.Equal((640, 400), JpegCodec.Shared.ReadSize(fitted.Jpeg));

        Assert.Equal((640, 400), JpegCodec.Shared.ReadSize(_port.RenderNoticeJpeg("终端服务已停止", fitted.Size)));
    }

    [Fact]
    public async Task The_last_floating_button_tapped_is_reported_until_the_group_closes()
    {
        await _port.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions(), Ct);
        Assert.Null(_port.LastFloatingButtonClicked);

        var ok = Assert.Single(_screen.Buttons(), b => b.Text == "确认").Bounds;
        var (x, y) = ((ok.Left + ok.Right) / 2f, (ok.Top + ok.Bottom) / 2f);
        _screen.HandlePen(new PenPoint(x, y, 0.5f, null, null, Touching: true, 1_000));
        _screen.HandlePen(new PenPoint(x, y, 0f, null, null, Touching: false, 2_000));
        Assert.Equal("确认", _port.LastFloatingButtonClicked);

        _port.CloseFloatingButtons();
        Assert.Null(_port.LastFloatingButtonClicked);
        Assert.DoesNotContain(_screen.Buttons(), b => b.Text == "确认");
    }
}
