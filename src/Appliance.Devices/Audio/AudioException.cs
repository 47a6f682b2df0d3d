namespace Appliance.Devices.Audio;

public enum AudioFailure
{
    /// <summary>No such sound device, or alsa-lib is not installed.</summary>
    Absent,
    /// <summary>The device refused the format or failed while playing.</summary>
    Failed,
}

public sealed class AudioException(AudioFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public AudioFailure Failure { get; } = failure;
}
