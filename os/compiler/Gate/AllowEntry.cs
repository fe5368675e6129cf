// os/compiler/Gate: one reviewed line of allowlist.txt, parsed. A pattern names a type
// ("System.Math": the type and all its members), a member ("System.Object::ToString": every overload
// of that name), or a family ("System.Reflection.*": a namespace and those below it; "System.Func*":
// every type whose name starts so). Generic arity is left out: "System.Func" covers Func`1..Func`17.
namespace RedLeaf.Os.Compiler.Gate;

public sealed record AllowEntry(AllowEntryKind Kind, string TypePattern, string? Member, string? Id, string? Reason, int Line)
{
    /// <summary>True when the type pattern ends in '*' (a namespace or name prefix).</summary>
    public bool IsPrefix => TypePattern.EndsWith('*');

    private string Literal => IsPrefix ? TypePattern[..^1] : TypePattern;

    /// <summary>How specifically this entry names <paramref name="typeKey"/> as a whole type (member
    /// entries never match here): 0 no match, then longer literal text is more specific; an exact name
    /// (or an enclosing type's exact name) beats every prefix.</summary>
    internal int TypeScore(string typeKey)
    {
        if (Member is not null) return 0;
        if (IsPrefix) return typeKey.StartsWith(Literal, StringComparison.Ordinal) ? 1 + Literal.Length : 0;
        if (typeKey == TypePattern) return 20000;
        return typeKey.StartsWith(TypePattern + "+", StringComparison.Ordinal) ? 10000 + TypePattern.Length : 0;
    }

    /// <summary>True when this is a member entry naming exactly <paramref name="typeKey"/>::<paramref name="member"/>.</summary>
    internal bool NamesMember(string typeKey, string member) => Member == member && !IsPrefix && TypePattern == typeKey;

    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} {TypePattern}{(Member is null ? "" : "::" + Member)}{(Id is null ? "" : " " + Id)}{(Reason is null ? "" : $" \"{Reason}\"")}";
}
