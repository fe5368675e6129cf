// os/compiler/Gate: the allow-list's answer for one type or member: allowed, or refused with
// the diagnostic ID and the reason a student reads after the construct's name.
namespace RedLeaf.Os.Compiler.Gate;

public readonly record struct Verdict(bool Allowed, string Id, string Reason)
{
    public static readonly Verdict Allow = new(true, "", "");

    /// <summary>The refusal for anything no entry allows.</summary>
    public static readonly Verdict NotListed = new(false, GateIds.NotAllowed,
        "it is not on the allow-list of what domains may use (os/compiler/Gate/allowlist.txt)");

    internal static Verdict From(AllowEntry e) =>
        e.Kind == AllowEntryKind.Deny ? new(false, e.Id ?? GateIds.NotAllowed, e.Reason ?? NotListed.Reason) : Allow;
}
