using System.Globalization;
using Appliance.TestSupport;

namespace Appliance.Host.Tests;

/// <summary>
/// Start-up that cannot succeed ends with one line on the console and the documented exit status (README "Exit
/// statuses"), never the runtime's abort with a stack trace (issue 25).
/// </summary>
public sealed class StartupFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sim board on loopback, warnings only: what remains on the console is the failure's own line.</summary>
    private static string[] Args(string stateDir, int[] ports, params string[] more) =>
    [
        "--board", "sim", "--config", "none", "--state-dir", stateDir, "--bind", "127.0.0.1",
        "--uos-port", Text(ports[0]), "--camera-port", Text(ports[1]), "--admin-port", Text(ports[2]),
        "--logging:logLevel:Default=Warning", .. more,
    ];

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task A_second_start_on_the_same_ports_prints_one_line_and_exits_3_while_the_first_goes_on()
    {
        using var dir = new TempDir();
        var ports = FreePorts.Take(3);
        await using var first = ApplianceProcess.Start(Args(dir.Combine("first"), ports));
        await first.WaitForHealthAsync(ports[2], Ct);

        // Only the CameraService port is shared: the line names that one.
        var others = FreePorts.Take(2);
        await using var second = ApplianceProcess.Start(Args(dir.Combine("second"), [others[0], ports[1], others[1]]));
        Assert.Equal(3, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal([$"appliance: cannot start: port {Text(ports[1])} (CameraService) on 127.0.0.1 is in use (another appliance running?)"],
            Lines(second.Output));

        // The same ports all over again: the first one found taken is named.
        await using var third = ApplianceProcess.Start(Args(dir.Combine("third"), ports));
        Assert.Equal(3, await third.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal([$"appliance: cannot start: port {Text(ports[0])} (UOS) on 127.0.0.1 is in use (another appliance running?)"], Lines(third.Output));

        Assert.False(first.HasExited);
        await first.WaitForHealthAsync(ports[2], Ct);
    }

    [Fact]
    public async Task A_state_directory_that_cannot_be_written_is_named_in_one_line_and_exits_2()
    {
        using var dir = new TempDir();
        var file = dir.Combine("not-a-folder");
        await File.WriteAllTextAsync(file, "", Ct);
        await using var process = ApplianceProcess.Start(Args(Path.Combine(file, "state"), FreePorts.Take(3)));
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal([$"appliance: cannot start: stateDir: {file}/state cannot be read and written: {file} is a file, not a directory"], Lines(process.Output));
    }

    [Fact]
    public async Task A_real_board_without_its_screen_node_is_named_in_one_line_and_exits_2()
    {
        using var dir = new TempDir();
        var boards = dir.Combine("boards", "nofb");
        Directory.CreateDirectory(boards);
        // The profile only accepts /dev/fb*; no test machine has 98 framebuffers.
        const string node = "/dev/fb97";
        Assert.False(File.Exists(node));
        var sim = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "board", "sim", "board.json"), Ct);
        await File.WriteAllTextAsync(Path.Combine(boards, "board.json"), sim.Replace("\"device\": \"sim\", \"width\"", $"\"device\": \"{node}\", \"width\"", StringComparison.Ordinal), Ct);
        await using var process = ApplianceProcess.Start([.. Args(dir.Combine("state"), FreePorts.Take(3)), "--board", "nofb", "--board-path", dir.Combine("boards")]);
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(Lines(process.Output));
        Assert.Matches($"^appliance: cannot start: board profile .*board.json: screen.device: the screen's device node {node} does not exist", line);
    }
}
