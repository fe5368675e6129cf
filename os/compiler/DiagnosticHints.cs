// os/compiler: a way out added to a compiler message a student meets for a reason of ours, not
// C#'s. `Console` is not in a domain's reference set, so C# says only that the name does not exist;
// the hint says why and how a domain reports instead.
namespace RedLeaf.Os.Compiler;

internal static class DiagnosticHints
{
    public const string Console =
        "a domain has no console (it belongs to the kernel): a domain reports by what its interface methods return " +
        "(a value, or an RpcError for a failure its caller sees) or by throwing (the crash record keeps the message); " +
        "in a notebook, display what the call returned";

    public static string Explain(string id, string message) =>
        id is "CS0103" or "CS0234" or "CS0246" && message.Contains("'Console'", StringComparison.Ordinal) ? $"{message}; {Console}" : message;
}
