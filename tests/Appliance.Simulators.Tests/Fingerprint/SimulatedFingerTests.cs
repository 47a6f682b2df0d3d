using Appliance.Simulators.Fingerprint;

namespace Appliance.Simulators.Tests.Fingerprint;

public sealed class SimulatedFingerTests
{
    [Fact]
    public void Different_fingers_have_different_ridge_images()
    {
        var a = SimulatedFinger.Of(1, 1).Image(0);
        var b = SimulatedFinger.Of(1, 2).Image(0);
        var differing = a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 60);
        Assert.True(differing > a.Length / 5, $"only {differing} pixels differ");
    }

    [Fact]
    public void Two_presses_of_one_finger_score_as_a_match_and_other_fingers_do_not()
    {
        var finger = SimulatedFinger.Of(7, 3);
        var same = SimulatedFinger.MatchScore(finger.Template(0), finger.Template(1));
        Assert.True(same >= 120, $"same finger scored {same}");
        for (var other = 1; other <= 5; other++)
        {
            var score = SimulatedFinger.MatchScore(finger.Template(0), SimulatedFinger.Of(other, 9).Template(0));
            Assert.True(score < 50, $"person {other} scored {score}");
        }
    }

    [Fact]
    public void Image_has_ridges_inside_the_fingertip_and_white_outside()
    {
        var image = SimulatedFinger.Of(2, 2).Image(0);
        Assert.Equal(256 * 288, image.Length);
        Assert.Equal(255, image[0]);
        var dark = image.Count(p => p < 128);
        Assert.True(dark > 10_000, $"only {dark} ridge pixels");
    }
}
