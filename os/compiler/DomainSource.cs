// os/compiler: a source file of a domain, by path (as diagnostics should name it) and text.
namespace RedLeaf.Os.Compiler;

public sealed record DomainSource(string Path, string Text);
