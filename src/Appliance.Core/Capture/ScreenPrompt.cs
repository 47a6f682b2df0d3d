namespace Appliance.Core.Capture;

/// <param name="Title">The instruction, large (Chinese first, English second line).</param>
/// <param name="Detail">A smaller line: a countdown, a reason.</param>
/// <param name="Window">Where the PC asked the prompt to appear; null for the centre of the screen.</param>
public sealed record ScreenPrompt(string Title, string Detail, ScreenRect? Window = null);
