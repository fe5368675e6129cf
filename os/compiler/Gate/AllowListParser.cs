// os/compiler/Gate: reads allowlist.txt. One entry per line, '#' starts a comment:
//   framework System.Runtime                       an assembly of the base library domains may reference
//   abi RedLeaf.Abi                                the ABI (only its public surface)
//   interfaces RedLeaf.Interfaces                  an IDL assembly (all public types; no static writes)
//   allow System.Math                              a type and all its members
//   allow System.Object::ToString                  one member (every overload)
//   name System.IAsyncResult                       the type may be named, none of its members used
//   deny System.Reflection.* RLGATE006 "reason"    refused with that ID and the reason students read
//   helper System.Runtime.CompilerServices.Unsafe::As    only inside the C# compiler's own helpers
// A malformed line is an error naming its line number: a typo must not silently widen or narrow the list.
namespace RedLeaf.Os.Compiler.Gate;

internal static class AllowListParser
{
    internal static (List<AllowEntry> Entries, Dictionary<string, AssemblyRole> Assemblies) Parse(string text)
    {
        var entries = new List<AllowEntry>();
        var assemblies = new Dictionary<string, AssemblyRole>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var words = Split(lines[i], i + 1);
            if (words.Count == 0) continue;
            string verb = words[0];
            switch (verb)
            {
                case "framework" or "abi" or "interfaces":
                    Expect(words.Count == 2, i + 1, $"'{verb}' takes one assembly name");
                    assemblies[words[1]] = verb switch { "framework" => AssemblyRole.Framework, "abi" => AssemblyRole.Abi, _ => AssemblyRole.Interfaces };
                    break;
                case "allow" or "helper" or "name":
                    Expect(words.Count == 2, i + 1, $"'{verb}' takes one pattern (a deny gives an ID and a reason, an allow does not)");
                    var kind = verb switch { "allow" => AllowEntryKind.Allow, "helper" => AllowEntryKind.Helper, _ => AllowEntryKind.Name };
                    Expect(kind != AllowEntryKind.Name || !words[1].Contains("::"), i + 1, "'name' takes a type, not a member");
                    entries.Add(Entry(kind, words[1], null, null, i + 1));
                    break;
                case "deny":
                    Expect(words.Count == 4, i + 1, "'deny' takes a pattern, a diagnostic ID and a quoted reason");
                    Expect(GateIds.All.Contains(words[2]), i + 1, $"'{words[2]}' is not a gate diagnostic ID (see GateIds.cs)");
                    entries.Add(Entry(AllowEntryKind.Deny, words[1], words[2], words[3], i + 1));
                    break;
                default:
                    throw Error(i + 1, $"unknown directive '{verb}' (expected framework, abi, interfaces, allow, name, deny or helper)");
            }
        }
        return (entries, assemblies);
    }

    private static AllowEntry Entry(AllowEntryKind kind, string pattern, string? id, string? reason, int line)
    {
        int sep = pattern.IndexOf("::", StringComparison.Ordinal);
        string type = sep < 0 ? pattern : pattern[..sep];
        string? member = sep < 0 ? null : pattern[(sep + 2)..];
        if (member == "*") member = null;
        Expect(type.Length > 0 && type.IndexOf('*') is var star && (star < 0 || star == type.Length - 1), line,
            $"'{pattern}': a type pattern may hold one '*', at its end");
        Expect(type.IndexOf('`') < 0, line, $"'{pattern}': leave out the generic arity (write System.Func, not System.Func`2)");
        Expect(member is null || (member.Length > 0 && !member.Contains('*') && !type.EndsWith('*')), line,
            $"'{pattern}': a member entry names one member of one type");
        return new AllowEntry(kind, type, member, id, reason, line);
    }

    /// <summary>Words of a line; a quoted word may hold spaces; '#' outside quotes ends the line.</summary>
    private static List<string> Split(string line, int number)
    {
        var words = new List<string>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') break;
            if (c == '"')
            {
                int end = line.IndexOf('"', i + 1);
                Expect(end > i, number, "a quoted reason is not closed");
                words.Add(line[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            words.Add(line[start..i]);
        }
        return words;
    }

    private static void Expect(bool ok, int line, string what)
    {
        if (!ok) throw Error(line, what);
    }

    private static FormatException Error(int line, string what) => new($"allowlist line {line}: {what}");
}
