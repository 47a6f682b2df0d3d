using Appliance.Core.Board;

namespace Appliance.Adapters.Pen;

/// <summary>Where the pen comes from on this board: the profile's evdev device, or on the sim board the pipe <see cref="PipePath"/>.</summary>
public sealed record PenSource(BoardProfile Board, string PipePath)
{
    /// <summary>The sim board's pen pipe, under the state dir (what <c>POST /sim/pen</c> and the tests write).</summary>
    public const string PipeRelativePath = "sim/pen";

    public static PenSource For(BoardProfile board, string stateDir) => new(board, Path.Combine(stateDir, PipeRelativePath));
}
