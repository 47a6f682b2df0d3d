namespace Appliance.Devices.Camera;

/// <summary>A property as <c>video=getproperty</c> reports it (seed 003 §3.8).</summary>
public sealed record CameraPropertyInfo(int Minimum, int Maximum, int Step, int Default, int Current, bool IsAuto);

/// <summary>What <see cref="CameraProperties.Set"/> did with the value it was given.</summary>
public enum CameraPropertyOutcome
{
    /// <summary>In range: set by hand (its automatic control, if any, switched off).</summary>
    Manual,
    /// <summary>Out of range and the camera can control it automatically: switched to automatic.</summary>
    Automatic,
    /// <summary>Out of range and no automatic control: set to the camera's default.</summary>
    Default,
}

/// <summary>
/// The seed's DirectShow-style property names (§3.7-3.8) mapped onto V4L2 controls, with the rule
/// "a value the device does not support switches the property to automatic; if it has no automatic
/// control, to its default".
/// </summary>
public static class CameraProperties
{
    private readonly record struct Mapping(uint Control, uint AutoControl);

    // "colorenable" and "roll" have no V4L2 control: they exist on the wire and are reported as not settable.
    private static readonly Dictionary<string, Mapping> ByName = new(StringComparer.Ordinal)
    {
        ["brightness"] = new(Interop.Libc.V4L2_CID_BRIGHTNESS, 0),
        ["contrast"] = new(Interop.Libc.V4L2_CID_CONTRAST, 0),
        ["hue"] = new(Interop.Libc.V4L2_CID_HUE, Interop.Libc.V4L2_CID_HUE_AUTO),
        ["saturation"] = new(Interop.Libc.V4L2_CID_SATURATION, 0),
        ["sharpness"] = new(Interop.Libc.V4L2_CID_SHARPNESS, 0),
        ["gamma"] = new(Interop.Libc.V4L2_CID_GAMMA, 0),
        ["colorenable"] = new(0, 0),
        ["whitebalance"] = new(Interop.Libc.V4L2_CID_WHITE_BALANCE_TEMPERATURE, Interop.Libc.V4L2_CID_AUTO_WHITE_BALANCE),
        ["backlightcompensation"] = new(Interop.Libc.V4L2_CID_BACKLIGHT_COMPENSATION, 0),
        ["gain"] = new(Interop.Libc.V4L2_CID_GAIN, Interop.Libc.V4L2_CID_AUTOGAIN),
        ["pan"] = new(Interop.Libc.V4L2_CID_PAN_ABSOLUTE, 0),
        ["tilt"] = new(Interop.Libc.V4L2_CID_TILT_ABSOLUTE, 0),
        ["roll"] = new(0, 0),
        ["zoom"] = new(Interop.Libc.V4L2_CID_ZOOM_ABSOLUTE, 0),
        ["exposure"] = new(Interop.Libc.V4L2_CID_EXPOSURE_ABSOLUTE, Interop.Libc.V4L2_CID_EXPOSURE_AUTO),
        ["iris"] = new(Interop.Libc.V4L2_CID_IRIS_ABSOLUTE, 0),
        ["focus"] = new(Interop.Libc.V4L2_CID_FOCUS_ABSOLUTE, Interop.Libc.V4L2_CID_FOCUS_AUTO),
    };

    /// <summary>The canonical names, in the seed's order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["brightness", "contrast", "hue", "saturation", "sharpness", "gamma", "colorenable", "whitebalance",
         "backlightcompensation", "gain", "pan", "tilt", "roll", "zoom", "exposure", "iris", "focus"];

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>Null when the camera cannot set this property (the wire's <c>settable: "1"</c>).</summary>
    public static CameraPropertyInfo? Get(V4l2Camera camera, string name)
    {
        var map = ByName[name];
        if (map.Control == 0 || camera.QueryControl(map.Control) is not { } control) return null;
        var auto = map.AutoControl != 0 ? camera.QueryControl(map.AutoControl) : null;
        return new CameraPropertyInfo(control.Minimum, control.Maximum, control.Step, control.Default, control.Current, auto is not null && IsAutoValue(map.AutoControl, auto.Current));
    }

    /// <summary>Sets one property by the seed's rule. Throws <see cref="CameraException"/> (NotSupported) when the camera has no such control.</summary>
    public static CameraPropertyOutcome Set(V4l2Camera camera, string name, int value)
    {
        var map = ByName[name];
        var control = map.Control == 0 ? null : camera.QueryControl(map.Control);
        if (control is null)
            throw new CameraException(CameraError.NotSupported, $"this camera has no {name} control");
        var auto = map.AutoControl != 0 ? camera.QueryControl(map.AutoControl) : null;
        if (value >= control.Minimum && value <= control.Maximum)
        {
            if (auto is not null) SetAuto(camera, map.AutoControl, on: false);
            Require(camera.SetControl(map.Control, value), name);
            return CameraPropertyOutcome.Manual;
        }
        if (auto is not null && SetAuto(camera, map.AutoControl, on: true))
            return CameraPropertyOutcome.Automatic;
        Require(camera.SetControl(map.Control, control.Default), name);
        return CameraPropertyOutcome.Default;
    }

    private static bool IsAutoValue(uint autoControl, int value) =>
        autoControl == Interop.Libc.V4L2_CID_EXPOSURE_AUTO ? value != Interop.Libc.V4L2_EXPOSURE_MANUAL : value != 0;

    private static bool SetAuto(V4l2Camera camera, uint autoControl, bool on)
    {
        if (autoControl != Interop.Libc.V4L2_CID_EXPOSURE_AUTO)
            return camera.SetControl(autoControl, on ? 1 : 0) == 0;
        if (!on) return camera.SetControl(autoControl, Interop.Libc.V4L2_EXPOSURE_MANUAL) == 0;
        // UVC cameras offer aperture priority as their "auto"; full auto is the V4L2 default elsewhere.
        return camera.SetControl(autoControl, Interop.Libc.V4L2_EXPOSURE_APERTURE_PRIORITY) == 0
            || camera.SetControl(autoControl, Interop.Libc.V4L2_EXPOSURE_AUTO_MODE) == 0;
    }

    private static void Require(int errno, string name)
    {
        if (errno != 0)
            throw new CameraException(CameraError.Failed, $"setting {name}: {Interop.Libc.StrError(errno)}");
    }
}
