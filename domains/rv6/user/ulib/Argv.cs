// domains/rv6/user/ulib: argv as it crosses the system-call boundary: each argument followed by a NUL
// byte, in one byte array (the rv6 Spawn's and IProgram.Main's format; xv6's exec copies a char*[]
// onto the new stack instead). Strings hold one char per byte (0-255), so any byte survives the trip
// and ASCII (all xv6 uses) reads as itself.
using RedLeaf.Abi;

namespace Domains.Rv6.Ulib;

public static class Argv
{
    /// <summary>The arguments in a NUL-terminated argv array (a last argument without its NUL counts too).</summary>
    public static string[] Parse(in RRefArray<byte> argv)
    {
        if (argv.IsNull) return Array.Empty<string>();
        var bytes = new byte[argv.Length];
        argv.CopyTo(bytes);
        var args = new List<string>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != 0) continue;
            args.Add(Str.FromBytes(bytes.AsSpan(start, i - start)));
            start = i + 1;
        }
        if (start < bytes.Length) args.Add(Str.FromBytes(bytes.AsSpan(start)));
        return args.ToArray();
    }

    /// <summary>The NUL-terminated bytes of <paramref name="args"/>.</summary>
    public static byte[] Build(IReadOnlyList<string> args)
    {
        int n = 0;
        foreach (var a in args) n += a.Length + 1;
        var bytes = new byte[n];
        int at = 0;
        foreach (var a in args)
        {
            at += Str.ToBytes(a, bytes.AsSpan(at));
            bytes[at++] = 0;
        }
        return bytes;
    }
}
