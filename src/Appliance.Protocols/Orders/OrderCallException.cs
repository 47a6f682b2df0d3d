namespace Appliance.Protocols.Orders;

/// <summary>What went wrong with an order call before (or beside) the desk: each shape answers it with its own code.</summary>
public enum OrderCallProblem
{
    /// <summary>The body is not JSON, or not a JSON object.</summary>
    NotJson,
    /// <summary>The body is larger than the route reads.</summary>
    BodyTooLarge,
    /// <summary>Too many large bodies are being read at once.</summary>
    UploadsBusy,
    /// <summary>The call names a function the route does not serve (seed 002 actiontype, an unknown COSS path).</summary>
    UnknownFunction,
    /// <summary>A parameter the shape requires and gives no code of its own is missing.</summary>
    MissingParameter,
    /// <summary>Two top-level members name the same parameter (<c>orderNumber</c> and <c>ordernumber</c>).</summary>
    AmbiguousParameter,
    /// <summary>A refusal the shape has its own code for (<see cref="OrderCallException.ShapeCode"/>).</summary>
    ShapeCode,
}

/// <summary>
/// A refused order call that is not the desk's (<see cref="Core.Orders.OrderException"/>) nor the signature's
/// (<see cref="Security.Management.SignedCallException"/>); <see cref="ShapeCode"/> carries a code of the shape's own.
/// </summary>
public sealed class OrderCallException(OrderCallProblem problem, string message, string shapeCode = "") : Exception(message)
{
    public OrderCallProblem Problem { get; } = problem;

    /// <summary>With <see cref="OrderCallProblem.ShapeCode"/>: the code to answer (<c>-43</c>, <c>89003020</c>, …).</summary>
    public string ShapeCode { get; } = shapeCode;

    public static OrderCallException Shape(string code, string message) => new(OrderCallProblem.ShapeCode, message, code);

    public static OrderCallException Missing(string name, string why = "") =>
        new(OrderCallProblem.MissingParameter, $"{name}: required{why}");
}
