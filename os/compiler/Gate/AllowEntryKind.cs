// os/compiler/Gate: what one line of allowlist.txt says about the types and members it names.
namespace RedLeaf.Os.Compiler.Gate;

public enum AllowEntryKind
{
    /// <summary>Domains may use it.</summary>
    Allow,
    /// <summary>Domains may not use it; the entry carries the diagnostic ID and the reason students read.</summary>
    Deny,
    /// <summary>The type may be named (a base type, a signature, a cast) but none of its members used.</summary>
    Name,
    /// <summary>Only the C# compiler's own helper methods (&lt;PrivateImplementationDetails&gt;) may use it,
    /// and only in the shapes CompilerHelpers recognises (see CompilerHelpers.cs).</summary>
    Helper,
}
