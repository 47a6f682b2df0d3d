using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Admin;

/// <summary>How every admin endpoint answers: JSON, never cached; errors as <see cref="AdminError"/>.</summary>
public static class AdminResults
{
    public static async Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task Error(HttpContext context, int status, string message) =>
        Json(context, new AdminError(ReasonPhrases(status), message), AdminJson.Default.AdminError, status);

    private static string ReasonPhrases(int status) => status switch
    {
        400 => "bad-request",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "too-large",
        _ => "error",
    };
}
