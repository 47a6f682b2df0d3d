using Appliance.Core.Orders;
using Appliance.Protocols.Orders;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders;

public sealed class OrderFieldsTests
{
    [Theory]
    [InlineData("""{"f":"QUJDRA=="}""")]
    [InlineData("""{"f":"QUJD\nRA=="}""")]
    [InlineData("""{"f":"QUJDRA\u003d\u003d"}""")]
    [InlineData("""{"f":"data:application/pdf;base64,QUJDRA=="}""")]
    [InlineData("""{"F":"QUJDRA=="}""")]
    public void Base64_takes_line_breaks_escapes_and_a_data_URI(string json)
    {
        Assert.Equal("ABCD"u8.ToArray(), new OrderFields(Body(json)).Base64("f", 100));
    }

    [Fact]
    public void Base64_refuses_what_is_not_base64_and_what_is_too_large()
    {
        var f = new OrderFields(Body("""{"bad":"QUJD*A==","big":"QUJDRA==","none":""}"""));
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => f.Base64("bad", 100)).Failure);
        Assert.Equal(OrderFailure.TooLarge, Assert.Throws<OrderException>(() => f.Base64("big", 3)).Failure);
        Assert.Null(f.Base64("none", 100));
        Assert.Null(f.Base64("absent", 100));
    }

    [Fact]
    public void Numbers_and_flags_come_as_JSON_or_strings()
    {
        var f = new OrderFields(Body("""{"a":7,"b":"8","c":"x","t":"TRUE","u":0,"v":"maybe"}"""));
        Assert.Equal(7, f.Integer("a"));
        Assert.Equal(8, f.Integer("b"));
        Assert.Null(f.Integer("absent"));
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => f.Integer("c")).Failure);
        Assert.True(f.Flag("t"));
        Assert.False(f.Flag("u"));
        Assert.Contains("v: expected true or false", Assert.Throws<OrderException>(() => f.Flag("v")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_spellings_of_one_parameter_are_refused()
    {
        var e = Assert.Throws<OrderCallException>(() => OrderFields.RefuseAmbiguousNames(Body("""{"orderNumber":"1","order_number":"2"}""")));
        Assert.Equal(OrderCallProblem.AmbiguousParameter, e.Problem);
        OrderFields.RefuseAmbiguousNames(Body("""{"orderNumber":"1","signerlist":[{"a":1},{"a":2}]}"""));
    }
}
