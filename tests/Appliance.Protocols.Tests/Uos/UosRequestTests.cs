using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Protocols.Uos;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>getsign / getfinger parameters read into their records with docs/PROTOCOLS.md's tolerance.</summary>
public sealed class UosRequestTests
{
    private static UosSignRequest Sign(string message)
    {
        using var document = JsonDocument.Parse(message);
        return UosRequests.Read(UosCommands.ReadMessage(document.RootElement), UosJson.Default.UosSignRequest);
    }

    private static string Refusal(string message) => Assert.Throws<CaptureException>(() => Sign(message)) switch
    {
        { Failure: CaptureFailure.BadRequest } e => e.Message,
        var e => throw new InvalidOperationException($"expected a bad request, got {e.Failure}"),
    };

    [Fact]
    public void Names_match_ignoring_case_spaces_and_underscores_and_numbers_may_be_strings()
    {
        var request = Sign("""{" Pen Width ": " 8 ", "POS_X": 250, "pos _ y": "200", "width": 400.0, "Height": "160", "URL": "vuv"}""");

        Assert.Equal(new UosSignRequest(8, 250, 200, 400, 160), request);
        Assert.Equal(new ScreenRect(250, 200, 400, 160), request.Window(1280, 800));
        Assert.Equal(8, request.Number("penwidth", 4, 1, 50));
    }

    [Fact]
    public void The_first_of_two_spellings_of_one_parameter_wins()
    {
        Assert.Equal(1, Sign("""{"pos_x": 1, "posx": 2}""").PosX);
    }

    [Fact]
    public void No_message_or_a_bare_string_is_no_parameters_and_a_double_encoded_one_is_read()
    {
        Assert.Equal(new UosSignRequest(null, null, null, null, null), Sign("null"));
        Assert.Equal(new UosSignRequest(null, null, null, null, null), Sign("\"vuv\""));
        Assert.Equal(4, Sign("null").Number("penwidth", 4, 1, 50));
        Assert.Null(Sign("null").Window(1280, 800));
        Assert.Equal(8, Sign("\"{\\\"penwidth\\\": 8}\"").PenWidth);
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_refused_by_its_canonical_name()
    {
        Assert.Equal("参数 pos_x 应为数字 / pos_x: expected a number, found a boolean", Refusal("""{"Pos X": true}"""));
        Assert.Equal("参数 penwidth 应为数字 / penwidth: expected a number, found \"fat\"", Refusal("""{"penwidth": "fat"}"""));
        Assert.Equal("参数 height 应为数字 / height: expected a number, found an array", Refusal("""{"height": [1]}"""));
        Assert.Equal("message 应为对象 / message: expected an object {...}", Refusal("[1]"));
    }

    [Fact]
    public void Values_out_of_range_and_a_partial_window_are_refused()
    {
        Assert.Equal("参数 penwidth 超出范围 / penwidth: expected 1..50, found 51",
            Assert.Throws<CaptureException>(() => Sign("""{"penwidth": "51"}""").Number("penwidth", 4, 1, 50)).Message);
        Assert.Equal("参数 width 超出范围 / width: expected 1..1280, found Infinity",
            Assert.Throws<CaptureException>(() => Sign("""{"pos_x":0,"pos_y":0,"width":"Infinity","height":1}""").Window(1280, 800)).Message);
        Assert.StartsWith("pos_x、pos_y、width、height 须同时给出",
            Assert.Throws<CaptureException>(() => Sign("""{"pos_x": 10}""").Window(1280, 800)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_running_off_the_screen_is_moved_back_onto_it()
    {
        Assert.Equal(new ScreenRect(880, 640, 400, 160), Sign("""{"pos_x": 1200, "pos_y": 700, "width": 400, "height": 160}""").Window(1280, 800));
    }
}
