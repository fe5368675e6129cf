// kernel-ext/RedLeaf.Cli: how this tool starts itself again as a child process (a notebook run or a
// submission graded in a process of its own): the same host and entry assembly it was started with.
using System.Reflection;

namespace RedLeaf.Cli;

internal static class Child
{
    public static IReadOnlyList<string> Command(IEnumerable<string> args)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var list = new List<string> { host };
        // Under `dotnet redleaf.dll` the host is dotnet and needs the assembly; the apphost needs nothing more.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") list.Add(Assembly.GetEntryAssembly()!.Location);
        list.AddRange(args);
        return list;
    }
}
