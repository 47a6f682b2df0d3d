using System.Threading.Channels;
using Appliance.Core.Health;
using Appliance.Core.Session;
using Appliance.Core.Voice;
using Appliance.Devices.Audio;
using Appliance.Devices.Speech;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Voice;

/// <summary>
/// Says the task's prompt aloud when the session opens it (请签名 / please sign, 请按手指, 请放置身份证) and 签名完成 when a
/// signature is done, from the session's <see cref="TerminalSession.TaskChanged"/>. Each prompt is synthesised once and
/// kept (about 60-130 KB); one prompt waits at most: a newer one replaces it, so the voice never lags the screen.
/// A missing library or sound device costs the voice, never the task: it shows in /health as <c>speaker</c>.
/// </summary>
public sealed class VoicePromptService : BackgroundService
{
    public const string HealthName = "speaker";
    private const int RecentCount = 20;

    private readonly ISpeechSynthesizer _speech;
    private readonly IPcmOutput _output;
    private readonly VoiceOptions _options;
    private readonly TerminalSession? _session;
    private readonly DeviceHealthRegistry _health;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<VoicePrompt> _waiting =
        Channel.CreateBounded<VoicePrompt>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<VoicePrompt, PcmClip> _clips = [];
    private readonly Lock _gate = new();
    private readonly Queue<SpokenPrompt> _recent = new();

    public VoicePromptService(ISpeechSynthesizer speech, IPcmOutput output, VoiceOptions options, TerminalSession? session,
        DeviceHealthRegistry health, TimeProvider time, ILogger<VoicePromptService> log)
    {
        _speech = speech;
        _output = output;
        _options = options;
        _session = session;
        _health = health;
        _time = time;
        _log = log;
    }

    /// <summary>What was said (or failed to be said) lately, oldest first: the sim board's /sim/voice.</summary>
    public IReadOnlyList<SpokenPrompt> Recent
    {
        get { lock (_gate) return [.. _recent]; }
    }

    /// <summary>Queues <paramref name="prompt"/> (replacing one not yet spoken) and returns at once.</summary>
    public void Say(VoicePrompt prompt)
    {
        if (_options.Enabled) _waiting.Writer.TryWrite(prompt);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_session is not null) _session.TaskChanged += OnTaskChanged;
        _health.Report(HealthName, "audio", DeviceState.Ready, _output.Name,
            _options.Enabled ? $"voice prompts on, volume {_options.Volume} %" : "voice prompts off (voice:enabled=false)");
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        if (_session is not null) _session.TaskChanged -= OnTaskChanged;
        _waiting.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var prompt in _waiting.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                Speak(prompt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-sentence.
        }
    }

    private void OnTaskChanged(TerminalTask task)
    {
        var prompt = task.State switch
        {
            TaskState.Active => VoicePrompts.WhenOpening(task.Kind),
            TaskState.Completed => VoicePrompts.WhenCompleted(task.Kind),
            _ => null,
        };
        if (prompt is { } say) Say(say);
    }

    private void Speak(VoicePrompt prompt, CancellationToken cancel)
    {
        var words = VoicePrompts.Words(prompt);
        try
        {
            var clip = ClipFor(prompt);
            _output.Play(clip, cancel);
            Remember(new SpokenPrompt(_time.GetUtcNow(), prompt, words, clip.Duration.TotalSeconds, null));
            _log.LogInformation("said \"{Words}\" ({Seconds:0.0} s, volume {Volume} %, on {Device})", words, clip.Duration.TotalSeconds, _options.Volume, _output.Name);
            _health.Report(HealthName, "audio", DeviceState.Ready, _output.Name, $"voice prompts on, volume {_options.Volume} %");
        }
        catch (Exception e) when (e is SpeechException or AudioException)
        {
            Remember(new SpokenPrompt(_time.GetUtcNow(), prompt, words, 0, e.Message));
            _log.LogWarning("could not say \"{Words}\": {Reason}", words, e.Message);
            var state = e is AudioException { Failure: AudioFailure.Absent } ? DeviceState.Absent : DeviceState.Faulted;
            _health.Report(HealthName, "audio", state, _output.Name, e.Message);
        }
    }

    private PcmClip ClipFor(VoicePrompt prompt)
    {
        if (_clips.TryGetValue(prompt, out var clip)) return clip;
        clip = _speech.Synthesize(VoicePrompts.Words(prompt)).AtVolume(_options.Volume);
        _clips[prompt] = clip; // only the speaking loop touches the cache
        return clip;
    }

    private void Remember(SpokenPrompt spoken)
    {
        lock (_gate)
        {
            _recent.Enqueue(spoken);
            while (_recent.Count > RecentCount) _recent.Dequeue();
        }
    }
}

/// <param name="Error">Why it was not heard; null when it was played.</param>
public sealed record SpokenPrompt(DateTimeOffset At, VoicePrompt Prompt, string Words, double Seconds, string? Error);
