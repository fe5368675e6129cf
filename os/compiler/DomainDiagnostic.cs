// os/compiler: one thing the compiler found wrong with a domain's source, with the place it
// was found, in the form editors and students already read: file(line,col): error ID: message.
namespace RedLeaf.Os.Compiler;

public sealed record DomainDiagnostic(string File, int Line, int Column, string Id, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): error {Id}: {Message}";
}

public sealed class DomainCompileException : Exception
{
    public DomainCompileException(string domain, IReadOnlyList<DomainDiagnostic> diagnostics, string kind = "domain")
        : base($"{kind} '{domain}' did not compile:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}")
    {
        Domain = domain;
        Diagnostics = diagnostics;
    }

    public string Domain { get; }
    public IReadOnlyList<DomainDiagnostic> Diagnostics { get; }
}
