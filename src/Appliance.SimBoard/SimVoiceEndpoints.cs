using Appliance.Adapters.Voice;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Microsoft.AspNetCore.Http;

namespace Appliance.SimBoard;

/// <param name="Words">What was said, Chinese first ("请签名。Please sign.").</param>
/// <param name="Seconds">How long it played; 0 when it could not be.</param>
/// <param name="Error">Why it was not heard (no speech library, sound device refused); null when it played.</param>
public sealed record SimVoiceLine(DateTimeOffset At, string Prompt, string Words, double Seconds, string? Error);

/// <param name="Recording">Where the sim speaker's WAV of the last prompt lies (also served as <c>/sim/voice.wav</c>).</param>
public sealed record SimVoiceState(string Recording, IReadOnlyList<SimVoiceLine> Said);

/// <summary>
/// The sim board's speaker on the admin port: <c>GET /sim/voice</c> lists what the terminal said lately (oldest first),
/// <c>GET /sim/voice.wav</c> is the last prompt as alsa-lib's file plugin recorded it.
/// </summary>
public sealed class SimVoiceEndpoints(VoicePromptService voice, string recording) : IAdminRoutes
{
    public void Map(Router router) => router
        .MapGet("/sim/voice", context => AdminResults.Json(context, Read(), SimDeviceJson.Default.SimVoiceState))
        .MapGet("/sim/voice.wav", Recording);

    private SimVoiceState Read() =>
        new(recording, [.. voice.Recent.Select(s => new SimVoiceLine(s.At, s.Prompt.ToString(), s.Words, Math.Round(s.Seconds, 2), s.Error))]);

    private async Task Recording(HttpContext context)
    {
        byte[] wav;
        try
        {
            wav = await File.ReadAllBytesAsync(recording, context.RequestAborted).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            await AdminResults.Error(context, 404, "the terminal has said nothing yet").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "audio/wav";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = wav.Length;
        await context.Response.Body.WriteAsync(wav, context.RequestAborted).ConfigureAwait(false);
    }
}
