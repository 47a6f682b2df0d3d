using System.Text;
using Appliance.Devices.Pen;

namespace Appliance.Devices.MagStripe;

/// <summary>One line a keyboard-wedge reader typed (what came before Enter), and whether it arrived whole.</summary>
/// <param name="Problem">Empty when every key was a character and no event was lost; else what went wrong.</param>
public sealed record WedgeLine(string Text, string Problem);

/// <summary>
/// Turns a wedge reader's key events into the lines it types: EV_KEY presses become US-layout characters with the
/// Shift state the reader holds (left or right Shift), Enter (main or keypad) ends the line. Releases, autorepeat,
/// EV_MSC scan codes and SYN_REPORT carry no characters. After SYN_DROPPED the kernel lost events, so the line being
/// typed is marked broken (characters are missing from it) and Shift is taken as released.
/// </summary>
public sealed class KeyboardWedgeDecoder
{
    /// <summary>Longer than any three tracks (79 + 40 + 107 characters with sentinels): a reader gone wild.</summary>
    private const int MaxLine = 512;

    private readonly StringBuilder _line = new();
    private bool _leftShift, _rightShift;
    private string _problem = "";

    /// <summary>Something was typed since the last Enter (a swipe in progress, or cut off).</summary>
    public bool InLine => _line.Length > 0 || _problem.Length > 0;

    /// <summary>What has been typed since the last Enter.</summary>
    public string Partial => _line.ToString();

    /// <summary>Feeds one event; returns the line when it was the Enter that ends one.</summary>
    public WedgeLine? Feed(in InputEvent e)
    {
        if (e.Type == InputCodes.EV_SYN && e.Code == InputCodes.SYN_DROPPED)
        {
            _leftShift = _rightShift = false;
            Mark("the kernel dropped key events mid-swipe (SYN_DROPPED)");
            return null;
        }
        if (e.Type != InputCodes.EV_KEY) return null;
        switch (e.Code)
        {
            case InputCodes.KEY_LEFTSHIFT: _leftShift = e.Value != 0; return null;
            case InputCodes.KEY_RIGHTSHIFT: _rightShift = e.Value != 0; return null;
        }
        if (e.Value != 1) return null; // release (0) or autorepeat (2)
        if (e.Code is InputCodes.KEY_ENTER or InputCodes.KEY_KPENTER)
        {
            var line = new WedgeLine(_line.ToString(), _problem);
            Reset();
            return line;
        }
        if (UsKeyboardLayout.Character(e.Code, _leftShift || _rightShift) is not { } c)
            Mark($"key code {e.Code} types no character on a US keyboard");
        else if (_line.Length >= MaxLine)
            Mark($"more than {MaxLine} characters without Enter");
        else
            _line.Append(c);
        return null;
    }

    /// <summary>Forgets the line being typed (cut off, or the device went away); Shift is released.</summary>
    public void Reset()
    {
        _line.Clear();
        _problem = "";
        _leftShift = _rightShift = false;
    }

    private void Mark(string problem)
    {
        if (_problem.Length == 0) _problem = problem;
    }
}
