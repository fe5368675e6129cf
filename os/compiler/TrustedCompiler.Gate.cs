// os/compiler: the trusted compiler's call into the IL gate (os/compiler/Gate): every
// image is checked on its compiled IL, with the PDB and the compilation so refusals name source lines.
using RedLeaf.Os.Compiler.Gate;


namespace RedLeaf.Os.Compiler;

public sealed partial class TrustedCompiler
{
    /// <summary>SHA-256 (prefix) of the allow-list the gate runs with: part of the signed options and of
    /// every cache key, so editing the list re-checks every domain.</summary>
    public static string GatePolicy => s_gatePolicy ??= PolicyHash();

    private static string? s_gatePolicy;

    private static string PolicyHash()
    {
        using var s = typeof(IlGate).Assembly.GetManifestResourceStream(AllowList.ResourceName)
            ?? throw new InvalidOperationException($"the gate's allow-list resource {AllowList.ResourceName} is missing");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s))[..16];
    }

    partial void RunGate(byte[] pe, byte[] pdb, Microsoft.CodeAnalysis.Compilation source, List<DomainDiagnostic> refused) =>
        refused.AddRange(_gate.Check(pe, pdb, source));
}
