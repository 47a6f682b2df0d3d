using System.Net;
using System.Net.Sockets;

namespace Appliance.TestSupport;

/// <summary>
/// Loopback ports for terminals under test. Ports come from below the kernel's ephemeral range (32768+), so the
/// many client connections tests make can never be sitting on them, and from a block of its own per test
/// process (test assemblies run in parallel), handed out round-robin and checked free before use.
/// </summary>
public static class FreePorts
{
    private const int First = 20000;
    private const int BlockSize = 300;
    private const int Blocks = 40; // 20000..31999
    private static readonly int BlockStart = First + Environment.ProcessId % Blocks * BlockSize;
    private static int _next = Random.Shared.Next(BlockSize);

    /// <summary>Distinct loopback ports that are free now.</summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        for (var tries = 0; ports.Count < count; tries++)
        {
            if (tries > BlockSize * 2) throw new InvalidOperationException($"no free loopback port in {BlockStart}..{BlockStart + BlockSize - 1}");
            var port = BlockStart + Interlocked.Increment(ref _next) % BlockSize;
            if (!ports.Contains(port) && IsFree(port)) ports.Add(port);
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
