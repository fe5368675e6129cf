// os/compiler/Gate: what an assembly a domain references is to the gate, as allowlist.txt
// declares it ("framework", "abi", "interfaces"); anything else is outside the reference set.
namespace RedLeaf.Os.Compiler.Gate;

public enum AssemblyRole
{
    /// <summary>Not in the domain reference set: any reference to it is refused.</summary>
    Outside,
    /// <summary>A base-library assembly: its types and members are decided entry by entry.</summary>
    Framework,
    /// <summary>The ABI (os/abi): decided entry by entry, and only its public surface counts.</summary>
    Abi,
    /// <summary>An interface (IDL) assembly: every public type and member, unless an entry denies it.</summary>
    Interfaces,
}
