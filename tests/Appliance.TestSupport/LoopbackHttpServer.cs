using System.Net;

namespace Appliance.TestSupport;

/// <summary>
/// A web server on loopback for pictures the terminal fetches by URL (carousel <c>piclist</c>, <c>source_image</c>):
/// answers <see cref="Path"/> with the given bytes, everything else with 404. <paramref name="chunked"/> sends no
/// Content-Length, as a streaming server would.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _body;
    private readonly bool _chunked;
    private readonly Task _serving;

    public LoopbackHttpServer(string path, byte[] body, string contentType = "image/png", bool chunked = false)
    {
        _body = body;
        _chunked = chunked;
        Port = FreePorts.Take(1)[0];
        Path = path;
        ContentType = contentType;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Path { get; }
    public string ContentType { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}{Path}");

    /// <summary>How many requests arrived (any path).</summary>
    public int Requests { get; private set; }

    /// <summary>Paths answered "302 Found" with the given Location instead.</summary>
    public Dictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Requests++;
            var response = context.Response;
            try
            {
                if (context.Request.Url?.AbsolutePath is { } asked && Redirects.TryGetValue(asked, out var location))
                {
                    response.StatusCode = 302;
                    response.RedirectLocation = location;
                }
                else if (context.Request.Url?.AbsolutePath != Path)
                {
                    response.StatusCode = 404;
                }
                else
                {
                    response.ContentType = ContentType;
                    if (_chunked) response.SendChunked = true;
                    else response.ContentLength64 = _body.Length;
                    await response.OutputStream.WriteAsync(_body).ConfigureAwait(false);
                }
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the terminal hung up early (a size limit): nothing to tell
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
