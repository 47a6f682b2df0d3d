using Appliance.Devices.Input;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Pen;

/// <summary>Why a pen could not be opened; <see cref="IsAbsent"/> distinguishes "not there" from "there but failing".</summary>
public sealed class PenDeviceException(string message, bool isAbsent, Exception? inner = null) : IOException(message, inner)
{
    public bool IsAbsent { get; } = isAbsent;
}

/// <summary>
/// An opened evdev pen: found by name (EVIOCGNAME over <c>/dev/input/event*</c>) or path, its ranges read
/// (EVIOCGABS), grabbed (EVIOCGRAB) so no other reader sees the strokes. <see cref="Transport"/> feeds a <see cref="PenReader"/>.
/// </summary>
public sealed unsafe class EvdevPen
{
    private EvdevPen(string path, string name, PenAxes axes, Stream transport)
    {
        Path = path;
        Name = name;
        Axes = axes;
        Transport = transport;
    }

    public string Path { get; }
    public string Name { get; }
    public PenAxes Axes { get; }
    /// <summary>The grabbed device node; whoever takes it disposes it (closing also releases the grab).</summary>
    public Stream Transport { get; }

    /// <param name="nameOrPath">The device name as EVIOCGNAME reports it, or a <c>/dev/input/...</c> path.</param>
    /// <param name="inputDirectory">Where evdev nodes live (tests point elsewhere).</param>
    public static EvdevPen Open(string nameOrPath, string inputDirectory = "/dev/input")
    {
        if (nameOrPath.StartsWith('/')) return OpenPath(nameOrPath, expectedName: null);
        var seen = new List<string>();
        if (EvdevNode.FindByName(nameOrPath, inputDirectory, seen) is { } path) return OpenPath(path, nameOrPath);
        throw new PenDeviceException(
            $"no input device named \"{nameOrPath}\" in {inputDirectory} (found: {(seen.Count == 0 ? "none readable" : string.Join(", ", seen))})",
            isAbsent: true);
    }

    private static EvdevPen OpenPath(string path, string? expectedName)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            throw new PenDeviceException($"cannot open {path}: {Libc.StrError(errno)}", isAbsent: errno is 2 or Libc.ENODEV or Libc.ENXIO);
        }
        try
        {
            var name = expectedName ?? EvdevNode.ReadName(fd);
            var x = ReadAxis(fd, InputCodes.ABS_X, path) ?? throw new PenDeviceException($"{path} (\"{name}\") has no ABS_X axis: not a pen", false);
            var y = ReadAxis(fd, InputCodes.ABS_Y, path) ?? throw new PenDeviceException($"{path} (\"{name}\") has no ABS_Y axis: not a pen", false);
            var pressure = ReadAxis(fd, InputCodes.ABS_PRESSURE, path) ?? default;
            var axes = new PenAxes(x, y, pressure, ReadAxis(fd, InputCodes.ABS_TILT_X, path), ReadAxis(fd, InputCodes.ABS_TILT_Y, path));
            if (!EvdevNode.Grab(fd))
                throw new PenDeviceException($"cannot grab {path}: {Libc.StrError(Libc.LastErrno)} (another program holds the pen?)", false);
            return new EvdevPen(path, name, axes, new FileDescriptorStream(fd, path));
        }
        catch
        {
            Libc.Close(fd);
            throw;
        }
    }

    /// <summary>The axis' range, or null when the device has no such axis (EVIOCGBIT says which exist).</summary>
    private static AbsAxis? ReadAxis(int fd, ushort axis, string path)
    {
        var bits = stackalloc byte[InputCodes.ABS_CNT / 8];
        if (Libc.Ioctl(fd, Libc.EVIOCGBIT(InputCodes.EV_ABS, InputCodes.ABS_CNT / 8), bits) < 0)
            throw new PenDeviceException($"EVIOCGBIT on {path}: {Libc.StrError(Libc.LastErrno)}", false);
        if ((bits[axis / 8] & (1 << (axis % 8))) == 0) return null;
        Libc.InputAbsInfo info;
        if (Libc.Ioctl(fd, Libc.EVIOCGABS(axis), &info) < 0)
            throw new PenDeviceException($"EVIOCGABS({axis}) on {path}: {Libc.StrError(Libc.LastErrno)}", false);
        return new AbsAxis(info.Minimum, info.Maximum, info.Fuzz, info.Flat, info.Resolution);
    }
}
