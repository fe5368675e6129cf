// kernel-ext/RedLeaf.Notebook/Session: an interface set the IDL compiler refused in a notebook's kernel:
// where it came from, the diagnostic ids (RLIDL001 for a type that is not exchangeable, ...) and the
// message. NotebookKernel keeps them so a handout can grade "declare an interface the compiler refuses"
// on the compiler's own verdict.
namespace RedLeaf.Notebook.Session;

public sealed record InterfaceRefusal(string Path, IReadOnlyList<string> Ids, string Message);
