using Appliance.Devices.Camera;
using Appliance.Devices.Interop;

namespace Appliance.Simulators.Camera;

/// <summary>
/// The sim board's camera at one <c>camidx</c>: a <see cref="V4l2DeviceModel"/> that delivers the
/// <see cref="CameraScene"/> as MJPEG frames at the size and rate the driver negotiates. <see cref="Open"/>
/// hands the real <see cref="V4l2Camera"/> driver a fresh session on it, the way opening /dev/videoN would;
/// control values persist across sessions as on hardware.
/// </summary>
public sealed class SimulatedCamera
{
    private readonly CameraScene _scene;
    private readonly Lock _gate = new();
    private V4l2DeviceModel? _current;

    public SimulatedCamera(int index, string role, TimeProvider? time = null)
    {
        Index = index;
        Role = role;
        _scene = new CameraScene(role, time);
        Controls =
        [
            new ModelControl(Libc.V4L2_CID_BRIGHTNESS, "Brightness", -64, 64, 1, 0),
            new ModelControl(Libc.V4L2_CID_CONTRAST, "Contrast", 0, 64, 1, 32),
            new ModelControl(Libc.V4L2_CID_SATURATION, "Saturation", 0, 128, 1, 64),
            new ModelControl(Libc.V4L2_CID_HUE, "Hue", -40, 40, 1, 0),
            new ModelControl(Libc.V4L2_CID_GAMMA, "Gamma", 72, 500, 1, 100),
            new ModelControl(Libc.V4L2_CID_SHARPNESS, "Sharpness", 0, 6, 1, 3),
            new ModelControl(Libc.V4L2_CID_AUTO_WHITE_BALANCE, "White Balance, Automatic", 0, 1, 1, 1, Libc.V4L2_CTRL_TYPE_BOOLEAN),
            new ModelControl(Libc.V4L2_CID_WHITE_BALANCE_TEMPERATURE, "White Balance Temperature", 2800, 6500, 1, 4600),
            new ModelControl(Libc.V4L2_CID_BACKLIGHT_COMPENSATION, "Backlight Compensation", 0, 2, 1, 1),
            new ModelControl(Libc.V4L2_CID_EXPOSURE_AUTO, "Auto Exposure", 0, 3, 1, 3, Libc.V4L2_CTRL_TYPE_MENU),
            new ModelControl(Libc.V4L2_CID_EXPOSURE_ABSOLUTE, "Exposure Time, Absolute", 1, 5000, 1, 156),
            new ModelControl(Libc.V4L2_CID_FOCUS_AUTO, "Focus, Automatic Continuous", 0, 1, 1, 1, Libc.V4L2_CTRL_TYPE_BOOLEAN),
            new ModelControl(Libc.V4L2_CID_FOCUS_ABSOLUTE, "Focus, Absolute", 0, 1023, 1, 68),
            new ModelControl(Libc.V4L2_CID_ZOOM_ABSOLUTE, "Zoom, Absolute", 100, 500, 1, 100),
        ];
    }

    public int Index { get; }
    public string Role { get; }
    public IReadOnlyList<ModelControl> Controls { get; }

    /// <summary>The sizes a document camera (up to 5 MP) or a face camera offers; MJPEG only, like most USB document cameras.</summary>
    public IReadOnlyList<CameraMode> Modes => Role == "document"
        ? [new(CameraPixelFormat.Mjpeg, 2592, 1944), new(CameraPixelFormat.Mjpeg, 1920, 1080), new(CameraPixelFormat.Mjpeg, 1280, 720), new(CameraPixelFormat.Mjpeg, 640, 480)]
        : [new(CameraPixelFormat.Mjpeg, 1280, 720), new(CameraPixelFormat.Mjpeg, 640, 480), new(CameraPixelFormat.Mjpeg, 320, 240)];

    /// <summary>Whether the simulated camera is plugged in (the admin port's sim endpoints can unplug it).</summary>
    public bool Connected { get; private set; } = true;

    public V4l2Camera Open()
    {
        lock (_gate)
        {
            if (!Connected) throw new CameraException(CameraError.Absent, $"sim camera {Index}: not connected");
            var model = new V4l2DeviceModel($"sim:camera{Index}", $"Appliance SIM {Role} camera", Modes, Frame, Controls);
            _current = model;
            return new V4l2Camera(model);
        }
    }

    /// <summary>The scene in the mode's pixel format: JPEG for MJPEG modes, raw 4:2:2 for YUYV ones.</summary>
    private byte[] Frame(CameraMode mode, long sequence) => mode.Format == CameraPixelFormat.Yuyv
        ? _scene.RenderYuyv(mode.Width, mode.Height, sequence)
        : _scene.RenderJpeg(mode.Width, mode.Height, sequence);

    /// <summary>Unplugs the camera: a running capture sees ENODEV, as with a USB camera pulled out.</summary>
    public void Unplug()
    {
        lock (_gate)
        {
            Connected = false;
            _current?.Vanish();
        }
    }

    public void Plug()
    {
        lock (_gate) Connected = true;
    }
}
