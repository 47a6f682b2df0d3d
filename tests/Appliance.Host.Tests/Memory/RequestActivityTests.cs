using Appliance.Host.Memory;
using Microsoft.AspNetCore.Http;

namespace Appliance.Host.Tests.Memory;

public sealed class RequestActivityTests
{
    private static async Task SendAsync(RequestActivity activity, string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        await activity.Wrap(_ => Task.CompletedTask)(context);
    }

    [Fact]
    public async Task A_request_counts_as_activity_but_a_health_poll_does_not()
    {
        var activity = new RequestActivity(TimeProvider.System);
        var epoch = activity.Epoch;

        await SendAsync(activity, "GET", "/health");
        Assert.Equal(epoch, activity.Epoch);

        await SendAsync(activity, "POST", "/param=get");
        Assert.True(activity.Epoch > epoch);

        epoch = activity.Epoch;
        await SendAsync(activity, "POST", "/health");
        Assert.True(activity.Epoch > epoch);
    }
}
