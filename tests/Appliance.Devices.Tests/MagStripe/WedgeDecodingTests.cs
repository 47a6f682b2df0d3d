using Appliance.Devices.MagStripe;
using Appliance.Devices.Pen;

namespace Appliance.Devices.Tests.MagStripe;

/// <summary>The keyboard-wedge reader's two translation steps: key events → a typed line, a line → tracks.</summary>
public sealed class WedgeDecodingTests
{
    private static InputEvent Key(ushort code, int value) => InputEvent.At(0, InputCodes.EV_KEY, code, value);

    private static WedgeLine? Feed(KeyboardWedgeDecoder decoder, params InputEvent[] events)
    {
        WedgeLine? line = null;
        foreach (var e in events) line = decoder.Feed(e) ?? line;
        return line;
    }

    [Fact]
    public void Keypad_digits_and_keypad_enter_type_a_line_and_autorepeat_types_nothing()
    {
        var decoder = new KeyboardWedgeDecoder();
        var line = Feed(decoder,
            Key(39, 1), Key(39, 0),           // ;
            Key(79, 1), Key(79, 2), Key(79, 0), // keypad 1, held long enough to autorepeat once
            Key(82, 1), Key(82, 0),           // keypad 0
            Key(InputCodes.KEY_RIGHTSHIFT, 1), Key(53, 1), Key(53, 0), Key(InputCodes.KEY_RIGHTSHIFT, 0), // ?
            Key(InputCodes.KEY_KPENTER, 1));
        Assert.Equal(new WedgeLine(";10?", ""), line);
        Assert.False(decoder.InLine);
    }

    [Fact]
    public void A_key_that_types_no_character_marks_the_line()
    {
        var decoder = new KeyboardWedgeDecoder();
        var line = Feed(decoder, Key(39, 1), Key(59, 1), Key(InputCodes.KEY_ENTER, 1));   // ; F1 Enter
        Assert.Equal(";", line!.Text);
        Assert.Contains("key code 59", line.Problem);
    }

    [Theory]
    [InlineData("%B9999990000000006^SAMPLE/CARDHOLDER^3012101?;9999990000000006=3012101?+019999990000000006==000?",
        "B9999990000000006^SAMPLE/CARDHOLDER^3012101", "9999990000000006=3012101", "019999990000000006==000")]
    [InlineData("%E?;9999990000000006=3012101?", "", "9999990000000006=3012101", "")]   // track 1 unreadable
    [InlineData(";9999990000000006=3012101?;019999990000000006==000?", "", "9999990000000006=3012101", "019999990000000006==000")]
    public void Tracks_are_framed_by_their_sentinels(string text, string t1, string t2, string t3)
    {
        Assert.True(TrackText.TryParse(text, out var swipe, out var problem), problem);
        Assert.Equal(new MagStripeSwipe(t1, t2, t3), swipe);
    }

    [Theory]
    [InlineData("", "nothing was read")]
    [InlineData("%E?;E?", "no track could be read")]
    [InlineData("%B9999990000000006^SAMPLE", "track 1 has no end sentinel")]
    [InlineData("x;1234?", "'x' at position 0 is outside any track")]
    [InlineData(";1234?%AB?%CD?", "track 1 appears twice")]
    [InlineData("%B99~99?", "track 1 holds '~'")]
    [InlineData(";12A4?", "track 2 holds 'A'")]
    public void A_garbled_line_says_what_is_wrong(string text, string problem)
    {
        Assert.False(TrackText.TryParse(text, out _, out var why));
        Assert.Contains(problem, why);
    }
}
