using System.Text;
using Appliance.Devices.Interop;
using Appliance.Devices.Pen;

namespace Appliance.Devices.Input;

/// <summary>
/// What every evdev driver (the pen, the keyboard-wedge stripe reader) does to find and hold its node:
/// look it up by the name the kernel gives it (EVIOCGNAME), check what it can report (EVIOCGBIT), grab it (EVIOCGRAB).
/// </summary>
internal static unsafe class EvdevNode
{
    /// <summary>
    /// The first <c>event*</c> node in <paramref name="inputDirectory"/> named <paramref name="name"/> that
    /// <paramref name="accept"/> takes (a device can expose several nodes under one name), or null.
    /// <paramref name="seen"/> collects <c>path "name"</c> of every readable node, for the "not found" message.
    /// </summary>
    public static string? FindByName(string name, string inputDirectory, List<string> seen, Func<int, bool>? accept = null)
    {
        var candidates = Directory.Exists(inputDirectory)
            ? Directory.GetFiles(inputDirectory, "event*").OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal).ToList()
            : [];
        foreach (var path in candidates)
        {
            var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0) continue;
            try
            {
                var found = ReadName(fd);
                seen.Add($"{path} \"{found}\"");
                if (string.Equals(found, name, StringComparison.Ordinal) && (accept is null || accept(fd))) return path;
            }
            finally
            {
                Libc.Close(fd);
            }
        }
        return null;
    }

    /// <summary>The device's name, or "" when the node does not say (not an evdev node).</summary>
    public static string ReadName(int fd)
    {
        var buffer = stackalloc byte[256];
        var n = Libc.Ioctl(fd, Libc.EVIOCGNAME(256), buffer);
        if (n <= 0) return "";
        var span = new ReadOnlySpan<byte>(buffer, n);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? span[..end] : span);
    }

    /// <summary>True when the device reports key <paramref name="code"/> (EVIOCGBIT of EV_KEY); false also when it cannot say.</summary>
    public static bool HasKey(int fd, ushort code)
    {
        var bits = stackalloc byte[InputCodes.KEY_CNT / 8];
        if (Libc.Ioctl(fd, Libc.EVIOCGBIT(InputCodes.EV_KEY, InputCodes.KEY_CNT / 8), bits) < 0) return false;
        return (bits[code / 8] & (1 << (code % 8))) != 0;
    }

    /// <summary>Takes the device for this descriptor alone: no other reader (console, X, a desktop) sees its events.</summary>
    public static bool Grab(int fd) => Libc.Ioctl(fd, Libc.EVIOCGRAB, 1) >= 0;
}
